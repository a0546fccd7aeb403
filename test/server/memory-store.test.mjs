// The embedded session store (server/memory-store.ts): bounded, timed out, compare-and-set, locks; and what it tells
// the backend (its lifetime, its rate limits' backing).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryStore, sleep, storeContract, storedSession } from './support.mjs';

describe('memoryStore', () => {
  const session = () => storedSession();

  it('keeps at most maxSessions, ending the least recently used first', async () => {
    const store = memoryStore({ maxSessions: 3 });
    for (const id of ['a', 'b', 'c']) await store.create(id, session());
    await store.get('a');
    await store.create('d', session());
    assert.equal(await store.get('b'), undefined);
    for (const id of ['a', 'c', 'd']) assert.ok(await store.get(id), id);
  });

  it('ends sessions after the idle timeout and after the absolute lifetime', async () => {
    const store = memoryStore({ idleTimeout: 150, absoluteTimeout: 500 });
    await store.create('idle', session());
    await store.create('busy', session());
    for (let i = 0; i < 4; i++) {
      await sleep(60);
      assert.ok(await store.get('busy'));
    }
    assert.equal(await store.get('idle'), undefined);
    await sleep(300);
    assert.equal(await store.get('busy'), undefined, 'absolute lifetime over, however busy');
  });

  storeContract(() => memoryStore());

  it('says its timeouts (for session_expires_in) and counts rate limits in memory', () => {
    const store = memoryStore({ idleTimeout: 1_000, absoluteTimeout: 5_000 });
    assert.deepEqual(store.lifetime, { idleTimeout: 1_000, absoluteTimeout: 5_000 });
    assert.deepEqual(memoryStore().lifetime, { idleTimeout: 7 * 24 * 3600_000, absoluteTimeout: 30 * 24 * 3600_000 });
    assert.deepEqual(store.rateLimitBacking, { kind: 'memory' });
  });

  it('an unknown id is no session: get undefined, update false; delete and close succeed', async () => {
    const store = memoryStore();
    assert.equal(await store.get('nobody'), undefined);
    assert.equal(await store.update('nobody', storedSession({ refreshToken: 'r' }), 'r'), false);
    assert.equal(await store.delete('nobody'), true);
    await store.close();
  });
});
