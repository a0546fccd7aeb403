// The operator's log (server/log.ts), alone: one JSON line per event, a sink that fails is no failure of the backend's,
// and a session named by a tag that cannot resume it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import './support.mjs'; // builds dist/server

const { operatorLog, sessionTag } = await import('../../dist/server/log.js');

describe('operatorLog', () => {
  it('writes one JSON line per event: source, level, event, then the fields', () => {
    const lines = [];
    const report = operatorLog((line) => lines.push(line));
    report('warn', 'aries_fault', { route: 'refresh', outcome: 'rate_limited' });
    report('info', 'session_ended');
    assert.deepEqual(lines, [
      '{"source":"aries-login","level":"warn","event":"aries_fault","route":"refresh","outcome":"rate_limited"}',
      '{"source":"aries-login","level":"info","event":"session_ended"}',
    ]);
  });

  it('a sink that throws is ignored: reporting never throws', () => {
    const report = operatorLog(() => {
      throw new Error('the disk is full');
    });
    assert.doesNotThrow(() => report('error', 'store_failed', { reason: 'x' }));
  });
});

describe('sessionTag', () => {
  it('12 hex characters of the id’s SHA-256: the same for one session, another for another, never the id itself', () => {
    const id = 'Q'.repeat(43);
    const tag = sessionTag(id);
    assert.match(tag, /^[0-9a-f]{12}$/);
    assert.equal(tag, createHash('sha256').update(id).digest('hex').slice(0, 12));
    assert.equal(sessionTag(id), tag);
    assert.notEqual(sessionTag('R'.repeat(43)), tag);
    assert.ok(!id.includes(tag));
  });
});
