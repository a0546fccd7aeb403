// A session's access token for a call to Aries' API (server/access-token.ts), alone: when a token counts as near its
// expiry, and what accessTokenOf gives for each state of a session, over the real session routes and the emulator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emulatorWithClient, memoryStore, sessionRoutesAt, signInThrough, sleep, storedSession } from './support.mjs';

const { AriesSessionError, accessTokenOf, nearExpiry } = await import('../../dist/server/access-token.js');
const { LOOPBACK_COOKIE: cookie } = await import('../../dist/server/http.js');

/** Aries' tokens live 1 s: under a quarter of that left (250 ms), the token is near its expiry. */
const LIFETIME = 1;
let aries;
before(async () => (aries = await emulatorWithClient({ tokenLifetime: LIFETIME })));
after(() => aries.emulator.close());

/** A signed-in session over the real routes, and accessTokenOf bound to it. */
async function signedIn(options) {
  const { store, reports, sessions } = await sessionRoutesAt(aries, options);
  const { id, json } = await signInThrough(sessions, aries);
  const tokenOf = (sessionId = id) => accessTokenOf({ store, sessions, report: () => {} }, sessionId, cookie);
  return { id, json, store, reports, tokenOf };
}

describe('nearExpiry', () => {
  it('under a minute left, or under a quarter of a short token’s life', () => {
    const now = 1_000_000;
    const table = [
      [3600, 61_000, false],
      [3600, 59_000, true],
      [60, 16_000, false],
      [60, 14_000, true],
      [1, 300, false],
      [1, 200, true],
      [3600, -1, true],
    ];
    for (const [expiresIn, left, near] of table) {
      const session = storedSession({ expiresIn, expiresAt: now + left });
      assert.equal(nearExpiry(session, now), near, `${left} ms left of ${expiresIn} s`);
    }
  });
});

describe('accessTokenOf', () => {
  it('no session: undefined; a token with time left: as stored, Aries not asked', async () => {
    const { json, tokenOf } = await signedIn();
    assert.equal(await tokenOf('Z'.repeat(43)), undefined);
    const before = (await aries.grants('refresh_token')).length;
    assert.equal(await tokenOf(), json.access_token);
    assert.equal((await aries.grants('refresh_token')).length, before);
  });

  it('near its expiry: refreshed first, the new token', async () => {
    const { json, tokenOf } = await signedIn();
    await sleep(LIFETIME * 800);
    const token = await tokenOf();
    assert.ok(token);
    assert.notEqual(token, json.access_token);
  });

  it('Aries ends the session on the refresh (invalid_grant): undefined', async () => {
    const { tokenOf } = await signedIn();
    await sleep(LIFETIME * 800);
    await aries.faults({ error: 'invalid_grant' });
    assert.equal(await tokenOf(), undefined);
  });

  it('Aries rate limiting: AriesSessionError rate_limited, 429, with when to retry', async () => {
    const { tokenOf } = await signedIn();
    await sleep(LIFETIME * 800);
    await aries.faults({ status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '20' } });
    const error = await tokenOf().catch((e) => e);
    assert.ok(error instanceof AriesSessionError);
    assert.equal(error.name, 'AriesSessionError');
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.status, 429);
    assert.ok(error.retryAt > Date.now() + 10_000, `${error.retryAt}`);
  });

  it('Aries down: AriesSessionError server_error with the status /refresh answers (502)', async () => {
    const { tokenOf } = await signedIn();
    await sleep(LIFETIME * 800);
    await aries.faults({ error: 'temporarily_unavailable', status: 503 });
    await assert.rejects(tokenOf(), { name: 'AriesSessionError', code: 'server_error', status: 502 });
  });

  it('the store failing: AriesSessionError server_error, 500, reported as store_failed', async () => {
    const store = memoryStore();
    const failing = { ...store, get: () => Promise.reject(new Error('the store is down')) };
    const reports = [];
    const report = (level, event, fields) => reports.push({ level, event, ...fields });
    const { sessions } = await sessionRoutesAt(aries);
    await assert.rejects(accessTokenOf({ store: failing, sessions, report }, 'Z'.repeat(43), cookie), {
      name: 'AriesSessionError',
      code: 'server_error',
      status: 500,
    });
    assert.deepEqual(reports, [
      { level: 'error', event: 'store_failed', route: 'getAccessToken', reason: 'the store is down' },
    ]);
  });
});
