/** The full Backend-for-Frontend's API proxy (RFC 10017 §6.1): `{basePath}/api/<path>` to Aries' API with the session's access token, behind the scope gate and per-session rate limits; a request that is not idempotent reaches Aries at most once. */
import { createHash } from 'node:crypto';
import { nearExpiry } from './access-token.js';
import {
  API_CATEGORIES,
  SAFE_SEGMENT,
  checkRoutes,
  routeTable,
  type ApiCategory,
  type ApiRoute,
  type MatchedRoute,
} from './api-routes.js';
import { BodyTooLarge, answer, problem, readBytes, retryHeaders, type SessionCookie } from './http.js';
import type { Report } from './log.js';
import { invalid, isLoopbackHost, positive, whole } from './options.js';
import { createCounter, type Counter, type RateLimitOptions } from './rate-limit.js';
import type { SessionRoutes } from './sessions.js';
import type { SessionStore, StoredSession } from './store.js';
import { readRateLimitReset } from '../src/token-client.js';

export interface ApiProxyOptions {
  /** Aries' API: an origin (`https:`, or `http:` on a loopback host for an emulator), no path. Default `https://api.aries.com`. */
  apiUrl?: string;
  /** Routes of your own, in the built-in table's shape; one with the same method and path replaces the built-in row. */
  routes?: ApiRoute[];
  /** Ms before an unanswered API call is answered `502 server_error`. Default: `ariesTimeout`. */
  timeout?: number;
  /** Bytes of Aries' answer passed on; a larger answer is `502 invalid_response`. Default 1 MiB. */
  maxResponseSize?: number;
  /** Calls per session per category and window, under Aries' own limits. Default: Aries' (per 60 s: 1,000, 50, 100). */
  rateLimits?: Partial<Record<ApiCategory, RateLimitOptions>>;
}

export const DEFAULT_API_URL = 'https://api.aries.com';
export const DEFAULT_MAX_RESPONSE_SIZE = 1024 * 1024;
/** Aries' limits per minute: Market data 1,000, Trading 50, User management 100. */
export const DEFAULT_API_RATE_LIMITS: Readonly<Record<ApiCategory, Required<RateLimitOptions>>> = {
  market_data: { points: 1000, duration: 60 },
  trading: { points: 50, duration: 60 },
  user_management: { points: 100, duration: 60 },
};
/** What an allowed app's script may read of a proxied answer (CORS). */
export const API_EXPOSED_HEADERS = 'X-RateLimit-Reset, Retry-After, WWW-Authenticate';
/** The request headers passed on to Aries besides `Authorization`: nothing else of the browser's is. */
const FORWARDED = ['Content-Type', 'Accept'];

/** `apiProxy` as checked, with its defaults; a TypeError names the option at fault. */
export function checkApiProxy(value: unknown, ariesTimeout: number) {
  const where = 'createBackend';
  if (typeof value !== 'object' || value === null) invalid(where, 'apiProxy', 'an object ({} for the defaults)', value);
  const { apiUrl = DEFAULT_API_URL, routes, timeout, maxResponseSize, rateLimits = {} } = value as ApiProxyOptions;
  let url: URL | undefined;
  try {
    url = typeof apiUrl === 'string' ? new URL(apiUrl) : undefined;
  } catch {
    url = undefined;
  }
  const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopbackHost(url.hostname));
  // Origin only: the proxied path is appended to it, so a path here would be one more thing to get wrong.
  if (!url || !secure || url.origin !== String(apiUrl).replace(/\/$/, '')) {
    invalid(
      where,
      'apiProxy.apiUrl',
      'an origin such as "https://api.aries.com" (http: only on localhost, 127.0.0.1, [::1]; no path: the proxied path is appended)',
      apiUrl,
    );
  }
  checkRoutes(routes);
  positive(where, 'apiProxy.timeout', timeout);
  whole(where, 'apiProxy.maxResponseSize', maxResponseSize);
  if (typeof rateLimits !== 'object' || rateLimits === null) {
    invalid(where, 'apiProxy.rateLimits', 'an object of categories', rateLimits);
  }
  for (const category of Object.keys(rateLimits)) {
    if (!API_CATEGORIES.includes(category as ApiCategory)) {
      invalid(where, 'apiProxy.rateLimits', `keyed by ${API_CATEGORIES.join(', ')}`, category);
    }
  }
  const limits = Object.fromEntries(
    API_CATEGORIES.map((category) => {
      const limit = { ...DEFAULT_API_RATE_LIMITS[category], ...rateLimits[category] };
      whole(where, `apiProxy.rateLimits.${category}.points`, limit.points);
      whole(where, `apiProxy.rateLimits.${category}.duration`, limit.duration);
      return [category, limit];
    }),
  ) as Record<ApiCategory, Required<RateLimitOptions>>;
  return {
    apiUrl: url.origin,
    routes: routes ?? [],
    timeout: timeout ?? ariesTimeout,
    maxResponseSize: maxResponseSize ?? DEFAULT_MAX_RESPONSE_SIZE,
    limits,
  };
}

