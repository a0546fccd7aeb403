// The server entry (aries-login/server) with its memory store, against the real emulator: the wire contract, refresh,
// Aries' faults, the defences and the operator's log. (Limits: quota.test.mjs; options: options.test.mjs; Redis:
// redis-store.test.mjs; each module's own: <module>.test.mjs.) A comment names the row of issue 21 a test proves.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  REDIRECT,
  VERIFIER,
  createBackend,
  emulatorWithClient,
  eventually,
  memoryStore,
  mountFor,
  post,
  raw,
  signIn,
  sleep,
  tokenBody,
  BROWSER_ANSWER_FIELDS,
} from './support.mjs';

/** Aries' tokens live 1 s here: the backend refreshes at Aries once half of that has passed. */
const LIFETIME = 1;
/** The tests here sign in many times a minute from one address: both limits are raised (quota.test.mjs tests them). */
const UNLIMITED = { ariesQuota: { points: 100_000 }, tokenRateLimit: { points: 100_000 } };
let aries, app, logs;

const mount = (options) => mountFor(aries, logs, options);

before(async () => {
  logs = [];
  aries = await emulatorWithClient({ tokenLifetime: LIFETIME });
  app = await mount({ ariesTimeout: 500, ...UNLIMITED });
});
after(async () => {
  await app.close();
  await aries.emulator.close();
});

