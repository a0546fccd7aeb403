// The shared session store (server/redis-store.ts) on a real redis-server: alone (keys, TTLs, compare-and-set, locks),
// and under two backend instances sharing it: sessions, refresh single-flight and sign-out hold across instances, and a
// restarted instance takes over; Redis stalled (SIGSTOP), slow or refused is a fast 500 (issue 21, rows 3, 4, 5 and 7).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient as createRedisClient } from 'redis';
import {
  emulatorWithClient,
  eventually,
  mountFor,
  post,
  redisStore,
  signIn,
  sleep,
  startRedis,
  storeContract,
  storedSession,
  tcpProxy,
  tokenBody,
} from './support.mjs';

const LIFETIME = 1;
let aries, redis;
const instances = [];
/** The instances' operator log (backend.test.mjs reads it; here it only keeps the output quiet). */
const logs = [];

/** One instance of the app: its own process state, its own port, the shared Redis. */
async function instance(options = {}) {
  const { close, ...mounted } = await mountFor(aries, logs, {
    ariesTimeout: 2_000,
    ariesQuota: { points: 100_000 },
    tokenRateLimit: { points: 1000 },
    ...options,
    store: options.store ?? redisStore({ url: redis.url }),
  });
  const one = {
    ...mounted,
    stop: async () => {
      await close();
      await mounted.backend.close();
    },
  };
  instances.push(one);
  return one;
}

before(async () => {
  redis = await startRedis();
  aries = await emulatorWithClient({ tokenLifetime: LIFETIME });
});
after(async () => {
  for (const one of instances) await one.stop().catch(() => {});
  await aries?.emulator.close();
  await redis?.stop();
});

const stale = () => sleep(LIFETIME * 600);

