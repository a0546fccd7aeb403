// Tests for the emulator's Aries API (emulator/api.mjs): every route of the scope table behind a Bearer token with its
// scope, orders, per-category rate limits, API faults and the request log, over real HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { SCOPES } from '../../emulator/clients.mjs';
import { emulatorControl } from '../../emulator/control-client.mjs';
import { startEmulator } from '../../emulator/server.mjs';

const REDIRECT = 'http://localhost:9999/callback';
const VERIFIER = 'v'.repeat(43);
const ALL_SCOPES = Object.keys(SCOPES);

let emulator, origin, aries;
before(async () => {
  emulator = await startEmulator({ port: 0 });
  origin = emulator.origin;
  aries = emulatorControl(origin);
});
after(() => emulator.close());

const control = async (method, path, body) => {
  const res = await aries.request(method, path, body);
  return { status: res.status, body: await res.json() };
};

/** A fresh client (its own orders, limits, faults and log) and an access token for `scope`. */
async function signedIn(scope = ALL_SCOPES.join(' '), settings = {}) {
  const { body: client } = await control('POST', '/clients', { redirectUris: [REDIRECT], ...settings });
  const code = await aries.authorizeCode({
    clientId: client.clientId,
    redirectUri: REDIRECT,
    scope,
    codeVerifier: VERIFIER,
  });
  const tokens = await fetch(`${origin}/v1/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: client.clientId,
      grant_type: 'code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    }),
  }).then((r) => r.json());
  const call = (method, path, body, headers = {}) =>
    fetch(`${origin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    clientId: client.clientId,
    token: tokens.access_token,
    call,
    faults: (api) => control('POST', `/clients/${client.clientId}/faults`, { api }),
    log: async () =>
      (await control('GET', `/clients/${client.clientId}/requests`)).body.filter(
        (r) => r.endpoint !== 'authorize' && r.endpoint !== 'token',
      ),
  };
}

const ORDER = { accountId: 'A-1001', symbol: 'AAPL', side: 'buy', quantity: 3 };
/** Every route of Aries' scope table ("Available Scopes"), with the scope that grants it. */
const ROUTES = [
  ['GET', '/v1/users/me/profile', 'user:information'],
  ['PATCH', '/v1/users/me', 'user:information', { name: 'Ada King' }],
  ['GET', '/v1/users/me/accounts', 'account:information'],
  ['GET', '/v1/accounts/A-1001/balances', 'account:information'],
  ['GET', '/v1/accounts/A-1001/positions', 'account:information'],
  ['GET', '/v1/accounts/A-1001/positions', 'position:information'],
  ['POST', '/v1/orders', 'order:execution', ORDER],
  ['GET', '/v2/accounts/A-1001/orders', 'order:information'],
  ['GET', '/v1/marketdata/search?q=aap', 'market:information'],
  ['GET', '/v1/calendars/economics', 'calendar:information'],
  ['GET', '/v1/calendars/earnings', 'calendar:information'],
  ['GET', '/v1/options/stocks/top-volume', 'options:information'],
  ['GET', '/v1/options/etfs/top-volume', 'options:information'],
  ['GET', '/v1/analytics/ratings', 'analytics:information'],
  ['GET', '/v1/analytics/market-breadth', 'analytics:information'],
  ['GET', '/v1/news', 'market:supplemental'],
  ['GET', '/v1/company/profile', 'market:supplemental'],
  ['GET', '/v1/financials/statements', 'market:supplemental'],
];

describe('the API: tokens and scopes', () => {
  for (const [method, path, scope, body] of ROUTES) {
    test(`${method} ${path}: 2xx with ${scope}; 403 insufficient_scope with every other scope; 401 without a token`, async () => {
      const granted = await signedIn(scope);
      const ok = await granted.call(method, path, body);
      assert.ok(ok.status === 200 || ok.status === 201, `${ok.status} ${await ok.text()}`);
      const granting = path.endsWith('/positions') ? ['account:information', 'position:information'] : [scope];
      const lacking = await signedIn(ALL_SCOPES.filter((s) => !granting.includes(s)).join(' '));
      const refused = await lacking.call(method, path, body);
      assert.equal(refused.status, 403);
      assert.equal((await refused.json()).error, 'insufficient_scope');
      assert.match(refused.headers.get('www-authenticate'), /^Bearer error="insufficient_scope", scope="[^"]+"$/);
      const anonymous = await fetch(`${origin}${path}`, { method });
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    });
  }

  test('an expired or unknown token → 401 invalid_token', async () => {
    const expired = await signedIn('account:information', { tokenLifetime: 0 });
    assert.equal((await expired.call('GET', '/v1/users/me/accounts')).status, 401);
    const res = await fetch(`${origin}/v1/users/me/accounts`, { headers: { authorization: 'Bearer nope' } });
    assert.equal((await res.json()).error, 'invalid_token');
  });

  test('a path off the table → 404; a method it does not take → 405 with Allow', async () => {
    const { call } = await signedIn();
    assert.equal((await call('GET', '/v1/accounts/A-1001/secrets')).status, 404);
    const wrong = await call('GET', '/v1/orders');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST, PUT, DELETE, OPTIONS');
  });
});

describe('the API: data', () => {
  test('accounts, balances and positions of the demo user; an unknown account → 404', async () => {
    const { call } = await signedIn();
    const { accounts } = await (await call('GET', '/v1/users/me/accounts')).json();
    assert.deepEqual(
      accounts.map((a) => a.id),
      ['A-1001', 'A-1002'],
    );
    const balances = await (await call('GET', '/v1/accounts/A-1002/balances')).json();
    assert.equal(balances.accountId, 'A-1002');
    assert.equal(typeof balances.cash, 'number');
    const { positions } = await (await call('GET', '/v1/accounts/A-1001/positions')).json();
    assert.ok(positions.some((p) => p.symbol === 'AAPL'));
    assert.equal((await call('GET', '/v1/accounts/A-9999/balances')).status, 404);
  });

  test('orders: placed (201), listed, changed, cancelled once (then 409); bad orders → 400 and nothing placed', async () => {
    const { call } = await signedIn();
    const placed = await (await call('POST', '/v1/orders', { ...ORDER, type: 'limit', limitPrice: 180 })).json();
    assert.equal(placed.status, 'open');
    const changed = await call('PUT', '/v1/orders', { id: placed.id, quantity: 5 });
    assert.equal((await changed.json()).quantity, 5);
    const { orders } = await (await call('GET', '/v2/accounts/A-1001/orders')).json();
    assert.deepEqual(
      orders.map((o) => [o.id, o.quantity]),
      [[placed.id, 5]],
    );
    assert.equal((await (await call('DELETE', `/v1/orders?id=${placed.id}`)).json()).status, 'cancelled');
    assert.equal((await call('DELETE', '/v1/orders', { id: placed.id })).status, 409);
    assert.equal((await call('PUT', '/v1/orders', { id: 'ord_404', quantity: 1 })).status, 404);
    for (const bad of [
      { ...ORDER, quantity: 0 },
      { ...ORDER, side: 'hold' },
      { ...ORDER, symbol: 'ZZZZ' },
      { ...ORDER, type: 'limit' },
      { ...ORDER, extra: 1 },
    ]) {
      assert.equal((await call('POST', '/v1/orders', bad)).status, 400, JSON.stringify(bad));
    }
    assert.equal((await call('POST', '/v1/orders', { ...ORDER, accountId: 'A-9999' })).status, 404);
    const text = await call('POST', '/v1/orders', ORDER, { 'content-type': 'text/plain' });
    assert.equal(text.status, 400, 'a body needs Content-Type: application/json');
    assert.equal((await (await call('GET', '/v2/accounts/A-1001/orders')).json()).orders.length, 1);
  });

  test('PATCH /v1/users/me changes the profile; market data search needs q', async () => {
    const { call } = await signedIn();
    assert.equal((await call('PATCH', '/v1/users/me', { name: 'Ada King' })).status, 200);
    assert.equal((await (await call('GET', '/v1/users/me/profile')).json()).name, 'Ada King');
    assert.equal((await call('PATCH', '/v1/users/me', { id: 'u_2' })).status, 400);
    const { results } = await (await call('GET', '/v1/marketdata/search?q=vanguard')).json();
    assert.deepEqual(
      results.map((r) => r.symbol),
      ['VTI'],
    );
    assert.equal((await call('GET', '/v1/marketdata/search')).status, 400);
  });
});

describe('the API: rate limits per category', () => {
  test('Trading past its limit → 429 with X-RateLimit-Reset (epoch s); other categories go on', async () => {
    const { call } = await signedIn(undefined, { apiRateLimits: { trading: 2 } });
    assert.equal((await call('POST', '/v1/orders', ORDER)).status, 201);
    assert.equal((await call('GET', '/v2/accounts/A-1001/orders')).status, 200);
    const limited = await call('POST', '/v1/orders', ORDER);
    assert.equal(limited.status, 429);
    assert.equal((await limited.json()).error, 'rate_limited');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    assert.ok(reset > Date.now() / 1000 && reset <= Date.now() / 1000 + 61, String(reset));
    assert.equal((await call('GET', '/v1/users/me/accounts')).status, 200, 'User management is counted apart');
    assert.equal((await call('GET', '/v1/marketdata/search?q=a')).status, 200, 'so is Market data');
  });

  test('rateLimitReset "delay" sends seconds; Aries’ limits are the defaults; bad settings → 400', async () => {
    const { call, clientId } = await signedIn(undefined, {
      apiRateLimits: { market_data: 1 },
      rateLimitReset: 'delay',
    });
    await call('GET', '/v1/news');
    const limited = await call('GET', '/v1/news');
    assert.ok(Number(limited.headers.get('x-ratelimit-reset')) <= 60);
    const { body } = await control('PATCH', `/clients/${clientId}`, { apiRateLimits: { trading: 5 } });
    assert.deepEqual(body.apiRateLimits, { trading: 5 });
    for (const apiRateLimits of [{ authentication: 5 }, { trading: 0 }, { trading: 1.5 }, []]) {
      assert.equal((await control('PATCH', `/clients/${clientId}`, { apiRateLimits })).status, 400);
    }
    const defaults = await signedIn();
    const answers = await Promise.all(Array.from({ length: 50 }, () => defaults.call('POST', '/v1/orders', ORDER)));
    assert.ok(answers.every((r) => r.status === 201));
    assert.equal((await defaults.call('POST', '/v1/orders', ORDER)).status, 429, 'Trading: 50 a minute');
  });
});

describe('the API: faults and the request log', () => {
  test('queued API faults answer the next API calls in order (status, 429, redirect), then normal answers', async () => {
    const { call, faults, token } = await signedIn();
    const { body } = await faults([
      { status: 500, body: { error: 'server_error' } },
      { status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '7' } },
      { status: 307, headers: { Location: 'http://127.0.0.1:1/elsewhere' } },
    ]);
    assert.deepEqual(body.queued, { token: 0, profile: 0, api: 3 });
    assert.equal((await call('POST', '/v1/orders', ORDER)).status, 500);
    const limited = await call('GET', '/v1/users/me/profile');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('x-ratelimit-reset'), '7');
    const moved = await fetch(`${origin}/v1/news`, {
      headers: { authorization: `Bearer ${token}` },
      redirect: 'manual',
    });
    assert.equal(moved.status, 307);
    assert.equal(moved.headers.get('location'), 'http://127.0.0.1:1/elsewhere');
    assert.equal((await call('GET', '/v1/news')).status, 200);
  });

  test('drop resets the connection; delayMs answers late and carries the call out; a profile fault comes first', async () => {
    const { call, faults, clientId } = await signedIn();
    await faults([{ drop: true }]);
    await assert.rejects(call('POST', '/v1/orders', ORDER), TypeError);
    await faults([{ delayMs: 400 }]);
    const late = await call('POST', '/v1/orders', ORDER);
    assert.equal(late.status, 201);
    await control('POST', `/clients/${clientId}/faults`, { profile: [{ status: 503 }] });
    await faults([{ status: 502 }]);
    assert.equal((await call('GET', '/v1/users/me/profile')).status, 503);
    assert.equal((await call('GET', '/v1/users/me/profile')).status, 502, 'then the API queue');
    const { orders } = await (await call('GET', '/v2/accounts/A-1001/orders')).json();
    assert.equal(orders.length, 1, 'the dropped order was never carried out, the late one was');
  });

  test('the log: method, path, query, content type, body, whether Cookie and Authorization came, header names, status', async () => {
    const { call, log } = await signedIn();
    await call('DELETE', '/v1/orders?id=ord_9', undefined, { cookie: 'a=b', 'x-extra': '1' });
    await call('POST', '/v1/orders', ORDER);
    await fetch(`${origin}/v1/orders`, { method: 'POST', body: '{}' }); // no token: no client to log it for
    const [deleted, placed, ...rest] = await log();
    assert.equal(rest.length, 0);
    assert.deepEqual(
      {
        method: deleted.method,
        path: deleted.path,
        query: deleted.query,
        hasCookie: deleted.hasCookie,
        hasAuthorization: deleted.hasAuthorization,
        status: deleted.status,
      },
      {
        method: 'DELETE',
        path: '/v1/orders',
        query: { id: 'ord_9' },
        hasCookie: true,
        hasAuthorization: true,
        status: 404,
      },
    );
    assert.ok(deleted.headers.includes('x-extra') && deleted.headers.includes('cookie'));
    assert.equal(placed.contentType, 'application/json');
    assert.deepEqual(placed.body, ORDER);
    assert.equal(placed.status, 201);
  });

  test('preflights name the route’s methods; a registered origin may read the answers', async () => {
    await signedIn();
    const preflight = await fetch(`${origin}/v1/orders`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:9999', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST, PUT, DELETE');
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'authorization, content-type');
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:9999');
  });

  test('a body over 64 KiB → 413, and the server carries on', async () => {
    const { call } = await signedIn();
    const big = await new Promise((resolve) => {
      const req = http.request(`${origin}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      req.on('response', (res) => resolve(res.statusCode));
      req.on('error', () => resolve('reset'));
      req.end(JSON.stringify({ pad: 'x'.repeat(70 * 1024) }));
    });
    assert.ok(big === 413 || big === 'reset', String(big));
    assert.equal((await call('GET', '/v1/news')).status, 200);
  });
});
