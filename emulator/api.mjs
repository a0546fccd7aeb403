// Aries' API in the emulator (profile, accounts, balances, positions, orders, market data and the rest of the scope
// table): a Bearer token with the right scope, Aries' per-category rate limits per client, queued faults, and every call
// in its client's request log. It knows the emulator's state only through the small host interface below.
import { HttpError, isObject, isString, mediaType, oauthError, readBody, send, sendJson } from './http.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {'market_data'|'trading'|'user_management'} Category
 * @typedef {{ clientId: string, rateLimitReset: 'epoch'|'delay', apiRateLimits: Partial<Record<Category, number>>,
 *   faults: { profile: object[], api: object[] } }} ApiClient
 * @typedef {{
 *   grantOf(token: string): { client: ApiClient, scopes: string[], expiresAt: number } | undefined,
 *   clientsForOrigin(origin: string|undefined): ApiClient[],
 *   record(client: ApiClient, req: IncomingMessage, res: ServerResponse, endpoint: 'profile'|'api', body: unknown,
 *     extra?: Record<string, unknown>): void,
 *   playFault(fault: object, req: IncomingMessage, res: ServerResponse): Promise<boolean>,
 *   apiHeaders(req: IncomingMessage, res: ServerResponse): void,
 * }} ApiHost
 * @typedef {{ client: ApiClient, params: Record<string, string>, query: URLSearchParams, body: any }} Call
 */

/** Aries' rate limits per minute ("Market Data 1,000, Trading 50, User Management 100"); a client may set its own. */
export const API_RATE_LIMITS = /** @type {Record<Category, number>} */ ({
  market_data: 1000,
  trading: 50,
  user_management: 100,
});
const WINDOW_MS = 60_000;

/** The client setting this room adds: `apiRateLimits`, calls per minute by category. */
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

/**
 * The API's rows: method, path (a `{name}` is one segment), the scopes any one of which it needs, its rate-limit
 * category, its request-log endpoint, and its answer (a status and a body).
 * @type {{ method: string, path: string, scopes: string[], category: Category, endpoint?: 'profile',
 *   answer(call: Call, state: ClientState): [number, unknown] }[]}
 */
