// Aries' API as the emulator answers it: the scope table's rows (method, path, scopes, rate-limit category, answer),
// Aries' rate limits, and the demo user's accounts, positions, orders and market data.
import { HttpError, isObject, isString } from './http.mjs';

/**
 * @typedef {'market_data'|'trading'|'user_management'} Category
 * @typedef {import('./state.mjs').ApiData} ApiData
 * @typedef {{ params: Record<string, string>, query: URLSearchParams, body: any }} Call
 */

/** Aries' rate limits per minute ("Market Data 1,000, Trading 50, User Management 100"); a client may set its own. */
export const API_RATE_LIMITS = /** @type {Record<Category, number>} */ ({
  market_data: 1000,
  trading: 50,
  user_management: 100,
});

/** The client setting the API adds: `apiRateLimits`, calls per minute by category. */
export const API_SETTINGS = {
  apiRateLimits: (/** @type {unknown} */ v) =>
    isObject(v) &&
    Object.entries(/** @type {object} */ (v)).every(
      ([category, limit]) => Object.hasOwn(API_RATE_LIMITS, category) && Number.isInteger(limit) && limit > 0,
    ),
};

const USER = { id: 'u_1001', name: 'Ada Lovelace', email: 'ada@example.com', accountType: 'individual' };
const ACCOUNTS = [
  { id: 'A-1001', name: 'Individual brokerage', type: 'individual', currency: 'USD' },
  { id: 'A-1002', name: 'Roth IRA', type: 'ira', currency: 'USD' },
];
const BALANCES = /** @type {Record<string, object>} */ ({
  'A-1001': { cash: 12500.5, buyingPower: 25001, equity: 48210.75 },
  'A-1002': { cash: 830.12, buyingPower: 830.12, equity: 21544.3 },
});
const POSITIONS = /** @type {Record<string, object[]>} */ ({
  'A-1001': [
    { symbol: 'AAPL', quantity: 50, averagePrice: 172.3, marketPrice: 189.2 },
    { symbol: 'MSFT', quantity: 20, averagePrice: 301.1, marketPrice: 412.6 },
  ],
  'A-1002': [{ symbol: 'VTI', quantity: 80, averagePrice: 205.4, marketPrice: 258.9 }],
});
const INSTRUMENTS = [
  { symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NASDAQ', type: 'stock' },
  { symbol: 'AMZN', name: 'Amazon.com, Inc.', exchange: 'NASDAQ', type: 'stock' },
  { symbol: 'MSFT', name: 'Microsoft Corporation', exchange: 'NASDAQ', type: 'stock' },
  { symbol: 'NVDA', name: 'NVIDIA Corporation', exchange: 'NASDAQ', type: 'stock' },
  { symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust', exchange: 'NYSE Arca', type: 'etf' },
  { symbol: 'VTI', name: 'Vanguard Total Stock Market ETF', exchange: 'NYSE Arca', type: 'etf' },
];
const ORDER_FIELDS = ['accountId', 'symbol', 'side', 'quantity', 'type', 'limitPrice'];

const accountOf = (/** @type {string} */ id) => {
  const account = ACCOUNTS.find((a) => a.id === id);
  if (!account) throw new HttpError(404, 'not_found', `no account ${id}`);
  return account;
};
const positive = (/** @type {unknown} */ v) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const bad = (/** @type {string} */ why) => new HttpError(400, 'invalid_request', why);

/** A client's data before its first API call: the demo user, no orders, no calls counted. @returns {ApiData} */
export const newApiData = () => ({
  user: { ...USER },
  orders: [],
  orderCount: 0,
  hits: { market_data: [], trading: [], user_management: [] },
});

/**
 * The API's rows: method, path (a `{name}` is one segment), the scopes any one of which it needs, its rate-limit
 * category, its request-log endpoint, and its answer (a status and a body).
 * @type {{ method: string, path: string, scopes: string[], category: Category, endpoint?: 'profile',
 *   answer(call: Call, data: ApiData): [number, unknown] }[]}
 */
export const ROWS = [
  {
    method: 'GET',
    path: '/v1/users/me/profile',
    scopes: ['user:information'],
    category: 'user_management',
    endpoint: 'profile',
    answer: (_, data) => [200, data.user],
  },
  {
    method: 'PATCH',
    path: '/v1/users/me',
    scopes: ['user:information'],
    category: 'user_management',
    answer: ({ body }, data) => {
      const changes = Object.entries(body ?? {});
      if (!changes.length || !changes.every(([k, v]) => ['name', 'email'].includes(k) && isString(v) && v)) {
        throw bad('only name and email may change, as non-empty strings');
      }
      data.user = { ...data.user, ...body };
      return [200, data.user];
    },
  },
  {
    method: 'GET',
    path: '/v1/users/me/accounts',
    scopes: ['account:information'],
    category: 'user_management',
    answer: () => [200, { accounts: ACCOUNTS }],
  },
  {
    method: 'GET',
    path: '/v1/accounts/{id}/balances',
    scopes: ['account:information'],
    category: 'user_management',
    answer: ({ params }) => [200, { accountId: accountOf(params.id).id, currency: 'USD', ...BALANCES[params.id] }],
  },
  {
    method: 'GET',
    path: '/v1/accounts/{id}/positions',
    scopes: ['account:information', 'position:information'],
    category: 'user_management',
    answer: ({ params }) => [200, { accountId: accountOf(params.id).id, positions: POSITIONS[params.id] }],
  },
  {
    method: 'POST',
    path: '/v1/orders',
    scopes: ['order:execution'],
    category: 'trading',
    answer: ({ body }, data) => {
      const order = checkOrder(body);
      const placed = { id: `ord_${++data.orderCount}`, ...order, status: 'open', createdAt: new Date().toISOString() };
      data.orders.push(placed);
      return [201, placed];
    },
  },
  {
    method: 'PUT',
    path: '/v1/orders',
    scopes: ['order:execution'],
    category: 'trading',
    answer: ({ body }, data) => {
      const order = openOrder(data, body?.id);
      const { id, ...changes } = body;
      if (!Object.keys(changes).length || !Object.keys(changes).every((k) => ['quantity', 'limitPrice'].includes(k))) {
        throw bad('an order change names its id and a new quantity or limitPrice');
      }
      const changed = checkOrder({ ...order, ...changes, id: undefined, status: undefined, createdAt: undefined });
      Object.assign(order, changed);
      return [200, order];
    },
  },
  {
    method: 'DELETE',
    path: '/v1/orders',
    scopes: ['order:execution'],
    category: 'trading',
    answer: ({ body, query }, data) => {
      const order = openOrder(data, query.get('id') ?? body?.id);
      order.status = 'cancelled';
      return [200, order];
    },
  },
  {
    method: 'GET',
    path: '/v2/accounts/{id}/orders',
    scopes: ['order:information'],
    category: 'trading',
    answer: ({ params }, data) => [
      200,
      { accountId: accountOf(params.id).id, orders: data.orders.filter((o) => o.accountId === params.id) },
    ],
  },
  {
    method: 'GET',
    path: '/v1/marketdata/search',
    scopes: ['market:information'],
    category: 'market_data',
    answer: ({ query }) => {
      const q = query.get('q')?.trim().toLowerCase();
      if (!q) throw bad('q is required');
      const results = INSTRUMENTS.filter(
        (i) => i.symbol.toLowerCase().startsWith(q) || i.name.toLowerCase().includes(q),
      );
      return [200, { results }];
    },
  },
  ...[
    [
      '/v1/calendars/economics',
      'calendar:information',
      { events: [{ date: '2026-12-11', event: 'CPI', country: 'US' }] },
    ],
    ['/v1/calendars/earnings', 'calendar:information', { events: [{ date: '2027-01-29', symbol: 'AAPL' }] }],
    ['/v1/options/stocks/top-volume', 'options:information', { contracts: [{ symbol: 'AAPL270115C00200000' }] }],
    ['/v1/options/etfs/top-volume', 'options:information', { contracts: [{ symbol: 'SPY270115P00550000' }] }],
    ['/v1/analytics/ratings', 'analytics:information', { ratings: [{ symbol: 'MSFT', rating: 'buy' }] }],
    ['/v1/analytics/market-breadth', 'analytics:information', { advancing: 312, declining: 188 }],
    ['/v1/news', 'market:supplemental', { articles: [{ id: 'n_1', headline: 'Markets open higher' }] }],
    ['/v1/company/profile', 'market:supplemental', { symbol: 'AAPL', name: 'Apple Inc.', sector: 'Technology' }],
    ['/v1/financials/statements', 'market:supplemental', { symbol: 'AAPL', statements: [] }],
  ].map(([path, scope, answer]) => ({
    method: 'GET',
    path: /** @type {string} */ (path),
    scopes: [/** @type {string} */ (scope)],
    category: /** @type {Category} */ ('market_data'),
    answer: () => /** @type {[number, unknown]} */ ([200, answer]),
  })),
];

/** An order as placed: the fields checked; throws 400 or 404 (unknown account) otherwise. */
function checkOrder(/** @type {any} */ body) {
  if (!isObject(body)) throw bad('the order must be a JSON object');
  const unknown = Object.keys(body).find((k) => !ORDER_FIELDS.includes(k) && body[k] !== undefined);
  if (unknown) throw bad(`unknown order field "${unknown}"`);
  const { accountId, symbol, side, quantity, type = 'market', limitPrice } = body;
  if (!isString(accountId)) throw bad('accountId is required');
  accountOf(accountId);
  if (!INSTRUMENTS.some((i) => i.symbol === symbol)) throw bad('symbol must be a known instrument');
  if (side !== 'buy' && side !== 'sell') throw bad('side must be "buy" or "sell"');
  if (!Number.isInteger(quantity) || quantity <= 0) throw bad('quantity must be a whole number above 0');
  if (type !== 'market' && type !== 'limit') throw bad('type must be "market" or "limit"');
  if (type === 'limit' ? !positive(limitPrice) : limitPrice !== undefined) {
    throw bad('a limit order needs a limitPrice above 0; a market order has none');
  }
  return { accountId, symbol, side, quantity, type, ...(type === 'limit' ? { limitPrice } : {}) };
}

/** The client's open order `id`; 404 when unknown, 409 when no longer open. */
function openOrder(/** @type {ApiData} */ data, /** @type {unknown} */ id) {
  if (!isString(id)) throw bad('the order id is required');
  const order = data.orders.find((o) => o.id === id);
  if (!order) throw new HttpError(404, 'not_found', `no order ${id}`);
  if (order.status !== 'open') throw new HttpError(409, 'order_not_open', `order ${id} is ${order.status}`);
  return order;
}