describe('redisStore, two instances', () => {
  it('signs in on one instance and refreshes on the other', async () => {
    const [a, b] = [await instance(), await instance()];
    const { cookie, json } = await signIn(a.origin, aries);
    const same = await post(b.origin, 'refresh', { cookie });
    assert.equal(same.status, 200);
    assert.equal((await same.json()).access_token, json.access_token);
    await stale();
    const renewed = await post(b.origin, 'refresh', { cookie });
    assert.equal(renewed.status, 200);
    const token = (await renewed.json()).access_token;
    assert.notEqual(token, json.access_token);
    assert.equal(
      (await (await post(a.origin, 'refresh', { cookie })).json()).access_token,
      token,
      'A sees B’s refresh',
    );
  });

  it('a new instance takes over the session when the old one is gone (restart, deploy)', async () => {
    const old = await instance();
    const { cookie } = await signIn(old.origin, aries);
    await old.stop();
    const fresh = await instance();
    await stale();
    const response = await post(fresh.origin, 'refresh', { cookie });
    assert.equal(response.status, 200);
  });

  it('concurrent refreshes on both instances: one refresh grant at Aries, every caller gets the same new token', async () => {
    const [a, b] = [await instance(), await instance()];
    const { cookie } = await signIn(a.origin, aries);
    await stale();
    const before = (await aries.grants('refresh_token')).length;
    await aries.faults({ delayMs: 200 }); // the winner's call is slow, so the others really wait for it
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post((i % 2 ? a : b).origin, 'refresh', { cookie })),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      Array(10).fill(200),
    );
    const tokens = new Set(await Promise.all(answers.map(async (r) => (await r.json()).access_token)));
    assert.equal(tokens.size, 1);
    assert.equal((await aries.grants('refresh_token')).length - before, 1);
  });

  it('a sign-out on one instance during a refresh on the other: the session stays gone everywhere', async () => {
    const [a, b] = [await instance(), await instance()];
    const { cookie } = await signIn(a.origin, aries);
    await stale();
    await aries.faults({ delayMs: 400 });
    const refreshing = post(b.origin, 'refresh', { cookie });
    await sleep(150);
    assert.equal((await post(a.origin, 'logout', { cookie })).status, 204);
    assert.equal((await refreshing).status, 401);
    for (const one of [a, b]) assert.equal((await post(one.origin, 'refresh', { cookie })).status, 401);
  });

  it('shares the /token rate limit through Redis', async () => {
    const options = { tokenRateLimit: { points: 2, duration: 60 }, clientIp: () => 'one-client' };
    const [a, b] = [await instance(options), await instance(options)];
    const statuses = [];
    for (const one of [a, b, a, b]) {
      statuses.push((await post(one.origin, 'token', { body: tokenBody('bogus') })).status);
    }
    assert.deepEqual(statuses, [400, 400, 429, 429]);
  });

  it('sessions carry TTLs in Redis: idle timeout renewed by use, absolute lifetime never', async () => {
    const store = redisStore({ url: redis.url, prefix: 'ttl-test:', idleTimeout: 400, absoluteTimeout: 1_000 });
    await store.create('idle', storedSession());
    await store.create('busy', storedSession());
    for (let i = 0; i < 3; i++) {
      await sleep(250);
      assert.ok(await store.get('busy'), 'kept alive by use');
    }
    assert.equal(await store.get('idle'), undefined, 'gone after 400 ms idle');
    await sleep(400);
    assert.equal(await store.get('busy'), undefined, 'gone after its absolute lifetime, however busy');
    await store.close();
  });

  it('Aries’ 429 on one instance holds every instance: no call to Aries until its reset', async () => {
    const quota = { ariesQuota: { points: 100_000 }, ariesTimeout: 1_000 };
    const [a, b] = [await instance(quota), await instance(quota)];
    const { cookie } = await signIn(a.origin, aries);
    await stale();
    await aries.faults({ status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '2' } });
    assert.equal((await post(a.origin, 'refresh', { cookie })).status, 429);
    const calls = (await aries.grants()).length;
    const elsewhere = await signIn(b.origin, aries);
    assert.equal(elsewhere.response.status, 429);
    assert.equal((await post(b.origin, 'refresh', { cookie })).status, 429);
    assert.equal((await aries.grants()).length, calls, 'instance B did not call Aries either');
    await eventually(
      async () => (await post(b.origin, 'refresh', { cookie })).status === 200,
      'Aries called again',
      5_000,
    );
  });

  // Issue 21, row 3.
  it('a refresh Aries answers after ariesTimeout: 502 at the deadline, the rotated tokens stored, the retry on the other instance gets them', async () => {
    const [a, b] = [await instance({ ariesTimeout: 500 }), await instance({ ariesTimeout: 500 })];
    const { cookie, json } = await signIn(a.origin, aries);
    await stale();
    const before = (await aries.grants('refresh_token')).length;
    await aries.faults({ delayMs: 900 });
    assert.equal((await post(a.origin, 'refresh', { cookie })).status, 502);
    // The browser retries once Aries has answered (and rotated the refresh token).
    await eventually(async () => (await aries.grants('refresh_token')).at(-1).status !== null, 'Aries’ answer');
    const retry = await post(b.origin, 'refresh', { cookie });
    assert.equal(retry.status, 200, 'the retry got the tokens Aries rotated, not invalid_grant');
    const renewed = await retry.json();
    assert.notEqual(renewed.access_token, json.access_token);
    assert.deepEqual(
      (await aries.grants('refresh_token')).slice(before).map((g) => g.status),
      [200],
    );
  });

  // Issue 21, row 4.
  it('an instance whose Redis link stalls after Aries rotated the token: nobody is signed out, its late write lands, the session lives on', async () => {
    const proxy = await tcpProxy(redis.port);
    const stalling = await instance({ store: redisStore({ url: proxy.url }), ariesTimeout: 500 });
    const other = await instance({ ariesTimeout: 500 });
    const { cookie } = await signIn(other.origin, aries);
    await stale();
    const before = (await aries.grants('refresh_token')).length;
    await aries.faults({ delayMs: 300 });
    const first = post(stalling.origin, 'refresh', { cookie });
    await eventually(async () => (await aries.grants('refresh_token')).length > before, 'its refresh at Aries');
    proxy.pause(); // Aries rotates the refresh token; the instance's write of it is held on the way to Redis
    // Longer than a lock of ariesTimeout + 5 s would last: the stalled holder is "slowed past the TTL".
    await sleep(6_000);
    const second = await post(other.origin, 'refresh', { cookie });
    proxy.resume();
    const answers = [await first, second].map((r) => r.status);
    assert.ok(!answers.includes(401), `nobody signed out: ${answers}`);
    await eventually(async () => (await post(other.origin, 'refresh', { cookie })).status === 200, 'the session');
    await stale();
    assert.equal(
      (await post(other.origin, 'refresh', { cookie })).status,
      200,
      'the stored refresh token is Aries’ newest',
    );
    const grants = (await aries.grants('refresh_token')).slice(before).map((g) => g.status);
    assert.ok(!grants.includes(400), `no refresh token was sent twice: ${grants}`);
    await proxy.close();
  });

  // Issue 21, row 5.
  it('a stalled Redis (SIGSTOP): /token, /refresh and /logout answer 500 within 2 s, the cookie is cleared anyway, all works again after', async () => {
    const stalled = await startRedis();
    const one = await instance({ store: redisStore({ url: stalled.url }), log: () => {} });
    const { cookie } = await signIn(one.origin, aries);
    const code = await aries.authorize();
    process.kill(stalled.pid, 'SIGSTOP');
    try {
      for (const [route, options] of [
        ['token', { body: tokenBody(code) }],
        ['refresh', { cookie }],
        ['logout', { cookie }],
      ]) {
        const started = Date.now();
        const response = await post(one.origin, route, { ...options, signal: AbortSignal.timeout(8_000) });
        const took = Date.now() - started;
        assert.equal(response.status, 500, route);
        assert.equal((await response.json()).error, 'server_error');
        assert.ok(took < 2_000, `${route} answered in ${took} ms`);
        if (route === 'logout') assert.match(response.headers.get('set-cookie'), /^aries_session=; .*Max-Age=0/);
      }
    } finally {
      process.kill(stalled.pid, 'SIGCONT');
    }
    await eventually(
      async () => (await signIn(one.origin, aries)).response.status === 200,
      'a sign-in once Redis is back',
    );
    await stalled.stop();
  });

  // Issue 21, row 5.
  it('a slow Redis link (2.5 s per packet) is a fast 500 too, not a 5 s wait per command', async () => {
    const proxy = await tcpProxy(redis.port);
    const one = await instance({ store: redisStore({ url: proxy.url }), log: () => {} });
    const { cookie } = await signIn(one.origin, aries);
    proxy.slow(2_500);
    const started = Date.now();
    const response = await post(one.origin, 'refresh', { cookie, signal: AbortSignal.timeout(15_000) });
    const took = Date.now() - started;
    assert.equal(response.status, 500);
    assert.ok(took < 2_000, `answered in ${took} ms`);
    await proxy.close();
  });

  it('Redis unreachable: a JSON 500 server_error within 2 s, never a crash or a hang; a sign-out still clears the cookie', async () => {
    const served = await mountFor(aries, [], { store: redisStore({ url: 'redis://127.0.0.1:1' }) });
    const cookie = `aries_session=${'a'.repeat(43)}`;
    const started = Date.now();
    const response = await post(served.origin, 'refresh', { cookie });
    assert.equal(response.status, 500);
    assert.equal((await response.json()).error, 'server_error');
    assert.ok(Date.now() - started < 2_000);
    const logout = await post(served.origin, 'logout', { cookie });
    assert.equal(logout.status, 500);
    assert.match(logout.headers.get('set-cookie'), /^aries_session=; .*Max-Age=0/);
    await served.close();
    await served.backend.close();
  });

  // Compare-and-set by a Lua script; the lock a key with a TTL.
  storeContract(() => redisStore({ url: redis.url, prefix: 'contract-test:' }));
});

