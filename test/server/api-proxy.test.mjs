// The full BFF (createBackend({ apiProxy })) against the real emulator: no token leaves the backend, the scope gate,
// the path checks, refresh before forwarding, at most once for what is not idempotent, per-session rate limits,
// getAccessToken, the defences; and on a real redis-server with two instances, the refresh and the 429 hold shared.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  createBackend,
  emulatorWithClient,
  eventually,
  post,
  redisStore,
  serve,
  signIn,
  sleep,
  startRedis,
} from './support.mjs';

const { AriesSessionError, ARIES_API_ROUTES } = await import('../../dist/server/index.js');

/** Aries' tokens live 1 s here: the proxy refreshes first once under a quarter of that (250 ms) is left. */
const LIFETIME = 1;
const UNLIMITED = { ariesQuota: { points: 100_000 }, tokenRateLimit: { points: 100_000 } };
const SCOPES = 'user:information account:information order:execution order:information market:information';
const ORDER = { accountId: 'A-1001', symbol: 'AAPL', side: 'buy', quantity: 3 };
let aries, logs, app;
/** Every backend a test mounted, closed at the end even when the test failed midway. */
const mounted = [];
/** What Aries' token endpoint answered the backends: the tokens that must never reach the browser. */
const issued = [];

/** The backend's fetch: the real one, noting every token Aries issues. */
async function noting(input, init) {
  const response = await fetch(input, init);
  if (String(input).endsWith('/v1/oauth2/token') && response.ok) {
    const { access_token, refresh_token } = await response.clone().json();
    issued.push(access_token, refresh_token);
  }
  return response;
}

const mount = async (options = {}) => {
  const backend = createBackend({
    clientId: aries.clientId,
    clientSecret: aries.clientSecret,
    tokenUrl: aries.tokenUrl,
    log: (line) => logs.push(line),
    fetch: noting,
    ...UNLIMITED,
    ...options,
    apiProxy: options.apiProxy === null ? undefined : { apiUrl: aries.apiUrl, ...options.apiProxy },
  });
  const served = await serve(backend);
  const one = { ...served, backend, close: () => (mounted.splice(mounted.indexOf(one), 1), served.close()) };
  mounted.push(one);
  return one;
};

before(async () => {
  logs = [];
  aries = await emulatorWithClient({ tokenLifetime: LIFETIME });
  app = await mount({ ariesTimeout: 500 });
});
after(async () => {
  for (const one of [...mounted]) await one.close();
  await aries.emulator.close();
});

