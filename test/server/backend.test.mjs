// The server entry (aries-login/server) with its memory store, against the real emulator: the wire contract, refresh,
// Aries' faults, and the defences, each as the issue lists it.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { REDIRECT, createBackend, emulatorWithClient, memoryStore, post, serve, signIn, sleep } from './support.mjs';

/** Aries' tokens live 1 s here: the backend refreshes at Aries once half of that has passed. */
const LIFETIME = 1;
let aries, app, logs;

const mount = async (options = {}) => {
  const backend = createBackend({
    clientId: aries.clientId,
    clientSecret: aries.clientSecret,
    tokenUrl: aries.tokenUrl,
    log: (message) => logs.push(message),
    ...options,
  });
  const served = await serve(backend);
  return { ...served, backend };
};

before(async () => {
  logs = [];
  aries = await emulatorWithClient({ tokenLifetime: LIFETIME });
  app = await mount({ ariesTimeout: 500, tokenRateLimit: { points: 1000 } });
});
after(async () => {
  await app.close();
  await aries.emulator.close();
});

const stale = () => sleep(LIFETIME * 600);
const raw = (port, text) =>
  new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    setTimeout(() => socket.end(), 1_000);
  });

describe('createBackend', () => {
  it('refuses to start without a client secret, and never logs it', () => {
    assert.throws(() => createBackend({ clientId: 'c', clientSecret: '' }), /ARIES_CLIENT_SECRET/);
    assert.ok(!logs.join('\n').includes(aries.clientSecret));
  });

  it('signs in: __Host-aries_session cookie (Secure, HttpOnly, SameSite=Strict, Path=/, 256-bit id), no refresh token to the browser', async () => {
    const { response, json } = await signIn(app.origin, aries);
    assert.equal(response.status, 200);
    const cookie = response.headers.get('set-cookie');
    assert.match(cookie, /^__Host-aries_session=[\w-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict$/);
    assert.equal(Buffer.from(cookie.split(/[=;]/)[1], 'base64url').length, 32);
    assert.deepEqual(Object.keys(json).sort(), [
      'access_token',
      'expires_in',
      'scope',
      'session_expires_in',
      'token_type',
    ]);
    assert.equal(response.headers.get('cache-control'), 'no-store');
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
    assert.match(logout.headers.get('set-cookie'), /^__Host-aries_session=; .*Max-Age=0/);
    assert.equal((await refreshing).status, 401);
    const after = await post(app.origin, 'refresh', { cookie });
    assert.equal(after.status, 401);
    assert.equal((await after.json()).error, 'session_expired');
  });

  for (const status of [500, 502, 503]) {
    it(`Aries ${status} during a refresh: 502 server_error, session kept, next refresh works`, async () => {
      const { cookie } = await signIn(app.origin, aries);
      await stale();
      await aries.faults({ status, body: '<h1>down</h1>' });
      const failed = await post(app.origin, 'refresh', { cookie });
      assert.equal(failed.status, 502);
      assert.equal((await failed.json()).error, 'server_error');
      assert.equal((await post(app.origin, 'refresh', { cookie })).status, 200);
    });
  }

  it('Aries 429 during a refresh: 429 rate_limited with X-RateLimit-Reset passed on, session kept', async () => {
    const { cookie } = await signIn(app.origin, aries);
    await stale();
    await aries.faults({ status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '17' } });
    const limited = await post(app.origin, 'refresh', { cookie });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('x-ratelimit-reset'), '17');
    assert.equal((await limited.json()).error, 'rate_limited');
    assert.equal((await post(app.origin, 'refresh', { cookie })).status, 200);
  });

  it('a network error or a hung Aries (timeout) during a refresh: 502 server_error at the timeout, session kept', async () => {
    const { cookie } = await signIn(app.origin, aries);
    await stale();
    await aries.faults({ drop: true });
    assert.equal((await post(app.origin, 'refresh', { cookie })).status, 502);
    await aries.faults({ hang: true });
    const started = Date.now();
    const hung = await post(app.origin, 'refresh', { cookie });
    assert.equal(hung.status, 502);
    assert.ok(Date.now() - started < 3_000, 'answered at the 500 ms timeout, not after minutes');
    assert.equal((await post(app.origin, 'refresh', { cookie })).status, 200);
  });

  for (const error of ['invalid_grant', 'invalid_client']) {
    it(`Aries ${error} on a refresh ends the session: 401 session_expired, cookie cleared`, async () => {
      const { cookie } = await signIn(app.origin, aries);
      await stale();
      await aries.faults({ status: error === 'invalid_client' ? 401 : 400, error });
      const ended = await post(app.origin, 'refresh', { cookie });
      assert.equal(ended.status, 401);
      assert.equal((await ended.json()).error, 'session_expired');
      assert.match(ended.headers.get('set-cookie'), /Max-Age=0/);
      assert.equal((await post(app.origin, 'refresh', { cookie })).status, 401);
    });
  }

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
    const token = await post(app.origin, 'token', { body: { code: await aries.authorize(), redirect_uri: REDIRECT } });
    assert.equal(token.status, 502);
    assert.equal(hits, 0);
    trap.close();
  });

  it('a 200 without access_token from Aries: invalid_response, and no session is created', async () => {
    await aries.faults({ status: 200, body: { token_type: 'Bearer', refresh_token: 'r', expires_in: 60 } });
    const response = await post(app.origin, 'token', {
      body: { code: await aries.authorize(), redirect_uri: REDIRECT },
    });
    assert.equal(response.status, 502);
    assert.equal((await response.json()).error, 'invalid_response');
    assert.equal(response.headers.get('set-cookie'), null);
  });

  it('Aries refusing a code passes its error code on, and creates nothing', async () => {
    const response = await post(app.origin, 'token', { body: { code: 'bogus', redirect_uri: REDIRECT } });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error, 'invalid_grant');
    assert.equal(response.headers.get('set-cookie'), null);
  });

  it('rate limits /token per client IP before Aries is called (bogus codes cannot spend the quota)', async () => {
    const limited = await mount({ tokenRateLimit: { points: 3, duration: 60 } });
    const before = (await aries.grants('code')).length;
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const response = await post(limited.origin, 'token', { body: { code: `bogus${i}`, redirect_uri: REDIRECT } });
      statuses.push(response.status);
      if (response.status === 429) {
        assert.ok(Number(response.headers.get('x-ratelimit-reset')) > 0);
        assert.equal((await response.json()).error, 'rate_limited');
      }
    }
    assert.deepEqual(statuses, [400, 400, 400, 429, 429, 429]);
    assert.equal((await aries.grants('code')).length - before, 3);
    await limited.close();
  });

  it('reads only the exact cookie __Host-aries_session', async () => {
    const { cookie } = await signIn(app.origin, aries);
    const id = cookie.split('=')[1];
    for (const other of [`aries_session=${id}`, `__host-aries_session=${id}`, `x__Host-aries_session=${id}`]) {
      assert.equal((await post(app.origin, 'refresh', { cookie: other })).status, 204, other);
    }
    assert.equal((await post(app.origin, 'refresh', { cookie: `a=b; ${cookie}` })).status, 200);
  });

  it('/token needs Content-Type: application/json and X-Requested-With on every route', async () => {
    const body = JSON.stringify({ code: 'c', redirect_uri: REDIRECT });
    const plain = await fetch(`${app.origin}/auth/token`, {
      method: 'POST',
      headers: { Origin: app.origin, 'X-Requested-With': 'aries-login', 'Content-Type': 'text/plain' },
      body,
    });
    assert.equal(plain.status, 415);
    for (const route of ['token', 'refresh', 'logout']) {
      const response = await post(app.origin, route, { csrf: false, body: { code: 'c', redirect_uri: REDIRECT } });
      assert.equal(response.status, 403, route);
    }
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
    const bytes = Buffer.from(JSON.stringify({ code, redirect_uri: REDIRECT }));
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
});

describe('memoryStore', () => {
  const session = (createdAt = Date.now()) => ({
    redirectUri: REDIRECT,
    accessToken: 'a',
    tokenType: 'Bearer',
    scope: '',
    expiresIn: 60,
    expiresAt: Date.now() + 60_000,
    createdAt,
  });

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

  it('never writes back a session that was deleted (sign-out wins)', async () => {
    const store = memoryStore();
    await store.create('s', session());
    await store.delete('s');
    assert.equal(await store.update('s', session()), false);
    assert.equal(await store.get('s'), undefined);
  });
});
