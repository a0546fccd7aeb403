// The session routes' work (server/sessions.ts), alone: a memory store, the quota, the client of Aries' token endpoint
// against the emulator, and the reports they make; no HTTP in front (the backend's: backend.test.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BROWSER_ANSWER_FIELDS,
  REDIRECT,
  emulatorWithClient,
  sessionRoutesAt,
  signInThrough,
  sleep,
} from './support.mjs';

const { LOOPBACK_COOKIE: cookie } = await import('../../dist/server/http.js');

/** Aries' tokens live 1 s: past half of that, a refresh goes to Aries. */
const LIFETIME = 1;
let aries;
before(async () => (aries = await emulatorWithClient({ tokenLifetime: LIFETIME })));
after(() => aries.emulator.close());

const routes = (options) => sessionRoutesAt(aries, options);
const signIn = (sessions, oldId) => signInThrough(sessions, aries, oldId);
const refreshGrants = async () => (await aries.grants('refresh_token')).length;

describe('sessionRoutes', () => {
  it('a sign-in stores the session with its refresh token; the browser gets the access token only', async () => {
    const { store, sessions } = await routes();
    const { response, id, json } = await signIn(sessions);
    assert.equal(response.status, 200);
    assert.ok(id);
    assert.deepEqual(Object.keys(json).sort(), BROWSER_ANSWER_FIELDS);
    const stored = await store.get(id);
    assert.equal(stored.accessToken, json.access_token);
    assert.ok(stored.refreshToken);
    assert.equal(stored.redirectUri, REDIRECT);
  });

  it('a new sign-in in a browser with a session ends the old one, reported as replaced', async () => {
    const { store, reports, sessions } = await routes();
    const first = await signIn(sessions);
    const second = await signIn(sessions, first.id);
    assert.equal(await store.get(first.id), undefined);
    assert.ok(await store.get(second.id));
    assert.ok(reports.some((r) => r.event === 'session_ended' && r.reason === 'replaced'));
  });

  it('refresh: nobody signed in is 204; a fresh token is served as stored; a stale one is refreshed at Aries once', async () => {
    const { store, sessions } = await routes();
    assert.equal((await sessions.refresh(undefined, cookie)).status, 204);
    const { id, json } = await signIn(sessions);
    const before = await refreshGrants();
    const fresh = await sessions.refresh(id, cookie);
    assert.equal((await fresh.json()).access_token, json.access_token);
    assert.equal(await refreshGrants(), before, 'Aries not asked');
    await sleep(LIFETIME * 600);
    const answers = await Promise.all(Array.from({ length: 5 }, () => sessions.refresh(id, cookie)));
    const tokens = new Set(await Promise.all(answers.map(async (r) => (await r.json()).access_token)));
    assert.equal(tokens.size, 1, 'every caller gets the one new token');
    assert.notEqual([...tokens][0], json.access_token);
    assert.equal(await refreshGrants(), before + 1, 'one refresh grant for five callers');
    assert.equal((await store.get(id)).accessToken, [...tokens][0]);
  });

  it('renew with the token Aries just refused refreshes even while it looks fresh', async () => {
    const { sessions } = await routes();
    const { id, json } = await signIn(sessions);
    const before = await refreshGrants();
    const renewed = await sessions.renew(id, cookie, json.access_token);
    assert.notEqual(renewed.accessToken, json.access_token);
    assert.equal(await refreshGrants(), before + 1);
    assert.equal((await sessions.renew(id, cookie)).accessToken, renewed.accessToken, 'without a refusal: as stored');
  });

  it('Aries’ invalid_grant on a refresh ends the session: 401 session_expired, the cookie cleared, reported', async () => {
    const { store, reports, sessions } = await routes();
    const { id } = await signIn(sessions);
    await sleep(LIFETIME * 600);
    await aries.faults({ error: 'invalid_grant' });
    const ended = await sessions.refresh(id, cookie);
    assert.equal(ended.status, 401);
    assert.equal((await ended.json()).error, 'session_expired');
    assert.equal(ended.headers.get('set-cookie'), cookie.cleared);
    assert.equal(await store.get(id), undefined);
    assert.ok(reports.some((r) => r.event === 'session_ended' && r.reason === 'invalid_grant'));
  });

  it('a session whose lock another holder keeps past ariesTimeout: 502, Aries not asked, the session kept', async () => {
    const { store, sessions } = await routes({ ariesTimeout: 200 });
    const { id } = await signIn(sessions);
    await sleep(LIFETIME * 600);
    const held = await store.lock(id, 5_000);
    const before = await refreshGrants();
    const busy = await sessions.refresh(id, cookie);
    assert.equal(busy.status, 502);
    assert.equal((await busy.json()).error, 'server_error');
    assert.equal(await refreshGrants(), before, 'the lock’s holder refreshes, not this one');
    await held.release();
    assert.ok(await store.get(id));
  });

  it('a sign-in past the client’s limit: 429 before Aries is asked, reported as refused by the client', async () => {
    const { reports, sessions } = await routes({ perClient: { points: 1 } });
    assert.equal((await signIn(sessions)).response.status, 200);
    const calls = (await aries.grants('code')).length;
    const refused = await signIn(sessions);
    assert.equal(refused.response.status, 429);
    assert.equal(refused.json.error, 'rate_limited');
    assert.equal((await aries.grants('code')).length, calls);
    assert.ok(reports.some((r) => r.event === 'request_refused' && r.by === 'client'));
  });

  it('logout clears the cookie and ends the session, also while a refresh is in flight', async () => {
    const { store, sessions } = await routes();
    const { id } = await signIn(sessions);
    await sleep(LIFETIME * 600);
    await aries.faults({ delayMs: 300 });
    const refreshing = sessions.refresh(id, cookie);
    await sleep(50);
    const out = await sessions.logout(id, cookie);
    assert.equal(out.status, 204);
    assert.equal(out.headers.get('set-cookie'), cookie.cleared);
    assert.equal((await refreshing).status, 401, 'the sign-out wins');
    assert.equal(await store.get(id), undefined);
  });
});
