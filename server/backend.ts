/** createBackend: the token-mediating backend of <aries-login backend-url>, as a Web-standard fetch handler and a Node middleware. */
import { ariesClient } from './aries-client.js';
import { clientAddress, bucketOf, MalformedForwardedFor, trustedProxies, type TrustProxy } from './client-ip.js';
import {
  BodyTooLarge,
  LOOPBACK_COOKIE,
  answer,
  cookieFor,
  corsHeaders,
  originAllowed,
  problem,
  readSessionId,
  readText,
} from './http.js';
import { operatorLog } from './log.js';
import { memoryStore } from './memory-store.js';
import { nodeMiddleware, type Middleware } from './node.js';
import { checkFunction, checkOrigin, checkUrl, invalid, positive, whole } from './options.js';
import { checkQuota, createQuota, type AriesQuotaOptions } from './quota.js';
import type { RateLimitOptions } from './rate-limit.js';
import { sessionRoutes, type SignIn } from './sessions.js';
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
  /** Ms before the browser gets 502 `server_error` for an unanswered call to Aries. Default 10,000. */
  ariesTimeout?: number;
  /** Aries' quota on token calls for this client; the backend stays under it. Default 10 per 60 s, 2 kept for refreshes. */
  ariesQuota?: AriesQuotaOptions;
  /** Sign-ins (`/token`) per client (IPv4 address or IPv6 /64) per window. Default 2 per 60 s. */
  tokenRateLimit?: RateLimitOptions;
  /** Bytes a request body may have. Default 16 KiB. */
  maxBodySize?: number;
  /**
   * Your proxies in front of the backend: how many (each appends to `X-Forwarded-For`), or their addresses and CIDRs.
   * The client is then the rightmost address your proxies did not write. Default: none (the socket's address).
   */
  trustProxy?: TrustProxy;
  /** The client's address (or any key) for the per-client limit, for setups `trustProxy` does not fit. */
  clientIp?: (request: Request, socketAddress: string | undefined) => string | undefined;
  /** Receives one JSON line per fault, session end and refused request (never secrets, tokens or session ids). Default: `console.error`. */
  log?: (line: string) => void;
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
/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const STORE_METHODS = ['create', 'get', 'update', 'delete', 'lock', 'close'] as const;

/** Every option checked before anything starts: a TypeError names the one at fault. */
function checkOptions(options: BackendOptions) {
  const where = 'createBackend';
  if (typeof options !== 'object' || options === null) invalid(where, 'options', 'an object', options);
  const { clientId, clientSecret, basePath, allowedOrigins, store, tokenUrl } = options;
  if (typeof clientId !== 'string' || !clientId) throw new TypeError(`${where} needs the Aries clientId.`);
  if (typeof clientSecret !== 'string' || !clientSecret) {
    throw new TypeError(`${where} needs the Aries client secret (ARIES_CLIENT_SECRET).`);
  }
  if (tokenUrl !== undefined) checkUrl(where, 'tokenUrl', tokenUrl);
  if (basePath !== undefined && (typeof basePath !== 'string' || !/^(\/[\w.~-]+)+$/.test(basePath))) {
    invalid(where, 'basePath', 'a path such as "/auth"', basePath);
  }
  if (allowedOrigins !== undefined) {
    if (!Array.isArray(allowedOrigins)) invalid(where, 'allowedOrigins', 'an array of origins', allowedOrigins);
    for (const origin of allowedOrigins) checkOrigin(where, 'allowedOrigins', origin);
  }
  if (
    store !== undefined &&
    STORE_METHODS.some((name) => typeof (store as unknown as Record<string, unknown>)?.[name] !== 'function')
  ) {
    invalid(where, 'store', 'a session store (memoryStore(), redisStore(…))', store);
  }
  positive(where, 'ariesTimeout', options.ariesTimeout);
  whole(where, 'maxBodySize', options.maxBodySize);
  for (const name of ['clientIp', 'log', 'fetch'] as const) checkFunction(where, name, options[name]);
}

