/** The three routes' work on sessions: sign-in by code, refresh (single-flight, across instances with a lock), sign-out that always wins. */
import { randomBytes } from 'node:crypto';
import type { TokenResponse } from '../src/token-response.js';
import type { AriesClient, AriesOutcome } from './aries-client.js';
import { answer, clearedCookie, problem, sessionCookie } from './http.js';
import { timeToLive, type SessionStore, type StoredSession } from './store.js';

/** Only these refusals from Aries mean the refresh token is dead; anything else may pass, so the session is kept. */
const ENDS_SESSION = new Set(['invalid_grant', 'invalid_client']);

export interface SessionRoutes {
  token(
    code: string,
    redirectUri: string,
    codeVerifier: string | undefined,
    oldId: string | undefined,
  ): Promise<Response>;
  refresh(id: string | undefined): Promise<Response>;
  logout(id: string | undefined): Promise<Response>;
}

/**
 * What the browser gets: the access token and its remaining lifetime, never the refresh token; and, when the store says
 * by which timeouts it ends sessions, the seconds until this one ends (idle from now, or its absolute end, whichever is
 * first), so that the element can warn before it.
 */
const forBrowser = (s: StoredSession, lifetime?: SessionStore['lifetime']) => ({
  access_token: s.accessToken,
  expires_in: Math.max(1, Math.round((s.expiresAt - Date.now()) / 1000)),
  token_type: s.tokenType,
  scope: s.scope,
  ...(lifetime && {
    session_expires_in: Math.max(
      0,
      Math.floor(timeToLive(s, lifetime.idleTimeout, lifetime.absoluteTimeout, Date.now()) / 1000),
    ),
  }),
});

/** The current token still has half its life (at most a minute and a half is needed): every tab gets it, Aries is not asked. */
const fresh = (s: StoredSession) => s.expiresAt - Date.now() > Math.min(90_000, (s.expiresIn * 1000) / 2);

const expired = (description: string) => problem(401, 'session_expired', description, { 'Set-Cookie': clearedCookie });

/** Aries' non-token outcomes as the browser sees them; none of them ends a session. */
function failure(outcome: Exclude<AriesOutcome, { kind: 'tokens' }>): Response {
  switch (outcome.kind) {
    case 'rate_limited':
      return problem(429, 'rate_limited', 'Aries is rate limiting this app', {
        'X-RateLimit-Reset': outcome.reset ?? '60',
      });
    case 'invalid_response':
      return problem(502, 'invalid_response', 'Aries sent a token response that could not be read');
    case 'refused':
      return problem(502, 'server_error', 'Aries refused the request');
    case 'unavailable':
      return problem(502, 'server_error', 'Aries could not be reached');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function sessionRoutes({
  store,
  aries,
  lockTtl,
}: {
  store: SessionStore;
  aries: AriesClient;
  /** Ms a refresh lock lives: longer than the call to Aries may take, so that a crashed holder frees it. */
  lockTtl: number;
}): SessionRoutes {
  /** Refreshes in flight in this process, by session id: concurrent callers share one. */
  const flights = new Map<string, Promise<Response>>();

  const stored = (tokens: TokenResponse, previous: StoredSession | undefined, redirectUri: string): StoredSession => ({
    refreshToken: tokens.refreshToken ?? previous?.refreshToken,
    redirectUri,
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    scope: tokens.scope ?? previous?.scope ?? '',
    expiresIn: tokens.expiresIn,
    expiresAt: Date.now() + tokens.expiresIn * 1000,
    createdAt: previous?.createdAt ?? Date.now(),
  });

  /** One refresh at Aries, by the holder of the session's lock. */
  async function refreshHeld(id: string): Promise<Response> {
    // Read again under the lock: another instance may have refreshed or ended it meanwhile.
    const session = await store.get(id);
    if (!session) return expired('no session');
    if (fresh(session)) return answer(200, forBrowser(session, store.lifetime));
    if (!session.refreshToken) {
      if (session.expiresAt > Date.now()) return answer(200, forBrowser(session, store.lifetime));
      await store.delete(id);
      return expired('the session has no refresh token');
    }
    const outcome = await aries.token({
      grant_type: 'refresh_token',
      refresh_token: session.refreshToken,
      redirect_uri: session.redirectUri,
    });
    if (outcome.kind === 'tokens') {
      const renewed = stored(outcome.tokens, session, session.redirectUri);
      // False when a sign-out came first: it wins, and this caller is signed out too.
      if (!(await store.update(id, renewed))) return expired('signed out');
      return answer(200, forBrowser(renewed, store.lifetime));
    }
    if (outcome.kind === 'refused' && ENDS_SESSION.has(outcome.error)) {
      await store.delete(id);
      return expired(`Aries refused the refresh (${outcome.error})`);
    }
    return failure(outcome);
  }

  async function refreshOnce(id: string): Promise<Response> {
    const deadline = Date.now() + lockTtl * 2;
    for (;;) {
      const session = await store.get(id);
      if (!session) return expired('no session');
      if (fresh(session)) return answer(200, forBrowser(session, store.lifetime));
      const release = await store.lock(id, lockTtl);
      if (release) {
        try {
          return await refreshHeld(id);
        } finally {
          await release();
        }
      }
      // Another instance is refreshing: its result is read from the store once it lets go.
      if (Date.now() > deadline) return problem(502, 'server_error', 'the session is being refreshed elsewhere');
      await sleep(25);
    }
  }

  return {
    async token(code, redirectUri, codeVerifier, oldId) {
      const outcome = await aries.token({
        grant_type: 'code',
        code,
        redirect_uri: redirectUri,
        ...(codeVerifier === undefined ? {} : { code_verifier: codeVerifier }),
      });
      if (outcome.kind === 'refused') {
        // The sign-in failed as Aries says (an expired or reused code): the element shows Aries' code.
        return problem(outcome.status === 401 ? 401 : 400, outcome.error, 'Aries refused the code');
      }
      if (outcome.kind !== 'tokens') return failure(outcome);
      if (oldId) await store.delete(oldId);
      const id = randomBytes(32).toString('base64url');
      const session = stored(outcome.tokens, undefined, redirectUri);
      await store.create(id, session);
      return answer(200, forBrowser(session, store.lifetime), { 'Set-Cookie': sessionCookie(id) });
    },

    refresh(id) {
      // No cookie: nobody is signed in in this browser. Not an error (a page load asks this way), so 204, not 401.
      if (!id) return Promise.resolve(answer(204));
      let flight = flights.get(id);
      if (!flight) {
        flight = refreshOnce(id).finally(() => flights.delete(id));
        flights.set(id, flight);
      }
      // Each caller gets its own copy of the one answer.
      return flight.then((response) => response.clone());
    },

    async logout(id) {
      if (id) await store.delete(id);
      return answer(204, undefined, { 'Set-Cookie': clearedCookie });
    },
  };
}
