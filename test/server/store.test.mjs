// What both session stores share (server/store.ts), alone: the default timeouts, their check, and how long a session
// may still live.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedSession } from './support.mjs';

const { DEFAULT_ABSOLUTE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, checkLifetime, timeToLive } =
  await import('../../dist/server/store.js');

describe('session lifetimes', () => {
  it('default: 7 days idle, 30 days at most', () => {
    assert.equal(DEFAULT_IDLE_TIMEOUT, 7 * 24 * 3600 * 1000);
    assert.equal(DEFAULT_ABSOLUTE_TIMEOUT, 30 * 24 * 3600 * 1000);
  });

  it('a session lives until idle or until its absolute end, whichever comes first', () => {
    const now = 1_000_000;
    const table = [
      // [created ms before now, idle ms left, absolute ms, ms to live]
      [0, 500, 10_000, 500],
      [9_800, 500, 10_000, 200],
      [10_000, 500, 10_000, 0],
      [12_000, 500, 10_000, -2_000],
    ];
    for (const [age, idle, absolute, left] of table) {
      const session = storedSession({ createdAt: now - age });
      assert.equal(timeToLive(session, idle, absolute, now), left, `created ${age} ms ago`);
    }
  });

  it('timeouts are finite and above zero, named with the store that refused them', () => {
    assert.doesNotThrow(() => checkLifetime('memoryStore', {}));
    assert.doesNotThrow(() => checkLifetime('memoryStore', { idleTimeout: 1, absoluteTimeout: 2 }));
    for (const bad of [0, -1, NaN, Infinity, '60000']) {
      for (const name of ['idleTimeout', 'absoluteTimeout']) {
        assert.throws(
          () => checkLifetime('redisStore', { [name]: bad }),
          (error) => error instanceof TypeError && error.message.startsWith(`redisStore: ${name} must`),
          `${name}: ${bad}`,
        );
      }
    }
  });
});
