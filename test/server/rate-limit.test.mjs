// Counters over time windows (server/rate-limit.ts), alone: in memory, and shared through a real redis-server between
// two stores (two instances), every Redis call with a deadline.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memoryStore, redisStore, sleep, startRedis } from './support.mjs';

const { createCounter } = await import('../../dist/server/rate-limit.js');

let redis;
const stores = [];
before(async () => (redis = await startRedis()));
after(async () => {
  for (const store of stores) await store.close();
  await redis?.stop();
});
const opened = (store) => (stores.push(store), store);

const backings = {
  memory: () => [memoryStore(), memoryStore()],
  redis: () => [
    opened(redisStore({ url: redis.url, prefix: 'counter-test:' })),
    opened(redisStore({ url: redis.url, prefix: 'counter-test:' })),
  ],
};

for (const [kind, twoStores] of Object.entries(backings)) {
  describe(`a counter in ${kind}`, () => {
    let n = 0;
    /** A counter on a key prefix of its own, so that the tests never share counts. */
    const counter = (store, options) =>
      createCounter(store, { points: 2, duration: 60, keyPrefix: `${kind}-${++n}`, ...options });

    it('allows `points` calls per key and window, counting down; the next is refused until the window ends', async () => {
      const [store] = twoStores();
      const limit = counter(store);
      const started = Date.now();
      const answers = [await limit.consume('k'), await limit.consume('k'), await limit.consume('k')];
      assert.deepEqual(
        answers.map((a) => [a.allowed, a.remaining]),
        [
          [true, 1],
          [true, 0],
          [false, 0],
        ],
      );
      for (const { resetAt } of answers) assert.ok(resetAt > started && resetAt <= Date.now() + 60_000, `${resetAt}`);
      assert.equal((await limit.consume('other')).allowed, true, 'each key its own count');
    });

    it('reward gives a point back; block refuses every call until then, whole seconds', async () => {
      const [store] = twoStores();
      const limit = counter(store, { points: 1, duration: 60 });
      assert.equal((await limit.consume('k')).allowed, true);
      await limit.reward('k');
      assert.equal((await limit.consume('k')).allowed, true, 'the point given back');
      const blocked = counter(store, { points: 100, duration: 1 });
      await blocked.block('k', Date.now() + 200);
      const refused = await blocked.consume('k');
      assert.equal(refused.allowed, false);
      assert.ok(refused.resetAt - Date.now() > 500, 'a block under a second lasts one second');
      await sleep(1_100);
      assert.equal((await blocked.consume('k')).allowed, true);
    });

    it(kind === 'redis' ? 'two instances share one count' : 'two processes count apart', async () => {
      const [a, b] = twoStores();
      const keyPrefix = `${kind}-shared`;
      const one = createCounter(a, { points: 1, duration: 60, keyPrefix });
      const other = createCounter(b, { points: 1, duration: 60, keyPrefix });
      assert.equal((await one.consume('k')).allowed, true);
      assert.equal((await other.consume('k')).allowed, kind !== 'redis');
    });
  });
}

describe('a counter in Redis that does not answer', () => {
  it('rejects within the store’s commandTimeout, then works again once Redis is back', async () => {
    const store = opened(redisStore({ url: redis.url, prefix: 'stall-test:', commandTimeout: 300 }));
    const limit = createCounter(store, { points: 5, duration: 60, keyPrefix: 'stall' });
    assert.equal((await limit.consume('k')).allowed, true);
    process.kill(redis.pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await assert.rejects(limit.consume('k'), /did not answer within 300 ms|not reachable/);
      assert.ok(Date.now() - started < 2_000);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    assert.equal((await limit.consume('k')).allowed, true);
  });
});
