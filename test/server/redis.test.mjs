// The server entry with redisStore on a real redis-server, two backend instances sharing it: sessions, refresh
// single-flight and sign-out hold across instances, and a restarted instance takes over.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBackend, emulatorWithClient, post, redisStore, serve, signIn, sleep, startRedis } from './support.mjs';

const LIFETIME = 1;
let aries, redis;
const instances = [];

/** One instance of the app: its own process state, its own port, the shared Redis. */
async function instance(options = {}) {
  const backend = createBackend({
    clientId: aries.clientId,
    clientSecret: aries.clientSecret,
    tokenUrl: aries.tokenUrl,
    store: redisStore({ url: redis.url }),
    ariesTimeout: 2_000,
    tokenRateLimit: { points: 1000 },
    ...options,
  });
  const served = await serve(backend);
  const one = {
    origin: served.origin,
    backend,
    stop: async () => {
      await served.close();
      await backend.close();
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
      statuses.push((await post(one.origin, 'token', { body: { code: 'bogus', redirect_uri: 'x' } })).status);
    }
    assert.deepEqual(statuses, [400, 400, 429, 429]);
  });

  it('sessions carry TTLs in Redis: idle timeout renewed by use, absolute lifetime never', async () => {
    const store = redisStore({ url: redis.url, prefix: 'ttl-test:', idleTimeout: 400, absoluteTimeout: 1_000 });
    const session = (createdAt) => ({
      redirectUri: 'x',
      accessToken: 'a',
      tokenType: 'Bearer',
      scope: '',
      expiresIn: 60,
      expiresAt: Date.now() + 60_000,
      createdAt,
    });
    await store.create('idle', session(Date.now()));
    await store.create('busy', session(Date.now()));
    for (let i = 0; i < 3; i++) {
      await sleep(250);
      assert.ok(await store.get('busy'), 'kept alive by use');
    }
    assert.equal(await store.get('idle'), undefined, 'gone after 400 ms idle');
    await sleep(400);
    assert.equal(await store.get('busy'), undefined, 'gone after its absolute lifetime, however busy');
    await store.close();
  });

  it('Redis unreachable: a JSON 500 server_error, never a crash or a hang', async () => {
    const backend = createBackend({
      clientId: aries.clientId,
      clientSecret: aries.clientSecret,
      tokenUrl: aries.tokenUrl,
      store: redisStore({ url: 'redis://127.0.0.1:1' }),
      log: () => {},
    });
    const served = await serve(backend);
    const response = await post(served.origin, 'refresh', { cookie: `__Host-aries_session=${'a'.repeat(43)}` });
    assert.equal(response.status, 500);
    assert.equal((await response.json()).error, 'server_error');
    await served.close();
    await backend.close();
  });
});
