// Aries' quota as the backend spends it, and who a client is (issue 21, rows 1 and 2), against the emulator, whose
// token endpoint counts 10 calls per client in any 60 s as Aries' "Authentication 10/min" does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createBackend,
  createClient,
  emulatorWithClient,
  eventually,
  post,
  serve,
  signIn,
  sleep,
  tokenBody,
} from './support.mjs';

/** The client-address module itself, for its tables (built with the rest of dist/server by support.mjs). */
const clientIpModule = () => import('../../dist/server/client-ip.js');

let emulator, logs;
const backends = [];
before(async () => {
  ({ emulator } = await emulatorWithClient());
  logs = [];
});
after(async () => {
  for (const one of backends) await one.close();
  await emulator.close();
});

/** A new client at Aries (10 token calls per minute unless told) and a backend for it, mounted on node:http. */
async function app({ rateLimit = 10, tokenLifetime = 60, ...options } = {}) {
  const aries = await createClient(emulator, { rateLimit, tokenLifetime });
  const backend = createBackend({
    clientId: aries.clientId,
    clientSecret: aries.clientSecret,
    tokenUrl: aries.tokenUrl,
    log: (line) => logs.push(line),
    ...options,
  });
  const served = await serve(backend);
  backends.push(served);
  return { aries, backend, origin: served.origin };
}

/** Headers of a request that came through one proxy of the app's from `ip`. */
const from = (ip) => ({ 'X-Forwarded-For': ip });
const bogus = (origin, ip) => post(origin, 'token', { body: tokenBody('bogus-code'), headers: from(ip) });
const statuses = (responses) => responses.map((r) => r.status);
const ariesAnswers = async (aries) => (await aries.grants()).map((g) => g.status);