/** A browser-like call to the proxy (same-origin, the CSRF header unless told otherwise). */
function api(origin, method, path, { cookie, body, headers = {}, csrf = true } = {}) {
  return fetch(`${origin}/auth/api${path}`, {
    method,
    headers: {
      Origin: origin,
      ...(csrf ? { 'X-Requested-With': 'aries-login' } : {}),
      ...(cookie ? { Cookie: cookie } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const session = async (origin = app.origin, scope = SCOPES) => (await signIn(origin, aries, {}, scope)).cookie;
const logged = (event) => logs.map((line) => JSON.parse(line)).filter((entry) => entry.event === event);
const refreshGrants = async () => (await aries.grants('refresh_token')).length;
/** Sends raw HTTP, as no fetch would (dot segments, backslashes): the status line and headers, and the body. */
const raw = (port, text) =>
  new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    setTimeout(() => socket.end(), 1_000);
  });

describe('apiProxy: tokens stay at the backend', () => {
  it('no token in any /token or /refresh answer: expires_in, scope and token_held_by "backend"; the cookie works as before', async () => {
    const { response, json, cookie } = await signIn(app.origin, aries, {}, SCOPES);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('set-cookie'), /^aries_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const answers = [json];
    answers.push(await (await post(app.origin, 'refresh', { cookie })).json()); // fresh: the stored token
    await sleep(LIFETIME * 600);
    const before = await refreshGrants();
    answers.push(await (await post(app.origin, 'refresh', { cookie })).json()); // refreshed at Aries
    assert.equal(await refreshGrants(), before + 1);
    for (const body of answers) {
      assert.equal(body.token_held_by, 'backend');
      assert.equal(body.scope, SCOPES);
      assert.ok(Number.isInteger(body.expires_in) && body.expires_in > 0);
      for (const field of ['access_token', 'refresh_token', 'token_type', 'id_token'])
        assert.ok(!(field in body), field);
      for (const token of issued) assert.ok(!JSON.stringify(body).includes(token), 'no token Aries issued');
    }
    assert.ok(issued.length >= 4);
    assert.equal((await api(app.origin, 'GET', '/v1/users/me/accounts', { cookie })).status, 200);
  });

  it('without apiProxy: today’s answers (the access token), and no /api route', async () => {
    const plain = await mount({ apiProxy: null });
    const { json, cookie } = await signIn(plain.origin, aries);
    assert.deepEqual(Object.keys(json).sort(), ['access_token', 'expires_in', 'scope', 'session_expires_in', 'token_type']);
    const refreshed = await (await post(plain.origin, 'refresh', { cookie })).json();
    assert.equal(refreshed.access_token, json.access_token);
    const route = await api(plain.origin, 'GET', '/v1/users/me/profile', { cookie });
    assert.equal(route.status, 404);
    await plain.close();
  });

  it('forwards with Authorization: Bearer <the session’s token>, the body, Content-Type and Accept; never the browser’s Cookie, Authorization, hop-by-hop, Host, Origin or X-Forwarded-* headers', async () => {
    const cookie = await session();
    const port = Number(new URL(app.origin).port);
    const body = JSON.stringify(ORDER);
    const sent = [
      `POST /auth/api/v1/orders HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: ${app.origin}`,
      'X-Requested-With: aries-login',
      `Cookie: ${cookie}; other=1`,
      'Authorization: Bearer forged-by-the-page',
      'Connection: keep-alive, x-hop-secret',
      'X-Hop-Secret: 1',
      'Keep-Alive: timeout=5',
      'TE: trailers',
      'Trailer: X-Checksum',
      'Upgrade: h2c',
      'Proxy-Authorization: Basic cHJveHk6cHc=',
      'Proxy-Connection: keep-alive',
      'X-Forwarded-For: 203.0.113.9',
      'X-Forwarded-Host: evil.example',
      'X-Forwarded-Proto: https',
      'Forwarded: for=203.0.113.9',
      'X-Custom: page-written',
      'Accept: application/json',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    const answer = await raw(port, sent);
    assert.match(answer, /^HTTP\/1\.1 201 /);
    const [call] = (await aries.apiCalls('/v1/orders')).slice(-1);
    assert.equal(call.method, 'POST');
    assert.equal(call.hasCookie, false);
    assert.equal(call.hasAuthorization, true);
    assert.equal(call.status, 201, 'Aries accepted the session’s token (not the page’s)');
    assert.equal(call.contentType, 'application/json; charset=utf-8');
    assert.deepEqual(call.body, ORDER);
    const never = ['cookie', 'x-hop-secret', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-authorization'];
    never.push('proxy-connection', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded');
    never.push('x-custom', 'origin', 'x-requested-with');
    for (const name of never) assert.ok(!call.headers.includes(name), `${name} reached Aries`);
    const allowed = ['accept', 'accept-encoding', 'accept-language', 'authorization', 'connection'];
    allowed.push('content-length', 'content-type', 'host', 'sec-fetch-mode', 'user-agent');
    assert.deepEqual(
      call.headers.filter((name) => !allowed.includes(name)),
      [],
    );
  });

  it('passes Aries’ answer through: status, JSON body, the query kept; a 4xx of Aries’ as it is', async () => {
    const cookie = await session();
    const search = await api(app.origin, 'GET', '/v1/marketdata/search?q=vanguard', { cookie });
    assert.equal(search.status, 200);
    assert.equal(search.headers.get('content-type'), 'application/json');
    assert.equal(search.headers.get('cache-control'), 'no-store');
    assert.deepEqual(
      (await search.json()).results.map((r) => r.symbol),
      ['VTI'],
    );
    const [call] = (await aries.apiCalls('/v1/marketdata/search')).slice(-1);
    assert.deepEqual(call.query, { q: 'vanguard' });
    const refused = await api(app.origin, 'POST', '/v1/orders', { cookie, body: { ...ORDER, side: 'hold' } });
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), {
      error: 'invalid_request',
      error_description: 'side must be "buy" or "sell"',
    });
    const missing = await api(app.origin, 'GET', '/v1/accounts/A-9999/balances', { cookie });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error_description, 'no account A-9999');
  });

  it('every row of the scope table is forwarded with its scope (the emulator answers each)', async () => {
    const cookie = await session(app.origin, [...new Set(ARIES_API_ROUTES.flatMap((r) => r.scopes))].join(' '));
    const bodies = { PATCH: { name: 'Ada' }, POST: ORDER };
    for (const { method, path } of ARIES_API_ROUTES) {
      const concrete = path.replace('{id}', 'A-1001') + (path.endsWith('/search') ? '?q=a' : '');
      if (method === 'PUT' || method === 'DELETE') continue; // below, with an order to change
      const response = await api(app.origin, method, concrete, { cookie, body: bodies[method] });
      assert.ok(response.ok, `${method} ${path}: ${response.status}`);
    }
    const placed = await (await api(app.origin, 'POST', '/v1/orders', { cookie, body: ORDER })).json();
    const changed = await api(app.origin, 'PUT', '/v1/orders', { cookie, body: { id: placed.id, quantity: 4 } });
    assert.equal((await changed.json()).quantity, 4);
    const cancelled = await api(app.origin, 'DELETE', `/v1/orders?id=${placed.id}`, { cookie });
    assert.equal((await cancelled.json()).status, 'cancelled');
  });
});

describe('apiProxy: the scope gate and the paths', () => {
  it('a session without the scope: 403 insufficient_scope naming it, with WWW-Authenticate, and Aries is not called', async () => {
    const cookie = await session(app.origin, 'user:information');
    const before = (await aries.apiCalls()).length;
    for (const [method, path, body, scope] of [
      ['GET', '/v1/users/me/accounts', undefined, 'account:information'],
      ['POST', '/v1/orders', ORDER, 'order:execution'],
      ['GET', '/v2/accounts/A-1001/orders', undefined, 'order:information'],
      ['GET', '/v1/marketdata/search?q=a', undefined, 'market:information'],
    ]) {
      const refused = await api(app.origin, method, path, { cookie, body });
      assert.equal(refused.status, 403, path);
      const json = await refused.json();
      assert.equal(json.error, 'insufficient_scope');
      assert.ok(json.error_description.includes(scope), json.error_description);
      assert.equal(refused.headers.get('www-authenticate'), `Bearer error="insufficient_scope", scope="${scope}"`);
    }
    assert.equal((await aries.apiCalls()).length, before, 'Aries never saw them');
    assert.ok(logged('request_refused').some((e) => e.class === 'insufficient_scope' && e.api === 'POST /v1/orders'));
  });

  it('a route may accept any of several scopes: positions with position:information alone', async () => {
    const cookie = await session(app.origin, 'position:information');
    assert.equal((await api(app.origin, 'GET', '/v1/accounts/A-1001/positions', { cookie })).status, 200);
    assert.equal((await api(app.origin, 'GET', '/v1/accounts/A-1001/balances', { cookie })).status, 403);
  });

  it('a path in no row: 404 not_found, not forwarded; a method the path does not take: 405 with Allow', async () => {
    const cookie = await session();
    const before = (await aries.apiCalls()).length;
    for (const path of ['/v1/admin/users', '/v1/accounts/A-1001', '/v1/users/me/profile/extra', '/v3/orders']) {
      const response = await api(app.origin, 'GET', path, { cookie });
      assert.equal(response.status, 404, path);
      assert.equal((await response.json()).error, 'not_found');
    }
    const wrong = await api(app.origin, 'GET', '/v1/orders', { cookie });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST, PUT, DELETE');
    const head = await fetch(`${app.origin}/auth/api/v1/news`, { method: 'HEAD', headers: { Cookie: cookie } });
    assert.equal(head.status, 405);
    assert.equal((await aries.apiCalls()).length, before);
    assert.ok(logged('request_refused').some((e) => e.class === 'not_found' && e.path === '/v1/admin/users'));
  });

  it('path tricks are refused with 400 before any match: "..", encoded slashes and dots, "//", backslashes, absolute URLs, unsafe ids', async () => {
    const cookie = await session();
    const port = Number(new URL(app.origin).port);
    const before = (await aries.apiCalls()).length;
    const tricks = [
      '/auth/api/v1/users/me/../me/profile',
      '/auth/api/v1/accounts/A-1001/../../users/me/profile',
      '/auth/api/v1/accounts/..%2f..%2fusers/balances',
      '/auth/api/v1/accounts/%2e%2e/balances',
      '/auth/api/v1/accounts/%2E./balances',
      '/auth/api/v1/users/me/%70rofile',
      '/auth/api//v1/users/me/profile',
      '/auth/api/v1//users/me/profile',
      '/auth/api\\v1\\users\\me\\profile',
      '/auth/api/https://evil.example/v1/news',
      '/auth/api/http:/evil.example/v1/news',
      '/auth/api/v1/accounts/A-1001;x=1/balances',
      '/auth/api/v1/accounts/A%001001/balances',
      '/auth/api/./v1/news',
      '/auth/x/../api/v1/news',
      '/auth/api',
      '/auth/api/',
    ];
    for (const path of tricks) {
      const head = [
        `GET ${path} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Sec-Fetch-Site: same-origin',
        'X-Requested-With: aries-login',
        `Cookie: ${cookie}`,
        'Connection: close',
      ];
      const answer = await raw(port, `${head.join('\r\n')}\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 400 /, path);
      assert.match(answer, /"error":"invalid_request"/, path);
    }
    assert.equal((await aries.apiCalls()).length, before, 'none reached Aries');
    const absolute = await raw(
      port,
      `GET http://evil.example/auth/api/v1/news HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: same-origin\r\nX-Requested-With: aries-login\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`,
    );
    assert.match(
      absolute,
      /^HTTP\/1\.1 403 /,
      'absolute-form is read as its path: /auth/api/v1/news, news not granted',
    );
  });

  it('apiProxy.routes adds routes of the app’s own (forwarded), and replaces a built-in row with the same method and path', async () => {
    const own = await mount({
      apiProxy: {
        routes: [
          {
            method: 'GET',
            path: '/v1/accounts/{id}/history',
            scopes: ['account:information'],
            category: 'user_management',
          },
          { method: 'GET', path: '/v1/news', scopes: ['order:information'], category: 'market_data' },
        ],
      },
    });
    const cookie = await session(own.origin, 'account:information order:information');
    const history = await api(own.origin, 'GET', '/v1/accounts/A-1001/history', { cookie });
    assert.equal(history.status, 404, 'Aries’ own 404: it was forwarded');
    assert.equal((await aries.apiCalls('/v1/accounts/A-1001/history')).length, 1);
    assert.equal(
      (await api(own.origin, 'GET', '/v1/news', { cookie })).status,
      403,
      'Aries’ scope check, not the gate',
    );
    assert.equal((await aries.apiCalls('/v1/news')).at(-1).status, 403);
    await own.close();
  });

  it('no session: 401 session_expired, nothing forwarded; an unknown session’s cookie is cleared', async () => {
    const none = await api(app.origin, 'GET', '/v1/users/me/profile');
    assert.equal(none.status, 401);
    assert.equal((await none.json()).error, 'session_expired');
    const gone = await api(app.origin, 'GET', '/v1/users/me/profile', { cookie: `aries_session=${'a'.repeat(43)}` });
    assert.equal(gone.status, 401);
    assert.match(gone.headers.get('set-cookie'), /^aries_session=; .*Max-Age=0$/);
  });
});

describe('apiProxy: refresh, at most once, retries', () => {
  it('near expiry (under a quarter of its life left) the proxy refreshes first and forwards with the new token: one call, one grant', async () => {
    const cookie = await session();
    await sleep(LIFETIME * 800); // 200 ms left of 1 s
    const [grants, calls] = [await refreshGrants(), (await aries.apiCalls()).length];
    const response = await api(app.origin, 'GET', '/v1/users/me/accounts', { cookie });
    assert.equal(response.status, 200);
    assert.equal(await refreshGrants(), grants + 1);
    assert.equal((await aries.apiCalls()).length, calls + 1);
    await sleep(LIFETIME * 1100); // expired by now
    const late = await api(app.origin, 'GET', '/v1/users/me/accounts', { cookie });
    assert.equal(late.status, 200);
    assert.deepEqual(
      (await aries.apiCalls()).slice(calls + 1).map((c) => c.status),
      [200],
      'forwarded once, with a valid token: no 401 first',
    );
  });

  it('twenty concurrent proxied calls near expiry: one refresh grant at Aries, every call forwarded once with the new token', async () => {
    const cookie = await session();
    await sleep(LIFETIME * 1100);
    const [grants, calls] = [await refreshGrants(), (await aries.apiCalls()).length];
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api(app.origin, 'GET', '/v1/users/me/accounts', { cookie })),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      Array(20).fill(200),
    );
    assert.equal(await refreshGrants(), grants + 1);
    assert.deepEqual(
      (await aries.apiCalls()).slice(calls).map((c) => c.status),
      Array(20).fill(200),
    );
  });

  for (const [name, fault, reason] of [
    ['API 500', { status: 500, body: { error: 'server_error' } }, /Aries answered 500/],
    ['API 503 with an HTML page', { status: 503, body: '<h1>down</h1>' }, /Aries answered 503/],
    ['API timeout', { delayMs: 1_000 }, /no answer in 500 ms/],
    ['connection reset', { drop: true }, /unreachable/],
    ['a redirect', { status: 307, headers: { Location: 'http://127.0.0.1:1/x' } }, /redirect, which is never followed/],
  ]) {
    it(`a failed order POST (${name}) reaches the API exactly once: 502 server_error, its outcome unknown`, async () => {
      const cookie = await session();
      const before = (await aries.apiCalls('/v1/orders')).length;
      await aries.apiFaults(fault);
      const response = await api(app.origin, 'POST', '/v1/orders', { cookie, body: ORDER });
      assert.equal(response.status, 502);
      const json = await response.json();
      assert.equal(json.error, 'server_error');
      assert.match(json.error_description, reason);
      assert.match(json.error_description, /whether Aries carried out this POST is unknown, and it is not sent again/);
      await sleep(1_200); // long enough for any retry, and for the late one to be carried out
      assert.equal((await aries.apiCalls('/v1/orders')).length, before + 1, 'exactly once');
      const [fault_] = logged('aries_fault')
        .filter((e) => e.api === 'POST /v1/orders')
        .slice(-1);
      assert.equal(fault_.sent, 'once, never again');
    });
  }

  it('the timed-out order was really carried out late: "unknown" is the truth', async () => {
    const cookie = await session();
    const list = async () =>
      (await (await api(app.origin, 'GET', '/v2/accounts/A-1001/orders', { cookie })).json()).orders.length;
    const before = await list();
    await aries.apiFaults({ delayMs: 800 });
    assert.equal((await api(app.origin, 'POST', '/v1/orders', { cookie, body: ORDER })).status, 502);
    await eventually(async () => (await list()) === before + 1, 'the late order');
  });

  it('PUT and DELETE of orders and PATCH are sent once too; an idempotent GET is not retried on a 5xx either', async () => {
    const cookie = await session();
    for (const [method, path, body] of [
      ['PUT', '/v1/orders', { id: 'ord_1', quantity: 2 }],
      ['DELETE', '/v1/orders?id=ord_1', undefined],
      ['PATCH', '/v1/users/me', { name: 'Ada' }],
      ['GET', '/v1/users/me/accounts', undefined],
    ]) {
      const target = path.split('?')[0];
      const before = (await aries.apiCalls(target)).length;
      await aries.apiFaults({ status: 502 });
      assert.equal((await api(app.origin, method, path, { cookie, body })).status, 502);
      assert.equal((await aries.apiCalls(target)).length, before + 1, method);
    }
  });

  it('a GET is sent once more after Aries’ 401 that a refresh cures: 200, two calls, one refresh grant', async () => {
    const cookie = await session();
    const [grants, calls] = [await refreshGrants(), (await aries.apiCalls()).length];
    await aries.apiFaults({ status: 401, error: 'invalid_token' });
    const response = await api(app.origin, 'GET', '/v1/users/me/accounts', { cookie });
    assert.equal(response.status, 200);
    assert.equal(await refreshGrants(), grants + 1);
    assert.deepEqual(
      (await aries.apiCalls()).slice(calls).map((c) => c.status),
      [401, 200],
    );
    // Refused again after the refresh: no third call.
    await aries.apiFaults({ status: 401, error: 'invalid_token' }, { status: 401, error: 'invalid_token' });
    const twice = await api(app.origin, 'GET', '/v1/users/me/accounts', { cookie });
    assert.equal(twice.status, 502);
    assert.equal((await aries.apiCalls()).length, calls + 4);
  });

  it('a POST that Aries answers 401 is not sent again: 502 saying it was not carried out; the session is renewed for the next one', async () => {
    const cookie = await session();
    const [grants, before] = [await refreshGrants(), (await aries.apiCalls('/v1/orders')).length];
    await aries.apiFaults({ status: 401, error: 'invalid_token' });
    const response = await api(app.origin, 'POST', '/v1/orders', { cookie, body: ORDER });
    assert.equal(response.status, 502);
    assert.match((await response.json()).error_description, /did not carry out the request; .* may be sent again/);
    assert.equal((await aries.apiCalls('/v1/orders')).length, before + 1);
    assert.equal(await refreshGrants(), grants + 1);
    assert.equal((await api(app.origin, 'POST', '/v1/orders', { cookie, body: ORDER })).status, 201);
  });

  it('a refresh that ends the session (invalid_grant) before forwarding: 401 session_expired, cookie cleared, nothing forwarded', async () => {
    const cookie = await session();
    await sleep(LIFETIME * 1100);
    const calls = (await aries.apiCalls()).length;
    await aries.faults({ status: 400, error: 'invalid_grant' });
    const response = await api(app.origin, 'GET', '/v1/users/me/accounts', { cookie });
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error, 'session_expired');
    assert.match(response.headers.get('set-cookie'), /Max-Age=0/);
    assert.equal((await aries.apiCalls()).length, calls);
  });
});

