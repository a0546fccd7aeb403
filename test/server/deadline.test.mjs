// Time limits on promises the backend does not control (server/deadline.ts): the work's outcome within the limit, the
// late answer past it, and a late failure that is nobody's (never an unhandled rejection).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import './support.mjs'; // builds dist/server

const { deadline, race } = await import('../../dist/server/deadline.js');

const never = () => new Promise(() => {});
const after = (ms, settle) => new Promise((resolve, reject) => setTimeout(() => settle(resolve, reject), ms));

describe('race', () => {
  it('settles as the work does when it is first, with late() once the time is up first', async () => {
    assert.equal(await race(Promise.resolve('work'), 1_000, () => 'late'), 'work');
    await assert.rejects(
      race(Promise.reject(new Error('failed')), 1_000, () => 'late'),
      /failed/,
    );
    assert.equal(await race(never(), 10, () => 'late'), 'late');
    assert.equal(
      await race(
        after(500, (resolve) => resolve('work')),
        10,
        () => 'late',
      ),
      'late',
    );
  });

  it('a failure after the deadline is dropped, never an unhandled rejection', async () => {
    const unhandled = [];
    const listener = (reason) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const work = after(30, (_, reject) => reject(new Error('too late to matter')));
      assert.equal(await race(work, 5, () => 'late'), 'late');
      await after(60, (resolve) => resolve());
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});

describe('deadline', () => {
  it('the work’s value in time; past the limit, a rejection naming what did not answer and within how long', async () => {
    assert.equal(await deadline(Promise.resolve(42), 1_000, 'Redis'), 42);
    await assert.rejects(deadline(never(), 20, 'Redis'), { message: 'Redis did not answer within 20 ms' });
    await assert.rejects(deadline(Promise.reject(new Error('refused')), 1_000, 'Redis'), /refused/);
  });
});
