/** Talks to Aries' token endpoint (one JSON POST per code, never retried) or the app's backend, with every failure turned into a coded error. */
import { AriesLoginError } from './errors.js';
import { readBackendSession, readTokenResponse } from './token-response.js';

/**
 * What the page gets when it holds the access token (no backend, or a backend that hands it out). No refresh token:
 * Aries honours one only with the client secret, which a browser never has, so holding it would only expose it (a
 * public client cannot use it; in backend mode the backend keeps it).
 */
export interface AriesTokens {
  accessToken: string;
  /** Always `Bearer`: the only type Aries issues, and the only one accepted. */
  tokenType: string;
  /** Seconds, as Aries sent it. */
  expiresIn: number;
  /** Epoch ms at which the access token expires. */
  expiresAt: number;
  /** What Aries granted (space-separated); it may be less than what was asked. */
  scope: string;
  /** Never set here: the page holds the token (see AriesBackendSession). */
  tokenHeldBy?: undefined;
}

/**
 * What the page gets when the backend keeps every token (`apiProxy`, the BFF of RFC 10017 §6.1): the session's scope
 * and expiry, and no token. Aries' API is called through the backend (`ariesFetch`).
 */
export interface AriesBackendSession {
  /** Never set: the access token stays at the backend. */
  accessToken?: undefined;
  /** Never set: there is no token here to have a type. */
  tokenType?: undefined;
  /** The backend holds the tokens. */
  tokenHeldBy: 'backend';
  /** Seconds the session's access token (at the backend) lasts, from the backend's answer. */
  expiresIn: number;
  /** Epoch ms at which the session's access token expires, unless the backend refreshes it (it does, ahead of time). */
  expiresAt: number;
  /** What Aries granted (space-separated); it may be less than what was asked. */
  scope: string;
}

/** A sign-in's outcome: the tokens, or (a backend that keeps them) the session they belong to. */
export type SignedInSession = AriesTokens | AriesBackendSession;

export interface RequestOptions {
  /** Ms before a request that never answers ends in `network_error`. */
  timeout: number;
  /** Abandons the request (the element left the page). */
  signal?: AbortSignal;
}

export interface CodeExchange {
  tokenUrl: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
  /** Backend mode: the app's backend exchanges the code (with its secret) and keeps the refresh token. */
  backendUrl?: string;
}

/**
 * When the backend's session ends (epoch ms), for tokens a backend answered with `session_expires_in`: kept beside the
 * tokens rather than in them, so that the page's tokens keep their documented shape.
 */
export const sessionEnds = new WeakMap<SignedInSession, number>();

/** Every backend request carries the session cookie and a header the backend requires, as CSRF defence. */
const backendInit: RequestInit = { credentials: 'include', headers: { 'X-Requested-With': 'aries-login' } };

/** A string field of a JSON answer: whatever else a server sends is never trusted or shown. */
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The longest a rate limit may hold the button: a header from the wire cannot disable it for days (or years). */
export const MAX_RATE_LIMIT_DELAY = 60 * 60_000;

/**
 * `X-RateLimit-Reset` is either an epoch time or a delay in seconds; Aries does not say which, so both are read. The
 * result (epoch ms) is never before `now` and at most an hour after it; without a readable header, a minute.
 */
export function readRateLimitReset(header: string | null, now: number): number {
  const value = Number(header);
  let at = now + 60_000;
  if (header && Number.isFinite(value) && value >= 0) {
    if (value > 1e12)
      at = value; // epoch ms
    else if (value > 1e9)
      at = value * 1000; // epoch seconds
    else at = now + value * 1000; // far below any epoch: a delay
  }
  return Math.min(Math.max(at, now), now + MAX_RATE_LIMIT_DELAY);
}

/**
 * POSTs `body` as JSON and reads the answer: Aries' token response; from the app's `backend`, also its answer that it
 * holds the tokens itself (`token_held_by: "backend"`), which Aries' own answer can never be.
 */