describe('apiProxy: rate limits per session', () => {
  it('after Aries’ 429 the session’s category is held until its reset without calling Aries; other sessions and categories go on', async () => {
    const cookie = await session();
    const other = await session();
    await aries.apiFaults({ status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '2' } });
    const first = await api(app.origin, 'POST', '/v1/orders', { cookie, body: ORDER });
    assert.equal(first.status, 429);
    assert.deepEqual(await first.json(), { error: 'rate_limited' }, 'Aries’ own body');
    assert.equal(first.headers.get('x-ratelimit-reset'), '2');
    const calls = (await aries.apiCalls()).length;
    const held = await api(app.origin, 'GET', '/v2/accounts/A-1001/orders', { cookie }); // Trading too
    assert.equal(held.status, 429);
    assert.equal((await held.json()).error, 'rate_limited');
    assert.ok(Number(held.headers.get('x-ratelimit-reset')) <= 2);
    assert.equal((await aries.apiCalls()).length, calls, 'Aries was not called');
    assert.equal((await api(app.origin, 'GET', '/v1/users/me/accounts', { cookie })).status, 200, 'User management');
    assert.equal((await api(app.origin, 'POST', '/v1/orders', { cookie: other, body: ORDER })).status, 201);
    await eventually(
      async () => (await api(app.origin, 'POST', '/v1/orders', { cookie, body: ORDER })).status === 201,
      'Aries called again after the reset',
      5_000,
    );
    assert.ok(logged('aries_fault').some((e) => e.outcome === 'rate_limited' && e.category === 'trading'));
  });

  it('pre-empted: past apiProxy.rateLimits a session gets 429 before Aries would (Aries’ 50 Trading calls a minute by default)', async () => {
    const tight = await mount({ apiProxy: { rateLimits: { trading: { points: 2, duration: 60 } } } });
    const cookie = await session(tight.origin);
    assert.equal((await api(tight.origin, 'POST', '/v1/orders', { cookie, body: ORDER })).status, 201);
    assert.equal((await api(tight.origin, 'POST', '/v1/orders', { cookie, body: ORDER })).status, 201);
    const before = (await aries.apiCalls('/v1/orders')).length;
    const third = await api(tight.origin, 'POST', '/v1/orders', { cookie, body: ORDER });
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers.get('retry-after')) > 0);
    assert.equal((await aries.apiCalls('/v1/orders')).length, before);
    assert.ok(logged('request_refused').some((e) => e.class === 'rate_limited' && e.by === 'session'));
    await tight.close();
  });
});

