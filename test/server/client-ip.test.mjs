// Who a client is (server/client-ip.ts), for the per-client limit on sign-ins: the trusted X-Forwarded-For hop, and
// the bucket an address counts in; alone (tables), and through a backend against the emulator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appAt, bogus, emulatorWithClient, statuses, tokenBody } from './support.mjs';

const { MalformedForwardedFor, bucketOf, clientAddress, trustedProxies } =
  await import('../../dist/server/client-ip.js');

describe('client-ip alone', () => {
  it('buckets: IPv4 as it is, IPv4-mapped as IPv4, IPv6 by /64, any other key as it is', () => {
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

  it('hops: the socket alone without trustProxy; counted or matched from the right with it', () => {
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

  it('trustProxy: a whole number of proxies, or a list of addresses and CIDRs; anything else is a TypeError naming it', () => {
    assert.equal(trustedProxies(undefined), undefined);
    assert.equal(trustedProxies(0), 0);
    assert.equal(trustedProxies(2), 2);
    const list = trustedProxies(['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
    for (const [address, trusted] of [
      ['10.200.0.1', true],
      ['11.0.0.1', false],
      ['192.0.2.1', true],
      ['192.0.2.2', false],
      ['2001:db8:ffff::1', true],
      ['2001:db9::1', false],
    ]) {
      assert.equal(clientAddress(list, null, address), address, 'with no hop, the socket');
      assert.equal(clientAddress(list, '203.0.113.9', address), trusted ? '203.0.113.9' : address, address);
    }
    for (const bad of [
      -1,
      1.5,
      NaN,
      '1',
      {},
      ['10.0.0.0/33'],
      ['::/129'],
      ['not-an-ip'],
      ['10.0.0.0/8/1'],
      [1],
      ['10.0.0.0/x'],
    ]) {
      assert.throws(
        () => trustedProxies(bad),
        (error) => error instanceof TypeError && /trustProxy/.test(error.message),
        String(bad),
      );
    }
  });

  it('a hop the trusted proxy would never write (no address) throws MalformedForwardedFor; an untrusted left hop is never read', () => {
    for (const forwarded of ['not-an-address', '1.1.1.1, nope']) {
      assert.throws(() => clientAddress(1, forwarded, '10.0.0.1'), MalformedForwardedFor, forwarded);
    }
    assert.equal(clientAddress(1, 'nope, 2.2.2.2', '10.0.0.1'), '2.2.2.2');
    assert.equal(clientAddress(1, 'fe80::1%eth0', '10.0.0.1'), 'fe80::1', 'a zone id is no part of the address');
  });
});

// Issue 21, row 2: a client behind the app's proxies is the hop its last trusted proxy wrote, whatever it forges.
describe('who the client is, through a backend', () => {
  let emulator;
  const logs = [];
  const backends = [];
  before(async () => {
    ({ emulator } = await emulatorWithClient());
  });
  after(async () => {
    for (const one of backends) await one.close();
    await emulator.close();
  });
  /** A new client at Aries and a backend for it (support.mjs' appAt), closed after the tests. */
  async function app(options) {
    const one = await appAt(emulator, logs, options);
    backends.push(one);
    return one;
  }

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
});
