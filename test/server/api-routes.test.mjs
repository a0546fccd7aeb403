// The API proxy's scope gate (server/api-routes.ts), alone: Aries' scope table as the backend holds it (and as the
// emulator answers it), the matcher, and the check of an app's own rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROWS as EMULATOR_ROWS } from '../../emulator/api-routes.mjs';
import { SCOPES as EMULATOR_SCOPES } from '../../emulator/clients.mjs';
import './support.mjs'; // builds dist/server

const { ARIES_API_ROUTES, ARIES_SCOPES, SAFE_SEGMENT, checkRoutes, routeTable } =
  await import('../../dist/server/api-routes.js');

const row = (fields) => ({
  method: 'GET',
  path: '/v1/x',
  scopes: ['user:information'],
  category: 'trading',
  ...fields,
});

describe('Aries’ scope table', () => {
  it('is the emulator’s: the same ten scopes, and every row with the same method, path, scopes and category', () => {
    assert.deepEqual([...ARIES_SCOPES], Object.keys(EMULATOR_SCOPES));
    const shape = ({ method, path, scopes, category }) => `${method} ${path} ${[...scopes].sort()} ${category}`;
    assert.deepEqual(ARIES_API_ROUTES.map(shape).sort(), EMULATOR_ROWS.map(shape).sort());
  });

  it('only a GET may reach Aries twice; orders, PATCH, PUT and DELETE at most once', () => {
    for (const { method, path, idempotent } of ARIES_API_ROUTES) {
      assert.equal(idempotent, method === 'GET', `${method} ${path}`);
    }
  });
});

describe('routeTable', () => {
  const match = routeTable();

  it('a method and path: its row (a `{name}` is any one segment), named for the log without the ids', () => {
    const { route } = match('GET', '/v1/accounts/A-1001/balances');
    assert.equal(route.name, 'GET /v1/accounts/{id}/balances');
    assert.deepEqual(route.scopes, ['account:information']);
    assert.equal(route.category, 'user_management');
    assert.equal(route.idempotent, true);
    assert.equal(match('POST', '/v1/orders').route.idempotent, false);
  });

  it('a path with other methods: the methods it has; a path in no row: undefined', () => {
    assert.deepEqual(match('GET', '/v1/orders'), { allowed: ['POST', 'PUT', 'DELETE'] });
    for (const path of ['/v1/accounts/A-1001', '/v1/accounts/A-1001/balances/x', '/v3/orders', '/']) {
      assert.equal(match('GET', path), undefined, path);
    }
  });

  it('the app’s rows come first: a new route is matched, a row for the same method and path replaces Aries’', () => {
    const withOwn = routeTable([
      row({ path: '/v1/accounts/{id}/history', category: 'user_management', scopes: ['account:information'] }),
      row({ path: '/v1/news', scopes: ['market:information'], category: 'market_data', idempotent: false }),
    ]);
    assert.equal(withOwn('GET', '/v1/accounts/A-1/history').route.name, 'GET /v1/accounts/{id}/history');
    assert.deepEqual(withOwn('GET', '/v1/news').route.scopes, ['market:information']);
    assert.equal(withOwn('GET', '/v1/news').route.idempotent, false);
    assert.equal(match('GET', '/v1/accounts/A-1/history'), undefined, 'the built-in table is left as it was');
  });

  it('a safe segment: unreserved characters, 1 to 128 of them', () => {
    for (const [segment, safe] of [
      ['A-1001', true],
      ['a.b_c~d', true],
      ['x'.repeat(128), true],
      ['x'.repeat(129), false],
      ['', false],
      ['a b', false],
      ['a%2F', false],
      ['é', false],
    ]) {
      assert.equal(SAFE_SEGMENT.test(segment), safe, segment);
    }
  });
});

describe('checkRoutes', () => {
  it('takes no rows, or rows of a method, a path of safe or `{name}` segments, Aries scopes and a category', () => {
    assert.doesNotThrow(() => checkRoutes(undefined));
    assert.doesNotThrow(() => checkRoutes([]));
    assert.doesNotThrow(() => checkRoutes([row({ path: '/v1/accounts/{accountId}/history', idempotent: true })]));
  });

  const bad = [
    [{}, /apiProxy\.routes must be an array/],
    [[null], /apiProxy\.routes\[0\] must be a route/],
    [[row({ method: 'HEAD' })], /routes\[0\]\.method/],
    [[row({ method: 'get' })], /routes\[0\]\.method/],
    [[row({ path: 'v1/x' })], /routes\[0\]\.path/],
    [[row({ path: '/v1/../x' })], /routes\[0\]\.path/],
    [[row({ path: '/v1//x' })], /routes\[0\]\.path/],
    [[row({ path: '/v1/{1x}' })], /routes\[0\]\.path/],
    [[row({ path: '/v1/a b' })], /routes\[0\]\.path/],
    [[row({ scopes: [] })], /routes\[0\]\.scopes/],
    [[row({ scopes: ['User:information'] })], /routes\[0\]\.scopes/],
    [[row({ scopes: 'user:information' })], /routes\[0\]\.scopes/],
    [[row({ category: 'authentication' })], /routes\[0\]\.category/],
    [[row({ idempotent: 'yes' })], /routes\[0\]\.idempotent/],
    [[row(), row({ path: '' })], /routes\[1\]\.path/],
  ];
  for (const [routes, message] of bad) {
    it(`refuses ${JSON.stringify(routes)} with a TypeError naming the field`, () => {
      assert.throws(
        () => checkRoutes(routes),
        (error) => error instanceof TypeError && message.test(error.message),
      );
    });
  }
});