describe('redisStore alone', () => {
  it('writes only under its prefix, with a TTL; says its timeouts and that its rate limits are shared in Redis', async () => {
    const store = redisStore({ url: redis.url, prefix: 'alone-test:', idleTimeout: 60_000, absoluteTimeout: 120_000 });
    const raw = createRedisClient({ url: redis.url });
    await raw.connect();
    try {
      await store.create('s', storedSession());
      const keys = await raw.keys('alone-test:*');
      assert.equal(keys.length, 1);
      const ttl = await raw.pTTL(keys[0]);
      assert.ok(ttl > 0 && ttl <= 60_000, `${ttl} ms`);
      assert.deepEqual(store.lifetime, { idleTimeout: 60_000, absoluteTimeout: 120_000 });
      assert.equal(store.rateLimitBacking.kind, 'redis');
      assert.equal(store.rateLimitBacking.commandTimeout, 1_000);
    } finally {
      await raw.quit();
      await store.close();
    }
  });

  it('a client of the app’s own is used as it is, and left open by close()', async () => {
    const client = createRedisClient({ url: redis.url });
    await client.connect();
    const store = redisStore({ client, prefix: 'own-client-test:' });
    await store.create('s', storedSession({ refreshToken: 'r' }));
    assert.equal((await store.get('s')).refreshToken, 'r');
    await store.close();
    assert.equal(client.isOpen, true);
    await client.quit();
  });

  it('needs a url or a client', () => {
    assert.throws(() => redisStore(), TypeError);
  });
});