describe('apiProxy: defences', () => {
  it('CSRF: without X-Requested-With, or from another origin, 403 and nothing forwarded; same-origin GET by Sec-Fetch-Site passes', async () => {
    const cookie = await session();
    const before = (await aries.apiCalls()).length;
    assert.equal((await api(app.origin, 'GET', '/v1/users/me/accounts', { cookie, csrf: false })).status, 403);
    const foreign = await api(app.origin, 'POST', '/v1/orders', {
      cookie,
      body: ORDER,
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(foreign.status, 403);
    assert.equal((await foreign.json()).error, 'csrf_check_failed');
    const noOrigin = await fetch(`${app.origin}/auth/api/v1/users/me/accounts`, {
      headers: { 'X-Requested-With': 'aries-login', Cookie: cookie },
    });
    assert.equal(noOrigin.status, 403);
    assert.equal((await aries.apiCalls()).length, before);
    const sameOrigin = await fetch(`${app.origin}/auth/api/v1/users/me/accounts`, {
      headers: { 'X-Requested-With': 'aries-login', 'Sec-Fetch-Site': 'same-origin', Cookie: cookie },
    });
    assert.equal(sameOrigin.status, 200);
  });

  it('an allowed origin: preflight with the API’s methods, answers readable (X-RateLimit-Reset, WWW-Authenticate exposed)', async () => {
    const cors = await mount({ allowedOrigins: ['https://app.example'] });
    const preflight = await fetch(`${cors.origin}/auth/api/v1/orders`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, POST, PUT, PATCH, DELETE');
    assert.match(preflight.headers.get('access-control-allow-headers'), /x-requested-with/);
    const cookie = await session(cors.origin, 'user:information');
    const refused = await api(cors.origin, 'GET', '/v1/users/me/accounts', {
      cookie,
      headers: { Origin: 'https://app.example' },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(
      refused.headers.get('access-control-expose-headers'),
      'X-RateLimit-Reset, Retry-After, WWW-Authenticate',
    );
    const token = await post(cors.origin, 'refresh', { cookie, headers: { Origin: 'https://app.example' } });
    assert.equal(token.headers.get('access-control-expose-headers'), 'X-RateLimit-Reset', '/refresh as before');
    await cors.close();
  });

  it('bodies are capped both ways: a request over maxBodySize is 413 and not forwarded; an answer over maxResponseSize is 502 invalid_response', async () => {
    const capped = await mount({ maxBodySize: 1024, apiProxy: { maxResponseSize: 2048 } });
    const cookie = await session(capped.origin);
    const before = (await aries.apiCalls('/v1/orders')).length;
    const big = await api(capped.origin, 'POST', '/v1/orders', { cookie, body: { ...ORDER, pad: 'x'.repeat(2000) } });
    assert.equal(big.status, 413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(512)));
        controller.close();
      },
    });
    const chunked = await fetch(`${capped.origin}/auth/api/v1/orders`, {
      method: 'POST',
      headers: {
        Origin: capped.origin,
        'X-Requested-With': 'aries-login',
        'Content-Type': 'application/json',
        Cookie: cookie,
      },
      body: stream,
      duplex: 'half',
    });
    assert.equal(chunked.status, 413, 'counted while read, without Content-Length');
    assert.equal((await aries.apiCalls('/v1/orders')).length, before);
    await aries.apiFaults({ status: 200, body: { accounts: 'x'.repeat(4000) } });
    const large = await api(capped.origin, 'GET', '/v1/users/me/accounts', { cookie });
    assert.equal(large.status, 502);
    const json = await large.json();
    assert.equal(json.error, 'invalid_response');
    assert.equal(json.aries_status, 200);
    assert.equal((await api(capped.origin, 'GET', '/v1/users/me/accounts', { cookie })).status, 200, 'a small one');
    await capped.close();
  });

  it('never follows a redirect from the API (it would carry the token along): 502, the target never called', async () => {
    let hits = 0;
    const trap = http.createServer((req, res) => (hits++, res.end('{}')));
    await new Promise((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const cookie = await session();
    for (const status of [301, 302, 303, 307, 308]) {
      await aries.apiFaults({ status, headers: { Location: `http://127.0.0.1:${trap.address().port}/steal` } });
      const response = await api(app.origin, 'GET', '/v1/users/me/accounts', { cookie });
      assert.equal(response.status, 502, String(status));
      assert.equal((await response.json()).aries_status, status);
    }
    assert.equal(hits, 0);
    trap.close();
  });

  it('a GET’s body is never forwarded (a Web Request has none; the Node mount drops it)', async () => {
    const cookie = await session();
    // fetch never sends a GET body; raw HTTP does.
    const head = `GET /auth/api/v1/users/me/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: same-origin\r\nX-Requested-With: aries-login`;
    const answer = await raw(
      Number(new URL(app.origin).port),
      `${head}\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    assert.match(answer, /^HTTP\/1\.1 200 /);
    const [call] = (await aries.apiCalls('/v1/users/me/accounts')).slice(-1);
    assert.equal(call.body, null);
    assert.ok(!call.headers.includes('content-type') && !call.headers.includes('content-length'));
  });

  it('the operator’s log: proxy refusals and faults, never a token, a body or a cookie', async () => {
    const cookie = await session();
    await api(app.origin, 'POST', '/v1/orders', { cookie, body: { ...ORDER, symbol: 'SECRET-BODY' } });
    const secrets = [...issued, cookie.split('=')[1], 'SECRET-BODY'];
    assert.ok(logged('aries_fault').some((e) => e.route === 'api'));
    assert.ok(logged('request_refused').some((e) => e.route === 'api'));
    for (const line of logs) {
      for (const secret of secrets.filter((value) => value?.length >= 8)) {
        assert.ok(!line.includes(secret), `${line} holds a secret`);
      }
    }
  });
});

describe('getAccessToken(request)', () => {
  it('the session’s token (as a Web Request or a Node request), refreshed first when near expiry; undefined without a session', async () => {
    const cookie = await session();
    const request = (headers) => new Request(`${app.origin}/my/route`, { headers });
    const token = await app.backend.getAccessToken(request({ Cookie: cookie }));
    assert.ok(issued.includes(token), 'a token Aries issued');
    const profile = await fetch(`${aries.apiUrl}/v1/users/me/profile`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(profile.status, 200, 'and it works at Aries');
    assert.equal(await app.backend.getAccessToken(request({})), undefined);
    assert.equal(await app.backend.getAccessToken(request({ Cookie: `aries_session=${'b'.repeat(43)}` })), undefined);
    // From an app's own node:http route.
    const own = http.createServer(async (req, res) => res.end(String(await app.backend.getAccessToken(req))));
    await new Promise((resolve) => own.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${own.address().port}/orders`;
    assert.equal(await (await fetch(url, { headers: { Cookie: cookie } })).text(), token);
    await sleep(LIFETIME * 800);
    const grants = await refreshGrants();
    const renewed = await (await fetch(url, { headers: { Cookie: cookie } })).text();
    assert.notEqual(renewed, token);
    assert.equal(await refreshGrants(), grants + 1, 'refreshed first, once');
    assert.equal(await (await fetch(url)).text(), 'undefined');
    own.close();
  });

  it('rejects with AriesSessionError when no token can be had now (Aries 429 or down); undefined once Aries ends the session', async () => {
    const cookie = await session();
    const request = new Request(`${app.origin}/x`, { headers: { Cookie: cookie } });
    await sleep(LIFETIME * 1100);
    await aries.faults({ status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '1' } });
    const limited = await app.backend.getAccessToken(request).catch((error) => error);
    assert.ok(limited instanceof AriesSessionError);
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.status, 429);
    assert.ok(limited.retryAt > Date.now());
    await sleep(1_100);
    await aries.faults({ status: 503 });
    const down = await app.backend.getAccessToken(request).catch((error) => error);
    assert.ok(down instanceof AriesSessionError);
    assert.deepEqual([down.code, down.status], ['server_error', 502]);
    await aries.faults({ status: 400, error: 'invalid_grant' });
    assert.equal(await app.backend.getAccessToken(request), undefined);
  });
});

describe('createBackend({ apiProxy }) options', () => {
  const base = () => ({ clientId: 'c', clientSecret: 's', log: () => {} });
  const bad = [
    [{ apiUrl: 'https://api.aries.com/v1' }, /apiProxy\.apiUrl must be an origin/],
    [{ apiUrl: 'http://api.aries.com' }, /apiProxy\.apiUrl/],
    [{ apiUrl: 'https://api.aries.com?x=1' }, /apiProxy\.apiUrl/],
    [{ apiUrl: 'https://user:pw@api.aries.com' }, /apiProxy\.apiUrl/],
    [{ apiUrl: 'not a url' }, /apiProxy\.apiUrl/],
    [{ timeout: 0 }, /apiProxy\.timeout/],
    [{ maxResponseSize: 1.5 }, /apiProxy\.maxResponseSize/],
    [{ rateLimits: { authentication: { points: 1 } } }, /apiProxy\.rateLimits must be keyed by/],
    [{ rateLimits: { trading: { points: 0 } } }, /apiProxy\.rateLimits\.trading\.points/],
    [{ routes: {} }, /apiProxy\.routes must be an array/],
    [{ routes: [{ method: 'GET', path: '/v1/x', scopes: ['user:information'] }] }, /apiProxy\.routes\[0\]\.category/],
    [
      { routes: [{ method: 'HEAD', path: '/v1/x', scopes: ['user:information'], category: 'trading' }] },
      /routes\[0\]\.method/,
    ],
    [
      { routes: [{ method: 'GET', path: 'v1/x', scopes: ['user:information'], category: 'trading' }] },
      /routes\[0\]\.path/,
    ],
    [
      { routes: [{ method: 'GET', path: '/v1/../x', scopes: ['user:information'], category: 'trading' }] },
      /routes\[0\]\.path/,
    ],
    [
      { routes: [{ method: 'GET', path: '/v1/x', scopes: ['User:information'], category: 'trading' }] },
      /routes\[0\]\.scopes/,
    ],
    [{ routes: [{ method: 'GET', path: '/v1/x', scopes: [], category: 'trading' }] }, /routes\[0\]\.scopes/],
  ];
  for (const [apiProxy, message] of bad) {
    it(`refuses ${JSON.stringify(apiProxy)}`, () => {
      assert.throws(
        () => createBackend({ ...base(), apiProxy }),
        (error) => error instanceof TypeError && message.test(error.message),
      );
    });
  }
  it('takes {} (Aries’ API, its limits), an emulator on loopback http, and a trailing slash', () => {
    for (const apiProxy of [{}, { apiUrl: 'http://127.0.0.1:4010' }, { apiUrl: 'https://api.aries.com/' }]) {
      createBackend({ ...base(), apiProxy });
    }
    assert.throws(() => createBackend({ ...base(), apiProxy: true }), /apiProxy must be an object/);
  });
});

describe('apiProxy on redisStore, two instances', () => {
  let redis;
  const instances = [];
  before(async () => (redis = await startRedis()));
  after(async () => {
    for (const one of instances) await one.backend.close();
    await redis?.stop();
  });
  const instance = async (apiProxy = {}) => {
    const one = await mount({ store: redisStore({ url: redis.url }), ariesTimeout: 2_000, apiProxy });
    instances.push(one);
    return one;
  };

  it('concurrent proxied calls on both instances after expiry: one refresh grant at Aries, every call forwarded with the new token', async () => {
    const [a, b] = [await instance(), await instance()];
    const cookie = await session(a.origin);
    await sleep(LIFETIME * 1100);
    const [grants, calls] = [await refreshGrants(), (await aries.apiCalls()).length];
    await aries.faults({ delayMs: 200 }); // the winner's refresh is slow, so the others really wait for it
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api((i % 2 ? a : b).origin, 'GET', '/v1/users/me/accounts', { cookie })),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      Array(10).fill(200),
    );
    assert.equal(await refreshGrants(), grants + 1);
    assert.deepEqual(
      (await aries.apiCalls()).slice(calls).map((c) => c.status),
      Array(10).fill(200),
    );
  });

  it('Aries’ 429 on one instance holds the session on the other too, without calling Aries, until the reset', async () => {
    const [a, b] = [await instance(), await instance()];
    const cookie = await session(a.origin);
    await aries.apiFaults({ status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '2' } });
    assert.equal((await api(a.origin, 'POST', '/v1/orders', { cookie, body: ORDER })).status, 429);
    const calls = (await aries.apiCalls()).length;
    const held = await api(b.origin, 'POST', '/v1/orders', { cookie, body: ORDER });
    assert.equal(held.status, 429);
    assert.equal((await aries.apiCalls()).length, calls, 'instance B did not call Aries');
    await eventually(
      async () => (await api(b.origin, 'POST', '/v1/orders', { cookie, body: ORDER })).status === 201,
      'Aries called again after the reset',
      5_000,
    );
  });

  it('the per-session count is shared: two calls on A and one on B meet a limit of 2', async () => {
    const limits = { rateLimits: { market_data: { points: 2, duration: 60 } } };
    const [a, b] = [await instance(limits), await instance(limits)];
    const cookie = await session(a.origin);
    const statuses = [];
    for (const one of [a, a, b]) {
      statuses.push((await api(one.origin, 'GET', '/v1/marketdata/search?q=a', { cookie })).status);
    }
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});