/** Why `path` (what follows `{basePath}/api`) is not forwarded, or undefined: it must be safe segments, no more. */
export function pathProblem(path: string): string | undefined {
  const segments = path.startsWith('/') ? path.slice(1).split('/') : [];
  const safe = segments.length > 0 && segments.every((s) => SAFE_SEGMENT.test(s) && s !== '.' && s !== '..');
  return safe
    ? undefined
    : 'the API path must be segments of letters, digits and . _ ~ - (no "..", "//", %-escapes or absolute URLs)';
}

/** What one call to Aries' API came to. */
type Sent =
  | { kind: 'answer'; status: number; headers: Headers; body: Uint8Array }
  /** The answer's body was over `maxResponseSize`. */
  | { kind: 'too_large'; status: number }
  /** No answer: a network error, a reset connection, or the timeout. */
  | { kind: 'unavailable'; reason: string };

export function createApiProxy({
  options,
  store,
  sessions,
  report,
  maxBodySize,
  fetch: fetchFn,
}: {
  options: ReturnType<typeof checkApiProxy>;
  store: SessionStore;
  sessions: SessionRoutes;
  report: Report;
  maxBodySize: number;
  fetch: typeof fetch;
}) {
  const { apiUrl, timeout, maxResponseSize, limits } = options;
  const match = routeTable(options.routes);
  const counters = Object.fromEntries(
    API_CATEGORIES.map((category) => [
      category,
      createCounter(store, { ...limits[category], keyPrefix: `aries-login:api:${category}` }),
    ]),
  ) as Record<ApiCategory, Counter>;

  /** A refusal of the proxy's own (4xx), in the operator's log: the route's template (`api`), or the path asked for. */
  const refuse = (
    kind: string,
    status: number,
    error: string,
    description: string,
    fields: Record<string, string | number | undefined>,
    headers?: Record<string, string>,
  ) => {
    report(status === 429 ? 'warn' : 'info', 'request_refused', { route: 'api', class: kind, status, ...fields });
    return problem(status, error, description, headers);
  };

  /** Aries failed or said nothing usable: 502, saying when a request that is not idempotent has an unknown outcome. */
  function failed(route: MatchedRoute, error: string, what: string, status?: number): Response {
    report('error', 'aries_fault', {
      route: 'api',
      api: route.name,
      outcome: error,
      reason: what,
      ...(route.idempotent ? {} : { sent: 'once, never again' }),
    });
    // Without an answer, or with a 3xx or 5xx, nobody knows what Aries did; a 2xx or 4xx says.
    const unknown = !route.idempotent && (status === undefined || status >= 300);
    const description = unknown
      ? `${what}; whether Aries carried out this ${route.method} is unknown, and it is not sent again: check before repeating it`
      : what;
    return answer(502, { error, error_description: description, ...(status && { aries_status: status }) });
  }

  /** Aries answered 401 to the session's token: it carried nothing out (the request may be repeated), but no retry here. */
  function tokenRefused(route: MatchedRoute, renewed: boolean): Response {
    report('warn', 'aries_fault', {
      route: 'api',
      api: route.name,
      outcome: 'invalid_token',
      renewed: String(renewed),
    });
    const description = renewed
      ? 'Aries refused the session’s access token (401) and did not carry out the request; the session has a new token now, so the request may be sent again'
      : 'Aries refused the session’s access token (401), and a refresh did not replace it';
    return answer(502, { error: 'server_error', error_description: description, aries_status: 401 });
  }

  /** One call to Aries' API, given up after `timeout`; its answer read up to `maxResponseSize`. */
  async function send(
    route: MatchedRoute,
    request: Request,
    path: string,
    body: Uint8Array,
    token: string,
  ): Promise<Sent> {
    const headers = new Headers({ Authorization: `Bearer ${token}`, Accept: 'application/json' });
    for (const name of FORWARDED) {
      const value = request.headers.get(name);
      if (value !== null && (name !== 'Content-Type' || body.length)) headers.set(name, value);
    }
    let status: number | undefined;
    try {
      const response = await fetchFn(`${apiUrl}${path}${new URL(request.url).search}`, {
        method: route.method,
        headers,
        body: body.length ? body : undefined,
        // A redirect would carry the access token wherever it points.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeout),
      });
      status = response.status;
      const received = await readBytes(response, maxResponseSize);
      return { kind: 'answer', status, headers: response.headers, body: received };
    } catch (error) {
      if (error instanceof BodyTooLarge) return { kind: 'too_large', status: status! };
      const timedOut = (error as Error)?.name === 'TimeoutError';
      return {
        kind: 'unavailable',
        reason: timedOut ? `no answer in ${timeout} ms` : 'unreachable',
      };
    }
  }

  /** Aries' answer as the browser gets it: passed through (2xx, 4xx, its 429 held until the reset), or a 502. */
  async function present(route: MatchedRoute, sent: Sent, limiterKey: string): Promise<Response> {
    if (sent.kind === 'unavailable') return failed(route, 'server_error', `Aries’ API: ${sent.reason}`);
    if (sent.kind === 'too_large') {
      const what = `Aries answered ${sent.status} with a body over ${maxResponseSize} bytes`;
      return failed(route, 'invalid_response', what, sent.status);
    }
    const { status, headers: received, body } = sent;
    if (status >= 300 && status < 400) {
      return failed(route, 'server_error', `Aries answered ${status}, a redirect, which is never followed`, status);
    }
    if (status >= 500) return failed(route, 'server_error', `Aries answered ${status}`, status);
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    const type = received.get('Content-Type');
    if (type && body.length) headers['Content-Type'] = type;
    const challenge = received.get('WWW-Authenticate');
    if (status === 403 && challenge) headers['WWW-Authenticate'] = challenge;
    if (status === 429) {
      const retryAt = readRateLimitReset(received.get('X-RateLimit-Reset'), Date.now());
      report('warn', 'aries_fault', {
        route: 'api',
        api: route.name,
        outcome: 'rate_limited',
        category: route.category,
        until: new Date(retryAt).toISOString(),
      });
      // Held for this session, on every instance sharing the store, until the reset: Aries is not asked again before.
      await counters[route.category]
        .block(limiterKey, retryAt)
        .catch((error: unknown) => report('error', 'store_failed', { route: 'api', reason: messageOf(error) }));
      Object.assign(headers, retryHeaders(retryAt));
    }
    return new Response(status === 204 || status === 205 || !body.length ? null : body, { status, headers });
  }

  return {
    /**
     * Answers `{basePath}/api{path}` (the path, origin and CSRF checks are done): 404 off the table, 403 without the
     * scope, 429 past the session's limit, else one call to Aries with the session's token, refreshed first when near
     * expiry; a GET is sent once more after a 401 that a refresh cures, nothing else ever is.
     */
    async forward(request: Request, path: string, id: string | undefined, cookie: SessionCookie): Promise<Response> {
      const found = match(request.method, path);
      // The path is the client's to write: it goes to the log cut short, never with its query.
      const asked = { method: request.method, path: path.slice(0, 120) };
      if (!found) {
        const why =
          'no such API route here: the backend forwards only the routes of its table (apiProxy.routes adds more)';
        return refuse('not_found', 404, 'not_found', why, asked);
      }
      if ('allowed' in found) {
        const allow = found.allowed.join(', ');
        return refuse('bad_request', 405, 'invalid_request', `this API route takes ${allow}`, asked, { Allow: allow });
      }
      const { route } = found;
      const fields = { api: route.name };
      let body: Uint8Array;
      try {
        body = await readBytes(request, maxBodySize);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        return refuse('bad_request', 413, 'invalid_request', `the body may have at most ${maxBodySize} bytes`, fields);
      }
      if (!id) return problem(401, 'session_expired', 'no session: sign in first');
      const session = await store.get(id);
      if (!session) return problem(401, 'session_expired', 'no session', { 'Set-Cookie': cookie.cleared });
      // No scope in Aries' token response would mean all that was asked for (RFC 6749 §5.1), which the backend never
      // saw: Aries' own check decides then.
      const granted = session.scope.split(' ');
      if (session.scope && !route.scopes.some((scope) => granted.includes(scope))) {
        const why = `${route.name} needs the scope ${route.scopes.join(' or ')}, which this session was not granted`;
        const challenge = `Bearer error="insufficient_scope", scope="${route.scopes.join(' ')}"`;
        return refuse('insufficient_scope', 403, 'insufficient_scope', why, fields, { 'WWW-Authenticate': challenge });
      }
      const limiterKey = createHash('sha256').update(id).digest('base64url');
      const counter = counters[route.category];
      /** Counts a call to Aries by this session: undefined when it may go, else the 429 that holds it. */
      const admit = async () => {
        const counted = await counter.consume(limiterKey);
        if (counted.allowed) return undefined;
        const why = `this session’s ${route.category.replace('_', ' ')} calls to Aries are used up for now`;
        const refusal = { ...fields, by: 'session', category: route.category };
        return refuse('rate_limited', 429, 'rate_limited', why, refusal, retryHeaders(counted.resetAt));
      };
      const held = await admit();
      if (held) return held;
      let current: StoredSession = session;
      if (nearExpiry(session)) {
        const renewed = await sessions.renew(id, cookie);
        if (renewed instanceof Response) {
          await counter.reward(limiterKey); // Aries was not called
          return renewed;
        }
        current = renewed;
      }
      let sent = await send(route, request, path, body, current.accessToken);
      if (sent.kind === 'answer' && sent.status === 401) {
        // Aries refused the token (revoked, or its clock ahead of ours): renewed, and sent again only if idempotent.
        const renewed = await sessions.renew(id, cookie, current.accessToken);
        if (renewed instanceof Response) return renewed;
        const cured = renewed.accessToken !== current.accessToken;
        if (!cured || !route.idempotent) return tokenRefused(route, cured);
        const again = await admit();
        if (again) return again;
        sent = await send(route, request, path, body, renewed.accessToken);
        if (sent.kind === 'answer' && sent.status === 401) return tokenRefused(route, false);
      }
      return present(route, sent, limiterKey);
    },
  };
}

const messageOf = (error: unknown) => (error as Error)?.message ?? String(error);
