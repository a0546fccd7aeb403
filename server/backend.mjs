// The reference Backend-for-Frontend for <aries-login backend-url>: exchanges codes and refreshes with the client secret, keeps refresh tokens server-side.
import { randomBytes } from 'node:crypto';

/**
 * The wire contract (README, "Backend mode"), for a backend mounted at `basePath`:
 *   POST {base}/token    {code, redirect_uri, code_verifier} → 200 {access_token, expires_in, token_type, scope} + session cookie
 *   POST {base}/refresh  → the same shape (a token with at least half its lifetime left), or 401 {error}
 *   POST {base}/logout   → 204, session ended
 * Every request must carry `X-Requested-With: aries-login` (CSRF defence: a cross-site form or image cannot send it).
 */

const COOKIE = 'aries_session';
const MAX_BODY = 16 * 1024;

/**
 * @param {{ basePath: string, tokenUrl: string, clientId: string, clientSecret: string,
 *   allowedOrigins?: string[], fetch?: typeof fetch }} options
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<boolean>}
 *   a handler that answers the requests under `basePath` and returns false for any other.
 */
export function createBackend({
  basePath,
  tokenUrl,
  clientId,
  clientSecret,
  allowedOrigins = [],
  fetch: fetchFn = fetch,
}) {
  if (!clientSecret) throw new Error('The backend needs the Aries client secret (ARIES_CLIENT_SECRET).');
  /** Sessions by id: the refresh token never leaves this process. @type {Map<string, Session>} */
  const sessions = new Map();

  /**
   * @typedef {{ refreshToken?: string, redirectUri: string, accessToken: string, tokenType: string, scope: string,
   *   expiresIn: number, expiresAt: number }} Session
   */

  /** One request to Aries' token endpoint, with the secret; Aries' errors are passed on as they came. */
  async function callAries(/** @type {Record<string, string>} */ body) {
    const response = await fetchFn(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, ...body }),
    });
    const json = await response.json().catch(() => ({}));
    return { status: response.status, json };
  }

  /** Stores what Aries returned; a new refresh token replaces the old one (Aries rotates them). */
  function remember(
    /** @type {Session | undefined} */ previous,
    /** @type {any} */ json,
    /** @type {string} */ redirectUri,
  ) {
    const expiresIn = Number(json.expires_in) || 3600;
    return {
      refreshToken: json.refresh_token ?? previous?.refreshToken,
      redirectUri,
      accessToken: json.access_token,
      tokenType: json.token_type ?? 'Bearer',
      scope: json.scope ?? previous?.scope ?? '',
      expiresIn,
      expiresAt: Date.now() + expiresIn * 1000,
    };
  }

  /** What the browser gets: the access token and its lifetime, never the refresh token. */
  const forBrowser = (/** @type {Session} */ s) => ({
    access_token: s.accessToken,
    expires_in: Math.max(0, Math.round((s.expiresAt - Date.now()) / 1000)),
    token_type: s.tokenType,
    scope: s.scope,
  });

  const routes = {
    /** @param {any} body @param {string | undefined} sessionId */
    async token(body, sessionId) {
      const { code, redirect_uri, code_verifier } = body ?? {};
      if (typeof code !== 'string' || typeof redirect_uri !== 'string') {
        return [400, { error: 'invalid_request', error_description: 'code and redirect_uri are required' }];
      }
      const aries = await callAries({
        grant_type: 'code',
        code,
        redirect_uri,
        ...(code_verifier ? { code_verifier } : {}),
      });
      if (aries.status !== 200) return [aries.status, aries.json];
      if (sessionId) sessions.delete(sessionId);
      const id = randomBytes(32).toString('base64url');
      const session = remember(undefined, aries.json, redirect_uri);
      sessions.set(id, session);
      return [200, forBrowser(session), id];
    },
    /** @param {any} _ @param {string | undefined} sessionId */
    async refresh(_, sessionId) {
      const session = sessionId && sessions.get(sessionId);
      if (!session) return [401, { error: 'session_expired', error_description: 'no session' }];
      // The current token still has half its life (or a minute and a half): every tab gets it, Aries is not asked.
      if (session.expiresAt - Date.now() > Math.min(90_000, (session.expiresIn * 1000) / 2))
        return [200, forBrowser(session)];
      if (!session.refreshToken) return [401, { error: 'session_expired', error_description: 'no refresh token' }];
      const aries = await callAries({
        grant_type: 'refresh_token',
        refresh_token: session.refreshToken,
        redirect_uri: session.redirectUri,
      });
      if (aries.status !== 200) {
        sessions.delete(sessionId);
        return [401, { error: 'session_expired', error_description: aries.json.error ?? 'refresh failed' }, ''];
      }
      const renewed = remember(session, aries.json, session.redirectUri);
      sessions.set(sessionId, renewed);
      return [200, forBrowser(renewed)];
    },
    /** @param {any} _ @param {string | undefined} sessionId */
    async logout(_, sessionId) {
      if (sessionId) sessions.delete(sessionId);
      return [204, undefined, ''];
    },
  };

  return async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://backend');
    if (!url.pathname.startsWith(`${basePath}/`)) return false;
    const route = /** @type {keyof typeof routes} */ (url.pathname.slice(basePath.length + 1));
    const origin = req.headers.origin;
    const cors =
      origin && allowedOrigins.includes(origin)
        ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' }
        : {};
    const send = (
      /** @type {number} */ status,
      /** @type {unknown} */ body,
      /** @type {Record<string, string>} */ headers = {},
    ) => {
      res.writeHead(status, {
        'Cache-Control': 'no-store',
        ...cors,
        ...headers,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.method === 'OPTIONS' && cors['Access-Control-Allow-Origin']) {
      send(204, undefined, {
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'content-type, x-requested-with',
      });
      return true;
    }
    if (!Object.hasOwn(routes, route)) return (send(404, { error: 'not_found' }), true);
    if (req.method !== 'POST') return (send(405, { error: 'method_not_allowed' }, { Allow: 'POST' }), true);
    if (req.headers['x-requested-with'] !== 'aries-login') {
      return (
        send(403, { error: 'csrf_check_failed', error_description: 'X-Requested-With: aries-login is required' }),
        true
      );
    }
    let body;
    try {
      body = await readJson(req);
    } catch {
      return (send(400, { error: 'invalid_request', error_description: 'the body must be JSON' }), true);
    }
    const sessionId = readCookie(req.headers.cookie, COOKIE);
    try {
      const [status, json, newSessionId] = await routes[route](body, sessionId);
      const cookie = newSessionId === undefined ? {} : { 'Set-Cookie': sessionCookie(basePath, newSessionId) };
      send(status, json, cookie);
    } catch (error) {
      // Aries unreachable: the browser learns that much, never the details.
      console.error(`backend ${route}:`, /** @type {Error} */ (error).message);
      send(502, { error: 'server_error', error_description: 'Aries could not be reached' });
    }
    return true;
  };
}

/** HttpOnly (no script reads it), Secure (browsers accept it on http://localhost), SameSite=Strict, scoped to the backend's path. */
const sessionCookie = (/** @type {string} */ path, /** @type {string} */ id) =>
  `${COOKIE}=${id}; Path=${path}; HttpOnly; Secure; SameSite=Strict${id ? '' : '; Max-Age=0'}`;

function readCookie(/** @type {string | undefined} */ header, /** @type {string} */ name) {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || undefined;
  }
}

async function readJson(/** @type {import('node:http').IncomingMessage} */ req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY) throw new Error('too large');
  }
  return text ? JSON.parse(text) : undefined;
}
