// Aries' quota as the backend spends it (server/quota.ts), against the emulator, whose token endpoint counts 10 calls per
// client in any 60 s as Aries' "Authentication 10/min" does. Who a client is: client-ip.test.mjs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appAt, bogus, emulatorWithClient, eventually, from, post, signIn, sleep, statuses } from './support.mjs';

let emulator, logs;
before(async () => {
  ({ emulator } = await emulatorWithClient());
  logs = [];
});
after(async () => {
  for (const one of backends) await one.close();
  await emulator.close();
});

const backends = [];
/** A new client at Aries and a backend for it (support.mjs' appAt), closed after the tests. */
async function app(options) {
  const one = await appAt(emulator, logs, options);
  backends.push(one);
  return one;
}
const ariesAnswers = async (aries) => (await aries.grants()).map((g) => g.status);

// Issue 21, row 1: a flood of bogus codes from one client must not spend the quota every other user needs.
describe('the app’s quota at Aries', () => {
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