const ROWS = [
  {
    method: 'GET',
    path: '/v1/users/me/profile',
    scopes: ['user:information'],
    category: 'user_management',
    endpoint: 'profile',
    answer: (_, state) => [200, state.user],
  },
  {
    method: 'PATCH',
    path: '/v1/users/me',
    scopes: ['user:information'],
    category: 'user_management',
    answer: ({ body }, state) => {
      const changes = Object.entries(body ?? {});
      if (!changes.length || !changes.every(([k, v]) => ['name', 'email'].includes(k) && isString(v) && v)) {
        throw bad('only name and email may change, as non-empty strings');
      }
      state.user = { ...state.user, ...body };
      return [200, state.user];
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
    answer: ({ body }, state) => {
      const order = checkOrder(body);
      const placed = { id: `ord_${++state.orderCount}`, ...order, status: 'open', createdAt: new Date().toISOString() };
      state.orders.push(placed);
      return [201, placed];
    },
  },
  {
    method: 'PUT',
    path: '/v1/orders',
    scopes: ['order:execution'],
    category: 'trading',
    answer: ({ body }, state) => {
      const order = openOrder(state, body?.id);
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
    answer: ({ body, query }, state) => {
      const order = openOrder(state, query.get('id') ?? body?.id);
      order.status = 'cancelled';
      return [200, order];
    },
  },
  {
    method: 'GET',
    path: '/v2/accounts/{id}/orders',
    scopes: ['order:information'],
    category: 'trading',
    answer: ({ params }, state) => [
      200,
      { accountId: accountOf(params.id).id, orders: state.orders.filter((o) => o.accountId === params.id) },
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
  ].map(([path, scope, data]) => ({
    method: 'GET',
    path: /** @type {string} */ (path),
    scopes: [/** @type {string} */ (scope)],
    category: /** @type {Category} */ ('market_data'),
    answer: () => /** @type {[number, unknown]} */ ([200, data]),
  })),
];

/** @typedef {{ user: object, orders: Record<string, any>[], orderCount: number, hits: Record<Category, number[]> }} ClientState */

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
function openOrder(/** @type {ClientState} */ state, /** @type {unknown} */ id) {
  if (!isString(id)) throw bad('the order id is required');
  const order = state.orders.find((o) => o.id === id);
  if (!order) throw new HttpError(404, 'not_found', `no order ${id}`);
  if (order.status !== 'open') throw new HttpError(409, 'order_not_open', `order ${id} is ${order.status}`);
  return order;
}

/** @param {ApiHost} host */
export function ariesApi(host) {
  /** Each client's API state (its user, orders, rate-limit hits): gone with the client on reset. */
  const states = /** @type {WeakMap<ApiClient, ClientState>} */ (new WeakMap());
  const stateOf = (/** @type {ApiClient} */ client) => {
    let state = states.get(client);
    if (!state) {
      state = {
        user: { ...USER },
        orders: [],
        orderCount: 0,
        hits: { market_data: [], trading: [], user_management: [] },
      };
      states.set(client, state);
    }
    return state;
  };

  const routes = ROWS.map((row) => ({
    ...row,
    pattern: new RegExp(`^${row.path.replace(/\{(\w+)\}/g, '(?<$1>[A-Za-z0-9._~-]+)')}$`),
  }));

  /** Sliding 60 s window per client and category; true when it answered 429. */
  function rateLimited(
    /** @type {ApiClient} */ client,
    /** @type {Category} */ category,
    /** @type {ServerResponse} */ res,
  ) {
    const now = Date.now();
    const state = stateOf(client);
    const hits = (state.hits[category] = state.hits[category].filter((t) => t > now - WINDOW_MS));
    if (hits.length < (client.apiRateLimits?.[category] ?? API_RATE_LIMITS[category])) {
      hits.push(now);
      return false;
    }
    const resetAt = hits[0] + WINDOW_MS;
    const wait = Math.max(1, Math.ceil((resetAt - now) / 1000));
    oauthError(res, 429, 'rate_limited', `too many ${category.replace('_', ' ')} requests; retry in ${wait} s`, {
      'Retry-After': String(wait),
      'X-RateLimit-Reset': String(client.rateLimitReset === 'delay' ? wait : Math.ceil(resetAt / 1000)),
    });
    return true;
  }

  /** One API call: logged, a queued fault played, the token and its scope checked, the limit counted, then answered. */
  async function call(
    /** @type {(typeof routes)[number]} */ row,
    /** @type {Record<string, string>} */ params,
    /** @type {IncomingMessage} */ req,
    /** @type {ServerResponse} */ res,
    /** @type {URL} */ url,
  ) {
    host.apiHeaders(req, res);
    const text = await readBody(req);
    let body = /** @type {any} */ (text || null);
    if (text && mediaType(req) === 'application/json') {
      try {
        body = JSON.parse(text);
      } catch {
        /* kept as text: answered 400 below */
      }
    }
    const grant = clientOf(req);
    const client = grant?.client;
    const endpoint = row.endpoint ?? 'api';
    if (client) host.record(client, req, res, endpoint, body, details(req, url));
    const fault = client && ((endpoint === 'profile' && client.faults.profile.shift()) || client.faults.api.shift());
    if (fault && (await host.playFault(fault, req, res))) return;
    if (!grant || Date.now() >= grant.expiresAt) {
      return oauthError(res, 401, 'invalid_token', 'missing, unknown or expired access token', {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    if (!row.scopes.some((scope) => grant.scopes.includes(scope))) {
      return oauthError(res, 403, 'insufficient_scope', `this token lacks the ${row.scopes.join(' or ')} scope`, {
        'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${row.scopes.join(' ')}"`,
      });
    }
    if (rateLimited(/** @type {ApiClient} */ (client), row.category, res)) return;
    if (text && row.method !== 'GET' && (mediaType(req) !== 'application/json' || typeof body !== 'object')) {
      throw bad('the body must be JSON, sent with Content-Type: application/json');
    }
    const [status, value] = row.answer(
      { client: /** @type {ApiClient} */ (client), params, query: url.searchParams, body },
      stateOf(/** @type {ApiClient} */ (client)),
    );
    sendJson(res, status, value);
  }

  /** OPTIONS: preflights carry no token, so they are logged for every client registered on the calling origin. */
  function preflight(
    /** @type {(typeof routes)} */ rows,
    /** @type {IncomingMessage} */ req,
    /** @type {ServerResponse} */ res,
  ) {
    host.apiHeaders(req, res);
    for (const client of host.clientsForOrigin(req.headers.origin))
      host.record(client, req, res, rows[0].endpoint ?? 'api', null);
    const methods = rows.map((row) => row.method);
    send(res, 204, {
      'Access-Control-Allow-Methods': methods.join(', '),
      'Access-Control-Allow-Headers': methods.every((m) => m === 'GET')
        ? 'authorization'
        : 'authorization, content-type',
    });
  }

  /** The client a request's Bearer token belongs to (an expired token's too), for its request log. */
  const clientOf = (/** @type {IncomingMessage} */ req) => {
    const bearer = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return bearer === undefined ? undefined : host.grantOf(bearer);
  };

  /** What the request log keeps of an API call besides the common fields. */
  const details = (/** @type {IncomingMessage} */ req, /** @type {URL} */ url) => ({
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    hasAuthorization: 'authorization' in req.headers,
    headers: Object.keys(req.headers).sort(),
  });

  return {
    /** A path that is no route of Aries' (its API's or its OAuth's): 404, in the log of the client whose token came. */
    notFound(/** @type {IncomingMessage} */ req, /** @type {ServerResponse} */ res, /** @type {URL} */ url) {
      host.apiHeaders(req, res);
      const client = clientOf(req)?.client;
      if (client) host.record(client, req, res, 'api', null, details(req, url));
      oauthError(res, 404, 'not_found', `no route ${url.pathname}`);
    },

    /** The API's handlers for `pathname`, by method (OPTIONS included), or undefined when it is no API path. */
    route(/** @type {string} */ pathname) {
      const rows = routes.filter((row) => row.pattern.test(pathname));
      if (!rows.length) return undefined;
      const params = { ...rows[0].pattern.exec(pathname)?.groups };
      return Object.fromEntries([
        ...rows.map((row) => [
          row.method,
          (/** @type {IncomingMessage} */ req, /** @type {ServerResponse} */ res, /** @type {URL} */ url) =>
            call(row, params, req, res, url),
        ]),
        [
          'OPTIONS',
          (/** @type {IncomingMessage} */ req, /** @type {ServerResponse} */ res) => preflight(rows, req, res),
        ],
      ]);
    },
  };
}
