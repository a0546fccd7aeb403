/** createBackend: the Backend-for-Frontend of <aries-login backend-url>, as a Web-standard fetch handler and a Node middleware. */
import { ariesClient } from './aries-client.js';
import { BodyTooLarge, answer, corsHeaders, originAllowed, problem, readSessionId, readText } from './http.js';
import { memoryStore } from './memory-store.js';
import { nodeMiddleware, type Middleware } from './node.js';
import { createRateLimit, type RateLimitOptions } from './rate-limit.js';
import { sessionRoutes } from './sessions.js';
import type { SessionStore } from './store.js';

export interface BackendOptions {
  clientId: string;
  /** Aries' client secret: from the environment, never from source. It is sent to `tokenUrl` only, and never logged. */
  clientSecret: string;
  /** Aries' token endpoint. */
  tokenUrl?: string;
  /** Where the backend answers: `{basePath}/token`, `/refresh`, `/logout`. Default `/auth`. */
  basePath?: string;
  /** Origins of apps on other origins allowed to call the backend (with cookies), besides its own origin. */
  allowedOrigins?: string[];
  /** Where sessions live. Default: `memoryStore()` (one process). */
  store?: SessionStore;
  /** Ms before an unanswered call to Aries ends in 502 `server_error`. Default 10,000. */
  ariesTimeout?: number;
  /** The per-client limit on `/token` (sign-ins). Default 10 per 60 s per client IP. */
  tokenRateLimit?: RateLimitOptions;
  /** Bytes a request body may have. Default 16 KiB. */
  maxBodySize?: number;
  /** The client's IP for the rate limit, e.g. from `X-Forwarded-For` behind your own proxy. Default: the socket's address. */
  clientIp?: (request: Request, socketAddress: string | undefined) => string | undefined;
  /** Reports faults (never secrets or tokens). Default: `console.error`. */
  log?: (message: string) => void;
  /** For tests: the fetch used to call Aries. */
  fetch?: typeof fetch;
}

/** Facts only the server knows, passed by a mount that has them (the Node middleware passes the socket's address). */
export interface RequestInfo {
  clientIp?: string;
}

export interface Backend {
  /** Answers a request under `basePath` (404 JSON for any other path). Never rejects. */
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /** node:http, Express, Connect: answers requests under `basePath`, calls `next()` for the others. */
  middleware: Middleware;
  /** Closes the store's connections. */
  close(): Promise<void>;
}

export const DEFAULT_TOKEN_URL = 'https://api.aries.com/v1/oauth2/token';
export const DEFAULT_ARIES_TIMEOUT = 10_000;
const DEFAULT_MAX_BODY = 16 * 1024;
const ROUTES = new Set(['token', 'refresh', 'logout']);

export function createBackend(options: BackendOptions): Backend {
  const {
    clientId,
    clientSecret,
    tokenUrl = DEFAULT_TOKEN_URL,
    basePath = '/auth',
    allowedOrigins = [],
    store = memoryStore(),
    ariesTimeout = DEFAULT_ARIES_TIMEOUT,
    tokenRateLimit,
    maxBodySize = DEFAULT_MAX_BODY,
    clientIp,
    log = (message: string) => console.error(message),
    fetch: fetchFn = globalThis.fetch,
  } = options;
  if (!clientId) throw new TypeError('createBackend needs the Aries clientId.');
  if (!clientSecret) throw new TypeError('createBackend needs the Aries client secret (ARIES_CLIENT_SECRET).');
  if (!/^(\/[\w.~-]+)+$/.test(basePath)) throw new TypeError(`basePath must look like /auth, not ${basePath}`);
  const aries = ariesClient({ tokenUrl, clientId, clientSecret, timeout: ariesTimeout, fetch: fetchFn });
  const routes = sessionRoutes({ store, aries, lockTtl: ariesTimeout + 5_000 });
  const rateLimit = createRateLimit(store, tokenRateLimit);
  const prefix = `${basePath}/`;

  async function handle(request: Request, info: RequestInfo): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(prefix)) return problem(404, 'not_found', 'no such route');
    const route = url.pathname.slice(prefix.length);
    const cors = corsHeaders(request, allowedOrigins);
    const withCors = (response: Response) => {
      for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
      return response;
    };
    // The body cap comes first: a declared oversize body is refused before anything is read or looked up.
    if (Number(request.headers.get('Content-Length')) > maxBodySize) {
      return withCors(problem(413, 'invalid_request', `the body may have at most ${maxBodySize} bytes`));
    }
    if (!ROUTES.has(route)) return withCors(problem(404, 'not_found', 'no such route'));
    if (request.method === 'OPTIONS' && cors['Access-Control-Allow-Origin']) {
      return withCors(
        answer(204, undefined, {
          'Access-Control-Allow-Methods': 'POST',
          'Access-Control-Allow-Headers': 'content-type, x-requested-with',
          'Access-Control-Max-Age': '600',
        }),
      );
    }
    if (request.method !== 'POST') {
      return withCors(problem(405, 'invalid_request', 'only POST', { Allow: 'POST' }));
    }
    if (!originAllowed(request, url.origin, allowedOrigins)) {
      return withCors(problem(403, 'csrf_check_failed', 'this origin may not use the backend'));
    }
    if (request.headers.get('X-Requested-With') !== 'aries-login') {
      return withCors(problem(403, 'csrf_check_failed', 'X-Requested-With: aries-login is required'));
    }
    let text: string;
    try {
      text = await readText(request, maxBodySize);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        return withCors(problem(413, 'invalid_request', `the body may have at most ${maxBodySize} bytes`));
      }
      return withCors(problem(400, 'invalid_request', 'the body must be UTF-8'));
    }
    const sessionId = readSessionId(request.headers.get('Cookie'));
    if (route === 'refresh') return withCors(await routes.refresh(sessionId));
    if (route === 'logout') return withCors(await routes.logout(sessionId));

    const type = request.headers.get('Content-Type')?.split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      return withCors(problem(415, 'invalid_request', 'the body must be application/json'));
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return withCors(problem(400, 'invalid_request', 'the body must be JSON'));
    }
    const { code, redirect_uri, code_verifier } = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    if (
      typeof code !== 'string' ||
      !code ||
      typeof redirect_uri !== 'string' ||
      !redirect_uri ||
      (code_verifier !== undefined && typeof code_verifier !== 'string')
    ) {
      return withCors(problem(400, 'invalid_request', 'code and redirect_uri are required strings'));
    }
    const ip = clientIp?.(request, info.clientIp) ?? info.clientIp ?? 'unknown';
    const wait = await rateLimit(ip);
    if (wait !== undefined) {
      return withCors(
        problem(429, 'rate_limited', 'too many sign-ins from this client', {
          'X-RateLimit-Reset': String(wait),
          'Retry-After': String(wait),
        }),
      );
    }
    return withCors(await routes.token(code, redirect_uri, code_verifier, sessionId));
  }

  const fetchHandler = async (request: Request, info: RequestInfo = {}): Promise<Response> => {
    try {
      return await handle(request, info);
    } catch (error) {
      // A store that cannot be reached, or a bug: the browser learns that much, never the details.
      log(`aries-login backend: ${(error as Error)?.message ?? 'unknown error'}`);
      return problem(500, 'server_error', 'the backend failed');
    }
  };

  return {
    fetch: fetchHandler,
    middleware: nodeMiddleware(prefix, fetchHandler),
    close: () => store.close(),
  };
}