const stale = () => sleep(LIFETIME * 600);
/** The operator's log lines of one event, parsed. */
const logged = (event) => logs.map((line) => JSON.parse(line)).filter((entry) => entry.event === event);
/** A browser-like POST straight into backend.fetch, at any URL (https://…, as behind a proxy that ends TLS). */
const fetchAt = (backend, url, { cookie, body } = {}) =>
  backend.fetch(
    new Request(url, {
      method: 'POST',
      headers: {
        Origin: new URL(url).origin,
        'X-Requested-With': 'aries-login',
        ...(cookie ? { Cookie: cookie } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body && JSON.stringify(body),
    }),
    { clientIp: '192.0.2.1' },
  );
/** A memory store whose `method` fails while `failing.now` is set: a session store (the app's own, say) that is down. */
function failingStore(method) {
  const store = memoryStore();
  const failing = { now: false };
  return {
    failing,
    store: {
      ...store,
      [method]: (...args) => (failing.now ? Promise.reject(new Error('the store is down')) : store[method](...args)),
    },
  };
}

describe('createBackend', () => {
  it('refuses to start without a client secret, and never logs it', () => {
    assert.throws(() => createBackend({ clientId: 'c', clientSecret: '' }), /ARIES_CLIENT_SECRET/);
    assert.ok(!logs.join('\n').includes(aries.clientSecret));
  });

  it('signs in: a 256-bit session id in an HttpOnly, SameSite=Strict cookie, no refresh token to the browser', async () => {
    const { response, json } = await signIn(app.origin, aries);
    assert.equal(response.status, 200);
    const cookie = response.headers.get('set-cookie');
    assert.match(cookie, /=[\w-]{43}; Path=\/; (Secure; )?HttpOnly; SameSite=Strict$/);
    assert.equal(Buffer.from(cookie.split(/[=;]/)[1], 'base64url').length, 32);
    assert.deepEqual(Object.keys(json).sort(), BROWSER_ANSWER_FIELDS);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const [exchange] = (await aries.grants('code')).slice(-1);
    assert.equal(exchange.body.code_verifier, VERIFIER, 'the verifier is passed on to Aries');
  });

  // Issue 21, row 10.
  it('the cookie by kind of request: on plain-http loopback aries_session (no Secure, no __Host-), else __Host-aries_session; Secure; each reads only its own', async () => {
    const { response } = await signIn(app.origin, aries);
    const loopback = response.headers.get('set-cookie');
    assert.match(loopback, /^aries_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    for (const origin of ['http://localhost:8080', 'http://[::1]:8080']) {
      const answer = await fetchAt(app.backend, `${origin}/auth/token`, { body: tokenBody(await aries.authorize()) });
      assert.match(answer.headers.get('set-cookie'), /^aries_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    }
    // https, and http on any other host (a proxy in front that ends TLS): the __Host- cookie, Secure.
    const secure = [];
    for (const origin of ['https://app.example', 'http://app.example']) {
      const answer = await fetchAt(app.backend, `${origin}/auth/token`, { body: tokenBody(await aries.authorize()) });
      const cookie = answer.headers.get('set-cookie');
      assert.match(cookie, /^__Host-aries_session=[\w-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict$/, origin);
      secure.push(cookie.split(';')[0]);
    }
    const loopbackId = loopback.split(/[=;]/)[1];
    const secureId = secure[0].split('=')[1];
    const refreshAt = async (origin, cookie) =>
      origin === app.origin
        ? (await post(app.origin, 'refresh', { cookie })).status
        : (await fetchAt(app.backend, `${origin}/auth/refresh`, { cookie })).status;
    assert.equal(await refreshAt(app.origin, `aries_session=${loopbackId}`), 200);
    assert.equal(await refreshAt(app.origin, `__Host-aries_session=${secureId}`), 204, 'loopback reads only its own');
    assert.equal(await refreshAt('https://app.example', secure[0]), 200);
    assert.equal(
      await refreshAt('https://app.example', `aries_session=${loopbackId}`),
      204,
      'https reads only its own',
    );
    const cleared = await post(app.origin, 'logout', { cookie: `aries_session=${loopbackId}` });
    assert.match(cleared.headers.get('set-cookie'), /^aries_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/);
    const notices = logged('config').filter((entry) => /aries_session/.test(entry.reason));
    assert.equal(notices.length, 1, 'said once');
  });

  it('answers a refresh without a session cookie with 204 (nobody signed in: not an error on page load)', async () => {
    const response = await post(app.origin, 'refresh');
    assert.equal(response.status, 204);
  });

  it('says when the session ends (session_expires_in): idle from this request, or its absolute end, whichever is first', async () => {
    const idleFirst = await mount({ store: memoryStore({ idleTimeout: 600_000, absoluteTimeout: 3_600_000 }) });
    const absoluteFirst = await mount({ store: memoryStore({ idleTimeout: 600_000, absoluteTimeout: 300_000 }) });
    try {
      const signedIn = await signIn(idleFirst.origin, aries);
      assert.equal(signedIn.json.session_expires_in, 600);
      const refreshed = await (await post(idleFirst.origin, 'refresh', { cookie: signedIn.cookie })).json();
      assert.equal(refreshed.session_expires_in, 600, 'each request starts the idle timeout again');
      const { cookie, json } = await signIn(absoluteFirst.origin, aries);
      assert.ok(json.session_expires_in <= 300 && json.session_expires_in >= 299, String(json.session_expires_in));
      await sleep(1100);
      const later = await (await post(absoluteFirst.origin, 'refresh', { cookie })).json();
      assert.ok(later.session_expires_in < json.session_expires_in, 'the absolute end does not move');
    } finally {
      await idleFirst.close();
      await absoluteFirst.close();
    }
  });

  it('refreshes at Aries once the token is past half its life, rotating the refresh token', async () => {
    const { cookie, json } = await signIn(app.origin, aries);
    const early = await post(app.origin, 'refresh', { cookie });
    assert.equal((await early.json()).access_token, json.access_token, 'a fresh token is handed out as it is');
    await stale();
    const first = await (await post(app.origin, 'refresh', { cookie })).json();
    assert.notEqual(first.access_token, json.access_token);
    await stale();
    const second = await post(app.origin, 'refresh', { cookie });
    assert.equal(second.status, 200, 'the rotated refresh token was kept');
  });

  it('twenty concurrent refreshes of one session: one refresh grant at Aries, every caller gets the new token', async () => {
    const { cookie } = await signIn(app.origin, aries);
    await stale();
    const before = (await aries.grants('refresh_token')).length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(app.origin, 'refresh', { cookie })));
    assert.deepEqual(
      answers.map((r) => r.status),
      Array(20).fill(200),
    );
    const tokens = new Set(await Promise.all(answers.map(async (r) => (await r.json()).access_token)));
    assert.equal(tokens.size, 1);
    assert.equal((await aries.grants('refresh_token')).length - before, 1);
  });

  it('sign-out wins over a refresh in flight: the session stays gone and the old cookie mints nothing', async () => {
    const { cookie } = await signIn(app.origin, aries);
    await stale();
    await aries.faults({ delayMs: 300 });
    const refreshing = post(app.origin, 'refresh', { cookie });
    await sleep(100);
    const logout = await post(app.origin, 'logout', { cookie });
    assert.equal(logout.status, 204);
    assert.match(logout.headers.get('set-cookie'), /^aries_session=; .*Max-Age=0/);
    assert.equal((await refreshing).status, 401);
    const after = await post(app.origin, 'refresh', { cookie });
    assert.equal(after.status, 401);
    assert.equal((await after.json()).error, 'session_expired');
    assert.ok(logged('session_ended').some((entry) => entry.reason === 'logout'));
  });

  // Issue 21, row 3.
  it('a refresh Aries answers after ariesTimeout: the browser gets 502 at the deadline, the rotated tokens are stored, the retry gets them', async () => {
    const { cookie, json } = await signIn(app.origin, aries);
    await stale();
    const before = (await aries.grants('refresh_token')).length;
    await aries.faults({ delayMs: 900 }); // Aries performs the refresh, and answers 400 ms after the 500 ms deadline
    const started = Date.now();
    const late = await post(app.origin, 'refresh', { cookie });
    assert.equal(late.status, 502);
    assert.equal((await late.json()).error, 'server_error');
    assert.ok(Date.now() - started < 900, 'answered at the deadline, before Aries');
    // The browser retries once Aries has answered (and rotated the refresh token).
    await eventually(async () => (await aries.grants('refresh_token')).at(-1).status !== null, 'Aries’ answer');
    const retry = await post(app.origin, 'refresh', { cookie });
    assert.equal(retry.status, 200, 'the retry got the tokens Aries rotated, not invalid_grant');
    const renewed = await retry.json();
    assert.notEqual(renewed.access_token, json.access_token);
    const grants = (await aries.grants('refresh_token')).slice(before);
    assert.deepEqual(
      grants.map((g) => g.status),
      [200],
      'one refresh at Aries, carried through',
    );
    await stale();
    assert.equal((await post(app.origin, 'refresh', { cookie })).status, 200, 'and its refresh token was kept');
    assert.ok(logged('aries_fault').some((entry) => /answered after/.test(entry.reason)));
  });

  it('the refresh lock is extended while Aries is waited for (a slow Aries never lets a second holder in)', async () => {
    const store = memoryStore();
    let extensions = 0;
    const counting = {
      ...store,
      lock: async (...args) => {
        const lock = await store.lock(...args);
        return lock && { ...lock, extend: (ttl) => (extensions++, lock.extend(ttl)) };
      },
    };
    const slow = await mount({ store: counting, ariesTimeout: 1_500, ...UNLIMITED });
    const { cookie } = await signIn(slow.origin, aries);
    await stale();
    await aries.faults({ delayMs: 3_000 }); // longer than a quarter of the lock's 10 s
    assert.equal((await post(slow.origin, 'refresh', { cookie })).status, 502);
    await eventually(async () => (await post(slow.origin, 'refresh', { cookie })).status === 200, 'the refresh');
    assert.ok(extensions >= 1, `${extensions} extensions`);
    await slow.close();
  });

  it('a new sign-in in a browser that had a session ends the old one', async () => {
    const first = await signIn(app.origin, aries);
    const again = await post(app.origin, 'token', { body: tokenBody(await aries.authorize()), cookie: first.cookie });
    assert.equal(again.status, 200);
    assert.equal((await post(app.origin, 'refresh', { cookie: first.cookie })).status, 401, 'the old session is gone');
    assert.ok(logged('session_ended').some((entry) => entry.reason === 'replaced'));
  });

  for (const status of [500, 502, 503]) {
    it(`Aries ${status} during a refresh: 502 server_error, session kept, next refresh works, one log line`, async () => {
      const { cookie } = await signIn(app.origin, aries);
      await stale();
      await aries.faults({ status, body: '<h1>down</h1>' });
      const failed = await post(app.origin, 'refresh', { cookie });
      assert.equal(failed.status, 502);
      assert.equal((await failed.json()).error, 'server_error');
      assert.equal((await post(app.origin, 'refresh', { cookie })).status, 200);
      const [fault] = logged('aries_fault').filter((entry) => entry.reason === `status ${status}`);
      assert.deepEqual(fault, {
        source: 'aries-login',
        level: 'error',
        event: 'aries_fault',
        route: 'refresh',
        outcome: 'unavailable',
        reason: `status ${status}`,
      });
    });
  }

  it('a network error or a hung Aries during a refresh: 502 server_error at the timeout, session kept', async () => {
    const { cookie } = await signIn(app.origin, aries);
    await stale();
    await aries.faults({ drop: true });
    assert.equal((await post(app.origin, 'refresh', { cookie })).status, 502);
    await aries.faults({ hang: true });
    const started = Date.now();
    const hung = await post(app.origin, 'refresh', { cookie });
    assert.equal(hung.status, 502);
    assert.ok(Date.now() - started < 3_000, 'answered at the 500 ms timeout, not after minutes');
    // The call itself is given up at three times the timeout; then the next refresh asks Aries again.
    await eventually(
      async () => (await post(app.origin, 'refresh', { cookie })).status === 200,
      'a refresh that works',
    );
  });

  it('Aries invalid_grant on a refresh ends the session: 401 session_expired, cookie cleared, logged', async () => {
    const { cookie } = await signIn(app.origin, aries);
    await stale();
    await aries.faults({ status: 400, error: 'invalid_grant' });
    const ended = await post(app.origin, 'refresh', { cookie });
    assert.equal(ended.status, 401);
    assert.equal((await ended.json()).error, 'session_expired');
    assert.match(ended.headers.get('set-cookie'), /Max-Age=0/);
    assert.equal((await post(app.origin, 'refresh', { cookie })).status, 401);
    const [end] = logged('session_ended').filter((entry) => entry.reason === 'invalid_grant');
    assert.match(end.session, /^[0-9a-f]{12}$/);
  });

  // Issue 21, row 8.
  it('Aries invalid_client on a refresh (a stale secret) is a server fault: 502, session kept, logged as an error', async () => {
    const { cookie } = await signIn(app.origin, aries);
    await stale();
    await aries.faults({ status: 401, error: 'invalid_client' });
    const failed = await post(app.origin, 'refresh', { cookie });
    assert.equal(failed.status, 502);
    assert.equal((await failed.json()).error, 'server_error');
    assert.equal(failed.headers.get('set-cookie'), null);
    assert.equal((await post(app.origin, 'refresh', { cookie })).status, 200, 'the session was kept');
    const [fault] = logged('aries_fault').filter((entry) => entry.outcome === 'invalid_client');
    assert.equal(fault.level, 'error');
    assert.match(fault.reason, /clientSecret/);
  });

  it('never follows a redirect from Aries (a 307 would resend the secret): 502, the target never called', async () => {
    let hits = 0;
    const trap = http.createServer((req, res) => (hits++, res.end('{}')));
    await new Promise((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const { cookie } = await signIn(app.origin, aries);
    await stale();
    const location = `http://127.0.0.1:${trap.address().port}/steal`;
    await aries.faults({ status: 307, headers: { Location: location } });
    assert.equal((await post(app.origin, 'refresh', { cookie })).status, 502);
    await aries.faults({ status: 307, headers: { Location: location } });
    const token = await post(app.origin, 'token', { body: tokenBody(await aries.authorize()) });
    assert.equal(token.status, 502);
    assert.equal(hits, 0);
    trap.close();
  });

  it('a 200 without access_token from Aries: invalid_response, and no session is created', async () => {
    await aries.faults({ status: 200, body: { token_type: 'Bearer', refresh_token: 'r', expires_in: 60 } });
    const response = await post(app.origin, 'token', { body: tokenBody(await aries.authorize()) });
    assert.equal(response.status, 502);
    assert.equal((await response.json()).error, 'invalid_response');
    assert.equal(response.headers.get('set-cookie'), null);
  });

  it('reads Aries’ answer with a size cap: a token response padded past 32 KiB is not read, and creates nothing', async () => {
    const padded = {
      access_token: 'a',
      token_type: 'Bearer',
      expires_in: 60,
      refresh_token: 'r',
      pad: 'x'.repeat(40_000),
    };
    await aries.faults({ status: 200, body: padded });
    const response = await post(app.origin, 'token', { body: tokenBody(await aries.authorize()) });
    assert.equal(response.status, 502);
    assert.equal((await response.json()).error, 'invalid_response');
    assert.equal(response.headers.get('set-cookie'), null);
  });

  it('Aries refusing a code passes its error code on, creates nothing, and logs the refusal', async () => {
    const response = await post(app.origin, 'token', { body: tokenBody('bogus') });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error, 'invalid_grant');
    assert.equal(response.headers.get('set-cookie'), null);
    assert.ok(
      logged('request_refused').some((entry) => entry.class === 'code_refused' && entry.error === 'invalid_grant'),
    );
  });

  // Issue 21, row 6.
  it('/token needs a PKCE code_verifier of 43–128 unreserved characters: 400 before any limit or Aries', async () => {
    const strict = await mount({ ariesQuota: { points: 100_000 }, tokenRateLimit: { points: 1 } });
    const before = (await aries.grants('code')).length;
    // A code of the app's client issued without a challenge, leaked: redeemable without PKCE, if the backend allowed it.
    const leaked = await aries.authorize({ pkce: false });
    const verifiers = [undefined, '', 'a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(42)}/`, 42];
    for (const code_verifier of verifiers) {
      const response = await post(strict.origin, 'token', {
        body: { code: leaked, redirect_uri: REDIRECT, code_verifier },
      });
      assert.equal(response.status, 400, String(code_verifier));
      assert.equal((await response.json()).error, 'invalid_request');
      assert.equal(response.headers.get('set-cookie'), null);
    }
    assert.equal((await aries.grants('code')).length, before, 'Aries was never asked');
    const { response } = await signIn(strict.origin, aries);
    assert.equal(response.status, 200, 'the refused requests spent none of the client’s one sign-in');
    assert.ok(
      logged('request_refused').some((entry) => entry.class === 'bad_request' && /code_verifier/.test(entry.reason)),
    );
    await strict.close();
  });

  // Issue 21, row 7.
  it('sign-out clears the cookie even when the store fails (500, logged), and a refresh that read the session before it does not answer 200 after it', async () => {
    const { store, failing } = failingStore('delete');
    const one = await mount({ store, ariesTimeout: 2_000, ...UNLIMITED });
    const { cookie } = await signIn(one.origin, aries);
    await stale();
    const before = (await aries.grants('refresh_token')).length;
    await aries.faults({ delayMs: 400 });
    const refreshing = post(one.origin, 'refresh', { cookie });
    await eventually(async () => (await aries.grants('refresh_token')).length > before, 'the refresh at Aries');
    failing.now = true;
    const logout = await post(one.origin, 'logout', { cookie });
    assert.equal(logout.status, 500);
    assert.equal((await logout.json()).error, 'server_error');
    assert.match(logout.headers.get('set-cookie'), /^aries_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/);
    const refreshed = await refreshing;
    assert.equal(refreshed.status, 401, 'the refresh read the session before the sign-out, and answers after it');
    assert.match(refreshed.headers.get('set-cookie'), /Max-Age=0/);
    assert.ok(
      logged('store_failed').some((entry) => entry.route === 'logout' && !JSON.stringify(entry).includes(cookie)),
    );
    await one.close();
  });

  it('an answer of 500 carries the CORS headers, so an allowed app’s script can read it', async () => {
    const { store, failing } = failingStore('get');
    const cors = await mount({ store, allowedOrigins: ['https://app.example'], ...UNLIMITED });
    failing.now = true;
    const response = await post(cors.origin, 'refresh', {
      cookie: `aries_session=${'a'.repeat(43)}`,
      headers: { Origin: 'https://app.example' },
    });
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    await cors.close();
  });

  it('reads only the exact cookie name', async () => {
    const { cookie } = await signIn(app.origin, aries);
    const id = cookie.split('=')[1];
    for (const other of [`Aries_session=${id}`, `__Host-aries_session=${id}`, `xaries_session=${id}`]) {
      assert.equal((await post(app.origin, 'refresh', { cookie: other })).status, 204, other);
    }
    assert.equal((await post(app.origin, 'refresh', { cookie: `a=b; ${cookie}` })).status, 200);
  });

  it('/token needs Content-Type: application/json and X-Requested-With on every route (refusals logged by class)', async () => {
    const body = JSON.stringify(tokenBody('c'));
    const plain = await fetch(`${app.origin}/auth/token`, {
      method: 'POST',
      headers: { Origin: app.origin, 'X-Requested-With': 'aries-login', 'Content-Type': 'text/plain' },
      body,
    });
    assert.equal(plain.status, 415);
    for (const route of ['token', 'refresh', 'logout']) {
      const response = await post(app.origin, route, { csrf: false, body: tokenBody('c') });
      assert.equal(response.status, 403, route);
    }
    assert.ok(logged('request_refused').some((entry) => entry.class === 'csrf' && entry.status === 403));
    assert.ok(logged('request_refused').some((entry) => entry.class === 'bad_request' && entry.status === 415));
  });

  it('checks Origin / Sec-Fetch-Site: own origin and allowedOrigins pass (with CORS, X-RateLimit-Reset exposed), others get 403', async () => {
    const foreign = await post(app.origin, 'refresh', { headers: { Origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    const noOrigin = await fetch(`${app.origin}/auth/refresh`, {
      method: 'POST',
      headers: { 'X-Requested-With': 'aries-login' },
    });
    assert.equal(noOrigin.status, 403);
    const sameOrigin = await fetch(`${app.origin}/auth/refresh`, {
      method: 'POST',
      headers: { 'X-Requested-With': 'aries-login', 'Sec-Fetch-Site': 'same-origin' },
    });
    assert.equal(sameOrigin.status, 204);
    const cors = await mount({ allowedOrigins: ['https://app.example'] });
    const allowed = await post(cors.origin, 'refresh', { headers: { Origin: 'https://app.example' } });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('access-control-expose-headers'), /X-RateLimit-Reset/);
    const preflight = await fetch(`${cors.origin}/auth/token`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers'), /x-requested-with/);
    await cors.close();
  });

  it('an oversized body gets 413 before anything else (no origin, no CSRF header, unknown route)', async () => {
    const big = 'x'.repeat(17 * 1024);
    for (const path of ['/auth/token', '/auth/nothing']) {
      const response = await fetch(`${app.origin}${path}`, { method: 'POST', body: big });
      assert.equal(response.status, 413, path);
    }
    // Chunked, with no Content-Length: counted while read.
    const chunked = await post(app.origin, 'token', {
      body: undefined,
      headers: { 'Content-Type': 'application/json' },
    });
    assert.notEqual(chunked.status, 413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const streamed = await fetch(`${app.origin}/auth/token`, {
      method: 'POST',
      headers: { Origin: app.origin, 'X-Requested-With': 'aries-login', 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    assert.equal(streamed.status, 413);
  });

  it('decodes UTF-8 once, whole: a character split across chunks reaches Aries intact', async () => {
    const code = `ünï-${'€'.repeat(50)}`;
    const bytes = Buffer.from(JSON.stringify(tokenBody(code)));
    const cut = bytes.indexOf(Buffer.from('€')) + 1; // in the middle of a 3-byte character
    await new Promise((resolve, reject) => {
      const req = http.request(`${app.origin}/auth/token`, {
        method: 'POST',
        headers: { Origin: app.origin, 'X-Requested-With': 'aries-login', 'Content-Type': 'application/json' },
      });
      req.on('response', (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.write(bytes.subarray(0, cut));
      setTimeout(() => req.end(bytes.subarray(cut)), 50);
    });
    const sent = (await aries.grants('code')).map((r) => r.body.code);
    assert.ok(sent.includes(code), 'Aries got the code unchanged');
    const invalid = await fetch(`${app.origin}/auth/token`, {
      method: 'POST',
      headers: { Origin: app.origin, 'X-Requested-With': 'aries-login', 'Content-Type': 'application/json' },
      body: Buffer.from([0x7b, 0xff, 0x7d]),
    });
    assert.equal(invalid.status, 400);
  });

  it('no path, method or request shape makes it throw: always a JSON 4xx, no stack trace (mounted with no catch)', async () => {
    const port = Number(new URL(app.origin).port);
    const requests = [
      'GET // HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET //auth/token HTTP/1.1\r\nHost: x\r\n\r\n',
      'POST /auth/%00 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n',
      'POST /auth/token%00 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n',
      'POST http://evil.example/auth/refresh HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n',
      'BREW /auth/token HTTP/1.1\r\nHost: x\r\n\r\n',
      'DELETE /auth/logout HTTP/1.1\r\nHost: ../..\r\n\r\n',
      'GET * HTTP/1.1\r\nHost: x\r\n\r\n',
      'POST /auth/token HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nX-Requested-With: aries-login\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\nnull',
      'POST /auth/token HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nX-Requested-With: aries-login\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"code":[1]}',
      'POST /auth/token HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nX-Requested-With: aries-login\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{"',
    ];
    for (const request of requests) {
      const answer = await raw(port, request);
      const [head, body] = answer.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 4\d\d /, request);
      if (!/^HTTP\/1\.1 400 Bad Request\r\nConnection: close$/.test(head)) {
        assert.match(head, /content-type: application\/json/i, request);
        assert.doesNotMatch(body, /at .*\.js|Error:/, request);
      }
    }
    assert.equal((await post(app.origin, 'refresh')).status, 204, 'still serving');
  });

  it('the operator’s log: one JSON line per event, never a token, code, verifier, secret, cookie or session id', async () => {
    const secrets = [aries.clientSecret, VERIFIER];
    const { cookie, json } = await signIn(app.origin, aries);
    secrets.push(cookie.split('=')[1], json.access_token);
    for (const { body } of await aries.grants()) secrets.push(body?.code, body?.refresh_token);
    for (const line of logs) {
      const entry = JSON.parse(line);
      assert.equal(entry.source, 'aries-login');
      assert.ok(['error', 'warn', 'info'].includes(entry.level), line);
      // (Long values only: the tests' bogus codes, such as "c", are letters found in any line.)
      for (const secret of secrets.filter((value) => value?.length >= 16)) {
        assert.ok(!line.includes(secret), `${line} holds a secret`);
      }
    }
  });
});