export function createBackend(options: BackendOptions): Backend {
  checkOptions(options);
  const {
    clientId,
    clientSecret,
    tokenUrl = DEFAULT_TOKEN_URL,
    basePath = '/auth',
    allowedOrigins = [],
    store = memoryStore(),
    ariesTimeout = DEFAULT_ARIES_TIMEOUT,
    maxBodySize = DEFAULT_MAX_BODY,
    clientIp,
    log = (line: string) => console.error(line),
    fetch: fetchFn = globalThis.fetch,
  } = options;
  const quotaOptions = checkQuota(options.ariesQuota, options.tokenRateLimit);
  const trust = trustedProxies(options.trustProxy);
  const report = operatorLog(log);
  const aries = ariesClient({ tokenUrl, clientId, clientSecret, fetch: fetchFn });
  const quota = createQuota(store, clientId, quotaOptions);
  const routes = sessionRoutes({ store, aries, quota, ariesTimeout, report });
  const prefix = `${basePath}/`;
  let loopbackCookieReported = false;

  /** A refusal of the backend's own (4xx), reported as its class. */
  const refuse = (
    kind: 'bad_request' | 'csrf',
    route: string,
    status: number,
    error: string,
    description: string,
    headers?: Record<string, string>,
  ) => {
    report('info', 'request_refused', { route, class: kind, status, reason: description });
    return problem(status, error, description, headers);
  };

  /** The sign-in's fields, or why it cannot succeed (answered 400 before any limit or Aries is spent on it). */
  function readSignIn(text: string): Omit<SignIn, 'client'> | string {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return 'the body must be JSON';
    }
    const { code, redirect_uri, code_verifier } = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    if (typeof code !== 'string' || !code || typeof redirect_uri !== 'string' || !redirect_uri) {
      return 'code and redirect_uri are required strings';
    }
    if (typeof code_verifier !== 'string' || !CODE_VERIFIER.test(code_verifier)) {
      return 'code_verifier must be 43 to 128 unreserved characters (PKCE, RFC 7636)';
    }
    return { code, redirectUri: redirect_uri, codeVerifier: code_verifier };
  }

  /** The per-client limit's bucket: from `clientIp`, or the trusted X-Forwarded-For hop, or the socket. */
  function clientOf(request: Request, info: RequestInfo): string | undefined {
    const address = clientIp
      ? clientIp(request, info.clientIp)
      : clientAddress(trust, request.headers.get('X-Forwarded-For'), info.clientIp);
    return address === undefined ? undefined : bucketOf(address);
  }

  async function handle(request: Request, info: RequestInfo): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(prefix)) return problem(404, 'not_found', 'no such route');
    const route = url.pathname.slice(prefix.length);
    // The body cap comes first: a declared oversize body is refused before anything is read or looked up.
    if (Number(request.headers.get('Content-Length')) > maxBodySize) {
      return refuse('bad_request', route, 413, 'invalid_request', `the body may have at most ${maxBodySize} bytes`);
    }
    if (!ROUTES.has(route)) return refuse('bad_request', route, 404, 'not_found', 'no such route');
    if (request.method === 'OPTIONS' && corsHeaders(request, allowedOrigins)['Access-Control-Allow-Origin']) {
      return answer(204, undefined, {
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'content-type, x-requested-with',
        'Access-Control-Max-Age': '600',
      });
    }
    if (request.method !== 'POST') {
      return refuse('bad_request', route, 405, 'invalid_request', 'only POST', { Allow: 'POST' });
    }
    if (!originAllowed(request, url.origin, allowedOrigins)) {
      return refuse('csrf', route, 403, 'csrf_check_failed', 'this origin may not use the backend');
    }
    if (request.headers.get('X-Requested-With') !== 'aries-login') {
      return refuse('csrf', route, 403, 'csrf_check_failed', 'X-Requested-With: aries-login is required');
    }
    let text: string;
    try {
      text = await readText(request, maxBodySize);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        return refuse('bad_request', route, 413, 'invalid_request', `the body may have at most ${maxBodySize} bytes`);
      }
      return refuse('bad_request', route, 400, 'invalid_request', 'the body must be UTF-8');
    }
    const cookie = cookieFor(url);
    if (cookie === LOOPBACK_COOKIE && !loopbackCookieReported) {
      loopbackCookieReported = true;
      report('info', 'config', {
        reason: `plain http on ${url.hostname}: the session cookie is "aries_session" without Secure (WebKit drops Secure cookies there); over https it is "__Host-aries_session; Secure"`,
      });
    }
    const sessionId = readSessionId(request.headers.get('Cookie'), cookie);
    if (route === 'refresh') return routes.refresh(sessionId, cookie);
    if (route === 'logout') return routes.logout(sessionId, cookie);

    const type = request.headers.get('Content-Type')?.split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      return refuse('bad_request', route, 415, 'invalid_request', 'the body must be application/json');
    }
    const signIn = readSignIn(text);
    if (typeof signIn === 'string') return refuse('bad_request', route, 400, 'invalid_request', signIn);
    let client: string | undefined;
    try {
      client = clientOf(request, info);
    } catch (error) {
      if (!(error instanceof MalformedForwardedFor)) throw error;
      return refuse(
        'bad_request',
        route,
        400,
        'invalid_request',
        'X-Forwarded-For holds something other than addresses',
      );
    }
    if (client === undefined) {
      // Never one bucket shared by every client: one of them could lock all the others out of signing in.
      report('error', 'config', {
        route,
        reason:
          'no client address for the per-client sign-in limit: pass { clientIp } to backend.fetch(request, info), or set the clientIp option (or trustProxy with the socket address)',
      });
      return problem(500, 'server_error', 'the backend is not configured to tell clients apart');
    }
    return routes.token({ ...signIn, client }, sessionId, cookie);
  }

  const fetchHandler = async (request: Request, info: RequestInfo = {}): Promise<Response> => {
    let response: Response;
    try {
      response = await handle(request, info);
    } catch (error) {
      // A store that cannot be reached, or a bug: the browser learns that much, never the details.
      report('error', 'store_failed', { reason: (error as Error)?.message ?? 'unknown error' });
      response = problem(500, 'server_error', 'the backend failed');
    }
    // Every answer under basePath, errors included, is readable by an allowed app's script.
    for (const [name, value] of Object.entries(corsHeaders(request, allowedOrigins))) response.headers.set(name, value);
    return response;
  };

  return {
    fetch: fetchHandler,
    middleware: nodeMiddleware(prefix, fetchHandler),
    close: () => store.close(),
  };
}
