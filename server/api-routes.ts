/** The API proxy's scope gate: which of Aries' API routes it forwards, the scopes each needs, its rate-limit category, and whether it may be sent twice. */
import { invalid } from './options.js';

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Aries' rate-limit categories of its API ("Authentication" is the token endpoint's: `ariesQuota`). */
export type ApiCategory = 'market_data' | 'trading' | 'user_management';

export interface ApiRoute {
  method: ApiMethod;
  /** A path of Aries' API; a `{name}` segment (`/v1/accounts/{id}/balances`) matches one segment of `A-Z a-z 0-9 . _ ~ -`. */
  path: string;
  /** The session needs any one of these scopes (names as Aries spells them). */
  scopes: readonly string[];
  category: ApiCategory;
  /**
   * The request may reach Aries a second time (after Aries refused an access token that a refresh then renewed). Default:
   * true for GET only. Orders, POST, PUT, PATCH and DELETE reach Aries at most once.
   */
  idempotent?: boolean;
}

/** The ten Aries scopes (case-sensitive). */
export const ARIES_SCOPES = [
  'user:information',
  'account:information',
  'order:execution',
  'order:information',
  'position:information',
  'market:information',
  'calendar:information',
  'options:information',
  'analytics:information',
  'market:supplemental',
] as const;

const get = (path: string, scopes: string[], category: ApiCategory): ApiRoute => ({
  method: 'GET',
  path,
  scopes,
  category,
  idempotent: true,
});
const once = (method: ApiMethod, path: string, scopes: string[], category: ApiCategory): ApiRoute => ({
  method,
  path,
  scopes,
  category,
  idempotent: false,
});

/**
 * Every row of Aries' scope table ("Available Scopes"). Aries names four rate-limit categories without saying which
 * endpoint falls in which: accounts, balances and positions count as User management here, order history as Trading, and
 * every market, calendar, option, analytics and reference-data read as Market data. `WSS /v1/market/ws` (live market
 * data) is a WebSocket, which the proxy does not carry.
 */
export const ARIES_API_ROUTES: readonly ApiRoute[] = [
  get('/v1/users/me/profile', ['user:information'], 'user_management'),
  once('PATCH', '/v1/users/me', ['user:information'], 'user_management'),
  get('/v1/users/me/accounts', ['account:information'], 'user_management'),
  get('/v1/accounts/{id}/balances', ['account:information'], 'user_management'),
  get('/v1/accounts/{id}/positions', ['account:information', 'position:information'], 'user_management'),
  once('POST', '/v1/orders', ['order:execution'], 'trading'),
  once('PUT', '/v1/orders', ['order:execution'], 'trading'),
  once('DELETE', '/v1/orders', ['order:execution'], 'trading'),
  get('/v2/accounts/{id}/orders', ['order:information'], 'trading'),
  get('/v1/marketdata/search', ['market:information'], 'market_data'),
  get('/v1/calendars/economics', ['calendar:information'], 'market_data'),
  get('/v1/calendars/earnings', ['calendar:information'], 'market_data'),
  get('/v1/options/stocks/top-volume', ['options:information'], 'market_data'),
  get('/v1/options/etfs/top-volume', ['options:information'], 'market_data'),
  get('/v1/analytics/ratings', ['analytics:information'], 'market_data'),
  get('/v1/analytics/market-breadth', ['analytics:information'], 'market_data'),
  get('/v1/news', ['market:supplemental'], 'market_data'),
  get('/v1/company/profile', ['market:supplemental'], 'market_data'),
  get('/v1/financials/statements', ['market:supplemental'], 'market_data'),
];

export const API_METHODS: readonly ApiMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const API_CATEGORIES: readonly ApiCategory[] = ['market_data', 'trading', 'user_management'];

/** One segment of a path the proxy forwards: unreserved characters only, never `.` or `..`. */
export const SAFE_SEGMENT = /^[A-Za-z0-9._~-]{1,128}$/;
const TEMPLATE_SEGMENT = /^(?:[A-Za-z0-9._~-]{1,128}|\{[A-Za-z]\w*\})$/;

/** A route as matched: its row, and whether a second attempt is allowed. */
export interface MatchedRoute extends Required<ApiRoute> {
  /** `GET /v1/accounts/{id}/balances`: for the log, which never shows the ids. */
  name: string;
}

export type RouteMatch = { route: MatchedRoute } | { allowed: ApiMethod[] } | undefined;

/** Checks the app's own rows (`apiProxy.routes`): a TypeError names the one at fault. */
export function checkRoutes(routes: unknown): asserts routes is ApiRoute[] | undefined {
  if (routes === undefined) return;
  const where = 'createBackend';
  if (!Array.isArray(routes)) invalid(where, 'apiProxy.routes', 'an array of routes', routes);
  routes.forEach((row: Partial<ApiRoute> | null, i) => {
    const name = `apiProxy.routes[${i}]`;
    if (typeof row !== 'object' || row === null)
      invalid(where, name, 'a route { method, path, scopes, category }', row);
    if (!API_METHODS.includes(row.method!)) invalid(where, `${name}.method`, API_METHODS.join(', '), row.method);
    const segments = typeof row.path === 'string' && row.path.startsWith('/') ? row.path.slice(1).split('/') : [];
    if (!segments.length || !segments.every((s) => TEMPLATE_SEGMENT.test(s) && s !== '.' && s !== '..')) {
      invalid(where, `${name}.path`, 'a path such as "/v1/accounts/{id}/history"', row.path);
    }
    if (
      !Array.isArray(row.scopes) ||
      !row.scopes.length ||
      !row.scopes.every((s) => (ARIES_SCOPES as readonly unknown[]).includes(s))
    ) {
      invalid(where, `${name}.scopes`, 'a non-empty array of Aries scopes (case-sensitive)', row.scopes);
    }
    if (!API_CATEGORIES.includes(row.category!)) {
      invalid(where, `${name}.category`, API_CATEGORIES.join(', '), row.category);
    }
    if (row.idempotent !== undefined && typeof row.idempotent !== 'boolean') {
      invalid(where, `${name}.idempotent`, 'true or false', row.idempotent);
    }
  });
}

/** The table as a matcher: the app's rows first (a row of the app's for a method and path replaces Aries'), then Aries'. */
export function routeTable(extra: readonly ApiRoute[] = []) {
  const rows = [...extra, ...ARIES_API_ROUTES].map((row) => ({
    route: {
      ...row,
      scopes: [...row.scopes],
      idempotent: row.idempotent ?? row.method === 'GET',
      name: `${row.method} ${row.path}`,
    },
    segments: row.path.slice(1).split('/'),
  }));
  const fits = (segments: string[], given: string[]) =>
    segments.length === given.length && segments.every((s, i) => (s.startsWith('{') ? true : s === given[i]));

  /** `path` is checked already (safe segments only): the row for the method, or the methods the path has, or none. */
  return (method: string, path: string): RouteMatch => {
    const given = path.slice(1).split('/');
    const forPath = rows.filter((row) => fits(row.segments, given));
    const row = forPath.find(({ route }) => route.method === method);
    if (row) return { route: row.route };
    return forPath.length ? { allowed: [...new Set(forPath.map(({ route }) => route.method))] } : undefined;
  };
}