describe('the app’s quota at Aries (row 1)', () => {
  it('one client spending bogus codes leaves other users their sign-ins and every refresh; Aries never answers 429', async () => {
    const { aries, origin } = await app({ trustProxy: 1, tokenLifetime: 1 });
    const flood = [];
    for (let i = 0; i < 9; i++) flood.push(await bogus(origin, '203.0.113.7'));
    assert.deepEqual(statuses(flood), [400, 400, 429, 429, 429, 429, 429, 429, 429]);
    const reset = flood[2].headers.get('x-ratelimit-reset');
    assert.ok(Number(reset) > 0 && flood[2].headers.get('retry-after') === reset);
    const { response, cookie } = await signIn(origin, aries, from('198.51.100.2'));
    assert.equal(response.status, 200, 'another user signs in');
    for (let i = 0; i < 2; i++) {
      await sleep(600);
      assert.equal((await post(origin, 'refresh', { cookie })).status, 200, 'and refreshes');
    }
    assert.ok(!(await ariesAnswers(aries)).includes(429), 'Aries was kept under its quota');
    assert.equal((await aries.grants()).length, 5);
    assert.ok(logs.some((line) => /"class":"rate_limited","by":"client"/.test(line)));
  });

  it('an IPv6 /64 is one client, whatever address in it; an IPv4-mapped address is its IPv4 one', async () => {
    const { aries, origin } = await app({ trustProxy: 1, rateLimit: 1_000, ariesQuota: { points: 1_000 } });
    const rotating = ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:DB8:1:2:0:0:0:3'];
    const answers = [];
    for (const ip of rotating) answers.push(await bogus(origin, ip));
    assert.deepEqual(statuses(answers), [400, 400, 429]);
    assert.equal((await bogus(origin, '2001:db8:1:3::1')).status, 400, 'the next /64 is another client');
    const mapped = [await bogus(origin, '::ffff:192.0.2.9'), await bogus(origin, '192.0.2.9')];
    assert.deepEqual(statuses(mapped), [400, 400]);
    assert.equal((await bogus(origin, '::ffff:c000:209')).status, 429);
    assert.equal((await aries.grants()).length, 5, 'refused requests never reached Aries');
  });

  it('refreshes keep a reserve: once sign-ins have used their share, a sign-in gets 429 and a refresh still goes', async () => {
    // 8 per minute: 4 spent per window at most, 2 of them kept for refreshes.
    const { aries, origin } = await app({
      trustProxy: 1,
      tokenLifetime: 1,
      ariesQuota: { points: 8, duration: 60, refreshReserve: 2 },
    });
    const first = await signIn(origin, aries, from('198.51.100.1'));
    const second = await signIn(origin, aries, from('198.51.100.2'));
    assert.deepEqual(statuses([first.response, second.response]), [200, 200]);
    const third = await signIn(origin, aries, from('198.51.100.3'));
    assert.equal(third.response.status, 429);
    assert.equal(third.json.error, 'rate_limited');
    assert.ok(Number(third.response.headers.get('x-ratelimit-reset')) > 0);
    await sleep(600);
    for (const { cookie } of [first, second]) assert.equal((await post(origin, 'refresh', { cookie })).status, 200);
    await sleep(600);
    const spent = await post(origin, 'refresh', { cookie: first.cookie });
    assert.equal(spent.status, 429, 'the whole budget is spent now');
    assert.deepEqual(await ariesAnswers(aries), [200, 200, 200, 200], 'four calls, no refusal at Aries');
  });

  for (const form of ['delay', 'epoch']) {
    it(`after Aries answers 429 (X-RateLimit-Reset as a ${form}), nothing reaches Aries until then, on any route`, async () => {
      const { aries, origin } = await app({
        trustProxy: 1,
        rateLimit: 1_000,
        tokenLifetime: 1,
        ariesQuota: { points: 1_000 },
      });
      const { cookie } = await signIn(origin, aries, from('198.51.100.1'));
      await sleep(600);
      const reset = form === 'delay' ? '2' : String(Math.ceil(Date.now() / 1000) + 2);
      await aries.faults({ status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': reset } });
      const limited = await post(origin, 'refresh', { cookie });
      assert.equal(limited.status, 429);
      const seconds = Number(limited.headers.get('x-ratelimit-reset'));
      assert.ok(seconds >= 1 && seconds <= 3, `${seconds} s`);
      assert.equal(limited.headers.get('retry-after'), String(seconds));
      const calls = (await aries.grants()).length;
      const during = [await post(origin, 'refresh', { cookie }), await signIn(origin, aries, from('198.51.100.2'))];
      assert.deepEqual(statuses([during[0], during[1].response]), [429, 429]);
      assert.equal((await aries.grants()).length, calls, 'no call to Aries during its 429');
      await eventually(
        async () => (await post(origin, 'refresh', { cookie })).status === 200,
        'Aries called again',
        5_000,
      );
      assert.ok(logs.some((line) => /"event":"aries_fault","route":"refresh","outcome":"rate_limited"/.test(line)));
    });
  }

  it('a sign-in the app’s budget refuses gives the client its point back', async () => {
    // 2 calls per 1 s window, none reserved; 2 sign-ins per client per minute.
    const { origin } = await app({
      trustProxy: 1,
      rateLimit: 1_000,
      ariesQuota: { points: 4, duration: 1, refreshReserve: 0 },
    });
    assert.equal((await bogus(origin, '192.0.2.1')).status, 400);
    assert.equal((await bogus(origin, '192.0.2.2')).status, 400);
    const refused = await bogus(origin, '192.0.2.1');
    assert.equal(refused.status, 429, 'the app’s budget');
    await sleep(Number(refused.headers.get('retry-after')) * 1000);
    assert.equal((await bogus(origin, '192.0.2.1')).status, 400, 'its second sign-in of the minute, not its third');
  });

  it('spends at most `points` calls in any `duration` seconds, however the calls fall across its windows', async () => {
    const { aries, origin } = await app({
      trustProxy: 1,
      rateLimit: 1_000,
      ariesQuota: { points: 4, duration: 1, refreshReserve: 0 },
      tokenRateLimit: { points: 1_000 },
    });
    const end = Date.now() + 3_200;
    for (let i = 0; Date.now() < end; i++) await bogus(origin, `198.51.100.${i % 200}`);
    const times = (await aries.grants()).map((g) => Date.parse(g.time));
    assert.ok(times.length >= 4, `${times.length} calls`);
    for (const start of times) {
      const inSpan = times.filter((t) => t >= start && t < start + 1_000).length;
      assert.ok(inSpan <= 4, `${inSpan} calls within 1 s of ${new Date(start).toISOString()}`);
    }
  });
});

describe('who the client is (row 2)', () => {
  it('trustProxy: 1 reads the rightmost X-Forwarded-For hop: a forged leftmost one never escapes the bucket', async () => {
    const { origin } = await app({ trustProxy: 1, rateLimit: 1_000, ariesQuota: { points: 1_000 } });
    const forged = [];
    for (const fake of ['1.1.1.1', '1.1.1.2', '1.1.1.3']) forged.push(await bogus(origin, `${fake}, 203.0.113.5`));
    assert.deepEqual(statuses(forged), [400, 400, 429]);
    assert.equal((await bogus(origin, '203.0.113.5, 198.51.100.8')).status, 400, 'another client behind the proxy');
  });

  it('trustProxy as proxies’ addresses and CIDRs: the first hop from the right that is not one of them', async () => {
    const { origin } = await app({
      trustProxy: ['127.0.0.1', '10.0.0.0/8'],
      rateLimit: 1_000,
      ariesQuota: { points: 1_000 },
    });
    const answers = [
      await bogus(origin, '6.6.6.6, 203.0.113.5, 10.1.2.3'),
      await bogus(origin, '7.7.7.7, 203.0.113.5, 10.9.9.9'),
      await bogus(origin, '203.0.113.5'),
    ];
    assert.deepEqual(statuses(answers), [400, 400, 429]);
  });

  it('a hop of a trusted proxy that is no address: 400 invalid_request, nothing spent', async () => {
    const { aries, origin } = await app({ trustProxy: 1 });
    const response = await bogus(origin, 'not-an-address');
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error, 'invalid_request');
    assert.equal((await aries.grants()).length, 0);
  });

  it('backend.fetch with no client address: never one shared bucket, but 500 server_error and a log line naming what to set', async () => {
    const { backend } = await app();
    const request = () =>
      new Request('https://app.example/auth/token', {
        method: 'POST',
        headers: {
          Origin: 'https://app.example',
          'X-Requested-With': 'aries-login',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(tokenBody('bogus-code')),
      });
    const before = logs.length;
    const response = await backend.fetch(request());
    assert.equal(response.status, 500);
    assert.equal((await response.json()).error, 'server_error');
    const [line] = logs.slice(before).map((l) => JSON.parse(l));
    assert.equal(line.event, 'config');
    assert.match(line.reason, /clientIp/);
    assert.equal(
      (await backend.fetch(request(), { clientIp: '192.0.2.1' })).status,
      400,
      'with the address: on to Aries',
    );
    const refresh = new Request('https://app.example/auth/refresh', {
      method: 'POST',
      headers: { Origin: 'https://app.example', 'X-Requested-With': 'aries-login' },
    });
    assert.equal((await backend.fetch(refresh)).status, 204, '/refresh needs no address');
  });

  it('buckets: IPv4 as it is, IPv4-mapped as IPv4, IPv6 by /64, any other key as it is', async () => {
    const { bucketOf } = await clientIpModule();
    const table = {
      '203.0.113.7': '203.0.113.7',
      '::ffff:203.0.113.7': '203.0.113.7',
      '::ffff:cb00:7107': '203.0.113.7',
      '2001:db8:1:2::1': '2001:db8:1:2::/64',
      '2001:DB8:1:2:ffff:ffff:ffff:ffff': '2001:db8:1:2::/64',
      'fe80::1%eth0': 'fe80:0:0:0::/64',
      '::1': '0:0:0:0::/64',
      'user-42': 'user-42',
    };
    for (const [address, bucket] of Object.entries(table)) assert.equal(bucketOf(address), bucket, address);
  });

  it('hops: the socket alone without trustProxy; counted or matched from the right with it', async () => {
    const { clientAddress, trustedProxies } = await clientIpModule();
    const list = trustedProxies(['10.0.0.0/8', '::1']);
    const cases = [
      [undefined, '1.1.1.1', '10.0.0.1', '10.0.0.1'],
      [1, '1.1.1.1, 2.2.2.2', '10.0.0.1', '2.2.2.2'],
      [2, '1.1.1.1, 2.2.2.2', '10.0.0.1', '1.1.1.1'],
      [5, '1.1.1.1', '10.0.0.1', '1.1.1.1'],
      [list, '1.1.1.1, 2.2.2.2, 10.0.0.9', '::1', '2.2.2.2'],
      [list, null, '::ffff:10.0.0.2', '10.0.0.2'],
      [list, '1.1.1.1', '192.0.2.1', '192.0.2.1'],
      [1, '1.1.1.1', undefined, undefined],
    ];
    for (const [trust, forwarded, socket, client] of cases) {
      assert.equal(clientAddress(trust, forwarded, socket), client, `${forwarded} via ${socket}`);
    }
  });
});