export async function requestTokens(
  fetchFn: typeof fetch,
  url: string,
  body: object | undefined,
  { timeout, signal }: RequestOptions,
  backend = false,
): Promise<SignedInSession> {
  const { headers, ...init } = backend ? backendInit : ({ credentials: 'omit' } as RequestInit);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort);
  let response: Response;
  let json: Record<string, unknown> | undefined;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: body && JSON.stringify(body),
      ...init,
      signal: controller.signal,
    });
    json = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  } catch {
    signal?.throwIfAborted();
    throw new AriesLoginError(
      'network_error',
      controller.signal.aborted ? 'Aries did not answer in time. Please try again.' : undefined,
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
  const { status } = response;
  if (status === 429) {
    throw new AriesLoginError('rate_limited', undefined, {
      status,
      retryAt: readRateLimitReset(response.headers.get('X-RateLimit-Reset'), Date.now()),
    });
  }
  if (!response.ok) {
    // Only a JSON `error` is Aries speaking; any other body (a proxy's HTML page) is never shown.
    const error = text(json?.error);
    if (error) throw new AriesLoginError(error, undefined, { status, description: text(json!.error_description) });
    throw new AriesLoginError('server_error', undefined, { status });
  }
  // RFC 6749 §5.1, field by field; the message names the field at fault. The refresh token is left out (see above).
  const read =
    backend && json && Object.hasOwn(json, 'token_held_by') ? readBackendSession(json) : readTokenResponse(json);
  if (!read.ok) throw new AriesLoginError('invalid_response', read.message, { status });
  const { expiresIn, scope = '' } = read.tokens;
  const times = { expiresIn, expiresAt: Date.now() + expiresIn * 1000, scope };
  const tokens: SignedInSession =
    'accessToken' in read.tokens
      ? { accessToken: read.tokens.accessToken, tokenType: read.tokens.tokenType, ...times }
      : { tokenHeldBy: 'backend', ...times };
  const sessionExpiresIn = json!.session_expires_in;
  if (typeof sessionExpiresIn === 'number' && sessionExpiresIn >= 0) {
    sessionEnds.set(tokens, Date.now() + sessionExpiresIn * 1000);
  }
  return tokens;
}

/** Exchanges an authorization code: at Aries as a public client (PKCE, no secret, no cookies), or through the backend. */
export const exchangeCode = (fetchFn: typeof fetch, exchange: CodeExchange, code: string, options: RequestOptions) =>
  exchange.backendUrl
    ? requestTokens(
        fetchFn,
        `${exchange.backendUrl}/token`,
        { code, redirect_uri: exchange.redirectUri, code_verifier: exchange.codeVerifier },
        options,
        true,
      )
    : requestTokens(
        fetchFn,
        exchange.tokenUrl,
        {
          client_id: exchange.clientId,
          grant_type: 'code',
          code,
          redirect_uri: exchange.redirectUri,
          code_verifier: exchange.codeVerifier,
        },
        options,
      );

/**
 * Asks the backend for a fresh access token of its session (it refreshes at Aries with its secret when needed).
 * 204 is the backend's "no session in this browser" (nobody signed in, not an error); older backends answered
 * 401 `session_expired`: both read as that.
 */
export const refreshTokens = (fetchFn: typeof fetch, backendUrl: string, options: RequestOptions) =>
  requestTokens(
    (input, init) =>
      fetchFn(input, init).then((response) =>
        response.status === 204 ? Response.json({ error: 'session_expired' }, { status: 401 }) : response,
      ),
    `${backendUrl}/refresh`,
    undefined,
    options,
    true,
  );

/** Ends the backend's session; resolves false when the backend could not confirm it. */
export const endBackendSession = (fetchFn: typeof fetch, backendUrl: string): Promise<boolean> =>
  fetchFn(`${backendUrl}/logout`, { method: 'POST', ...backendInit }).then(
    (response) => response.ok,
    () => false,
  );
