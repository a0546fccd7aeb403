/** The three routes' work on sessions: sign-in by code, refresh (single-flight across instances, carried through even after the browser's answer), sign-out that always wins. */
import { randomBytes } from 'node:crypto';
import type { TokenResponse } from '../src/token-response.js';
import type { AriesClient, AriesOutcome } from './aries-client.js';
import { race } from './deadline.js';
import { answer, problem, rateLimited, type SessionCookie } from './http.js';
import { sessionTag, type Report } from './log.js';
import type { Quota, Refusal } from './quota.js';
import { timeToLive, type SessionLock, type SessionStore, type StoredSession } from './store.js';

/** A sign-in's request, checked: the code, where it was sent, the PKCE verifier, and the client's rate-limit bucket. */
export interface SignIn {
  code: string;
  redirectUri: string;
  codeVerifier: string;
  client: string;
}

export interface SessionRoutes {
  token(signIn: SignIn, oldId: string | undefined, cookie: SessionCookie): Promise<Response>;
  refresh(id: string | undefined, cookie: SessionCookie): Promise<Response>;
  logout(id: string | undefined, cookie: SessionCookie): Promise<Response>;
  /**
   * The session with a usable access token, for a call to Aries' API: refreshed as `refresh` refreshes (the same flight,
   * across instances), and renewed even while it looks fresh when `rejected` is the access token Aries just refused.
   * When there is none to use, the answer `refresh` would give (401 with the cookie cleared, 429, 502…).
   */
  renew(id: string, cookie: SessionCookie, rejected?: string): Promise<StoredSession | Response>;
}

/**
 * Ms a refresh lock lives unless extended: a crashed holder frees it this soon. Its holder extends it while Aries is
 * waited for, and every store command has a deadline of at most 2 s, so a live holder never outlives it.
 */
export const LOCK_TTL = 10_000;
const LOCK_EXTEND_EVERY = LOCK_TTL / 4;
/** A refresh at Aries goes on after the browser's 502 (at `ariesTimeout`) up to this many times `ariesTimeout`. */
export const REFRESH_PATIENCE = 3;

/** What a refresh came to, shared by every caller of this process that asked meanwhile. */
type Refreshed =
  | { kind: 'tokens'; session: StoredSession }
  | { kind: 'ended'; reason: string }
  | { kind: 'aries'; outcome: Exclude<AriesOutcome, { kind: 'tokens' }> }
  | { kind: 'refused'; refusal: Refusal }
  /** Another instance holds the lock past the deadline. */
  | { kind: 'busy' }
  | { kind: 'store_failed' };

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

/** Aries' non-token outcomes as the browser sees them; none of them ends a session. */
function failure(outcome: Exclude<AriesOutcome, { kind: 'tokens' }>): Response {
  switch (outcome.kind) {
    case 'rate_limited':
      return rateLimited(outcome.retryAt, 'Aries is rate limiting this app');
    case 'invalid_response':
      return problem(502, 'invalid_response', 'Aries sent a token response that could not be read');
    case 'refused':
      return problem(502, 'server_error', 'Aries refused the request');
    case 'unavailable':
      return problem(502, 'server_error', 'Aries could not be reached');
  }
}

function respond(result: Refreshed, cookie: SessionCookie, lifetime?: SessionStore['lifetime']): Response {
  switch (result.kind) {
    case 'tokens':
      return answer(200, forBrowser(result.session, lifetime));
    case 'ended':
      return problem(401, 'session_expired', result.reason, { 'Set-Cookie': cookie.cleared });
    case 'aries':
      return failure(result.outcome);
    case 'refused':
      return rateLimited(result.refusal.retryAt, 'the app’s calls to Aries are used up for now');
    case 'busy':
      return problem(502, 'server_error', 'the session is being refreshed elsewhere');
    case 'store_failed':
      return problem(500, 'server_error', 'the backend failed');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const messageOf = (error: unknown) => (error as Error)?.message ?? String(error);

export function sessionRoutes({
  store,
  aries,
  quota,
  ariesTimeout,
  report,
}: {
  store: SessionStore;
  aries: AriesClient;
  quota: Quota;
  /** Ms before the browser gets 502: a sign-in's call to Aries ends there; a refresh's goes on (REFRESH_PATIENCE). */
  ariesTimeout: number;
  report: Report;
}): SessionRoutes {
  /** Refreshes in flight in this process, by session id: concurrent callers share one; a sign-out marks it. */
  const flights = new Map<string, { done: Promise<Refreshed>; signedOut: boolean }>();

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

  /** Calls Aries, reports what went wrong, and obeys a 429 everywhere until its reset. */
  async function callAries(route: 'token' | 'refresh', body: Record<string, string>, timeout: number) {
    const started = Date.now();
    const outcome = await aries.token(body, timeout);
    const ms = Date.now() - started;
    switch (outcome.kind) {
      case 'tokens':
        if (ms > ariesTimeout)
          report('warn', 'aries_fault', { route, outcome: 'tokens', reason: `answered after ${ms} ms` });
        break;
      case 'rate_limited':
        report('warn', 'aries_fault', {
          route,
          outcome: 'rate_limited',
          until: new Date(outcome.retryAt).toISOString(),
        });
        await quota.pause(outcome.retryAt);
        break;
      case 'refused':
        if (outcome.error === 'invalid_client') {
          report('error', 'aries_fault', {
            route,
            outcome: 'invalid_client',
            reason: 'Aries does not accept this backend’s client id and secret: check clientId and clientSecret',
          });
        } else if (route === 'token') {
          report('info', 'request_refused', { route, class: 'code_refused', error: outcome.error });
        } else if (outcome.error !== 'invalid_grant') {
          report('warn', 'aries_fault', { route, outcome: 'refused', error: outcome.error });
        }
        break;
      default:
        report('error', 'aries_fault', {
          route,
          outcome: outcome.kind,
          reason: outcome.kind === 'unavailable' ? outcome.reason : outcome.message,
        });
    }
    return outcome;
  }

  /** Keeps the lock while `work` runs (Aries may take long); a lapsed lock is reported, the compare-and-set still guards. */
  async function keepingLock<T>(lock: SessionLock, id: string, work: Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      lock.extend(LOCK_TTL).then(
        (kept) =>
          kept ||
          report('warn', 'store_failed', {
            route: 'refresh',
            session: sessionTag(id),
            reason: 'the refresh lock lapsed',
          }),
        (error: unknown) => report('warn', 'store_failed', { route: 'refresh', reason: messageOf(error) }),
      );
    }, LOCK_EXTEND_EVERY);
    try {
      return await work;
    } finally {
      clearInterval(timer);
    }
  }

  /** The stored token serves as it is: still fresh, and not the one Aries refused. */
  const usable = (session: StoredSession, rejected?: string) => fresh(session) && session.accessToken !== rejected;

  /** One refresh at Aries, by the holder of the session's lock. */
  async function refreshHeld(id: string, lock: SessionLock, rejected?: string): Promise<Refreshed> {
    // Read again under the lock: another instance may have refreshed or ended it meanwhile.
    const session = await store.get(id);
    if (!session) return { kind: 'ended', reason: 'no session' };
    if (usable(session, rejected)) return { kind: 'tokens', session };
    const sent = session.refreshToken;
    if (!sent) {
      if (session.expiresAt > Date.now()) return { kind: 'tokens', session };
      await store.delete(id);
      report('info', 'session_ended', { reason: 'no_refresh_token', session: sessionTag(id) });
      return { kind: 'ended', reason: 'the session has no refresh token' };
    }
    const refusal = await quota.admitRefresh();
    if (refusal) {
      report('warn', 'request_refused', { route: 'refresh', class: 'rate_limited', by: refusal.by });
      return { kind: 'refused', refusal };
    }
    const body = { grant_type: 'refresh_token', refresh_token: sent, redirect_uri: session.redirectUri };
    // Past the browser's deadline the call goes on: Aries may rotate the refresh token at any moment until it answers.
    const outcome = await keepingLock(lock, id, callAries('refresh', body, ariesTimeout * REFRESH_PATIENCE));
    if (outcome.kind === 'tokens') {
      const renewed = stored(outcome.tokens, session, session.redirectUri);
      if (await store.update(id, renewed, sent)) return { kind: 'tokens', session: renewed };
      return current(id);
    }
    if (outcome.kind === 'refused' && outcome.error === 'invalid_grant') {
      if (!(await store.delete(id, sent))) return current(id);
      report('info', 'session_ended', { reason: 'invalid_grant', session: sessionTag(id) });
      return { kind: 'ended', reason: 'Aries refused the refresh (invalid_grant)' };
    }
    return { kind: 'aries', outcome };
  }

  /** The session no longer holds the refresh token this holder sent: ended (a sign-out wins), or refreshed by another. */
  async function current(id: string): Promise<Refreshed> {
    const now = await store.get(id);
    return now ? { kind: 'tokens', session: now } : { kind: 'ended', reason: 'signed out' };
  }

  async function refreshOnce(id: string, rejected?: string): Promise<Refreshed> {
    const giveUpAt = Date.now() + ariesTimeout;
    for (;;) {
      const session = await store.get(id);
      if (!session) return { kind: 'ended', reason: 'no session' };
      if (usable(session, rejected)) return { kind: 'tokens', session };
      const lock = await store.lock(id, LOCK_TTL);
      if (lock) {
        try {
          return await refreshHeld(id, lock, rejected);
        } finally {
          await lock
            .release()
            .catch((error: unknown) => report('warn', 'store_failed', { route: 'refresh', reason: messageOf(error) }));
        }
      }
      // Another instance is refreshing: its result is read from the store once it lets go.
      if (Date.now() > giveUpAt) return { kind: 'busy' };
      await sleep(25);
    }
  }

  /**
   * Joins the session's refresh in this process, or starts one: undefined when it outlasts `ariesTimeout` (it goes on).
   * A sign-out answered while it ran wins, even where the store could not end the session.
   */
  async function settle(id: string, rejected?: string): Promise<Refreshed | undefined> {
    let flight = flights.get(id);
    if (!flight) {
      const started = {
        signedOut: false,
        done: refreshOnce(id, rejected)
          .catch((error: unknown): Refreshed => {
            report('error', 'store_failed', { route: 'refresh', reason: messageOf(error) });
            return { kind: 'store_failed' };
          })
          .finally(() => flights.delete(id)),
      };
      flights.set(id, started);
      flight = started;
    }
    const result = await race(flight.done, ariesTimeout, () => undefined);
    return flight.signedOut ? { kind: 'ended', reason: 'signed out' } : result;
  }

  return {
    async token({ code, redirectUri, codeVerifier, client }, oldId, cookie) {
      const refusal = await quota.admitSignIn(client);
      if (refusal) {
        report('warn', 'request_refused', { route: 'token', class: 'rate_limited', by: refusal.by });
        const why = refusal.by === 'client' ? 'too many sign-ins from this client' : 'too many sign-ins right now';
        return rateLimited(refusal.retryAt, why);
      }
      const body = { grant_type: 'code', code, redirect_uri: redirectUri, code_verifier: codeVerifier };
      const outcome = await callAries('token', body, ariesTimeout);
      if (outcome.kind === 'refused') {
        // The sign-in failed as Aries says (an expired or reused code): the element shows Aries' code.
        return problem(outcome.status === 401 ? 401 : 400, outcome.error, 'Aries refused the code');
      }
      if (outcome.kind !== 'tokens') return failure(outcome);
      const id = randomBytes(32).toString('base64url');
      const session = stored(outcome.tokens, undefined, redirectUri);
      await store.create(id, session);
      if (oldId) {
        // The browser's previous session is replaced; if it cannot be ended now, its idle timeout ends it.
        await store.delete(oldId).then(
          () => report('info', 'session_ended', { reason: 'replaced', session: sessionTag(oldId) }),
          (error: unknown) => report('error', 'store_failed', { route: 'token', reason: messageOf(error) }),
        );
      }
      return answer(200, forBrowser(session, store.lifetime), { 'Set-Cookie': cookie.set(id) });
    },

    async refresh(id, cookie) {
      // No cookie: nobody is signed in in this browser. Not an error (a page load asks this way), so 204, not 401.
      if (!id) return answer(204);
      const result = await settle(id);
      if (!result) return problem(502, 'server_error', 'Aries has not answered yet; the refresh goes on');
      return respond(result, cookie, store.lifetime);
    },

    async renew(id, cookie, rejected) {
      let result = await settle(id, rejected);
      // A flight already under way when Aries refused the token may have found it fresh: one more, told of the refusal.
      if (result?.kind === 'tokens' && rejected && result.session.accessToken === rejected) {
        result = await settle(id, rejected);
      }
      if (!result) return problem(502, 'server_error', 'Aries has not answered yet; the refresh goes on');
      return result.kind === 'tokens' ? result.session : respond(result, cookie);
    },

    async logout(id, cookie) {
      // The cookie is cleared whatever the store does: on a shared computer, the next person must not be signed in.
      const cleared = { 'Set-Cookie': cookie.cleared };
      if (id) {
        const flight = flights.get(id);
        if (flight) flight.signedOut = true;
        try {
          await store.delete(id);
        } catch (error) {
          report('error', 'store_failed', { route: 'logout', session: sessionTag(id), reason: messageOf(error) });
          return problem(500, 'server_error', 'the session could not be ended at the backend', cleared);
        }
        report('info', 'session_ended', { reason: 'logout', session: sessionTag(id) });
      }
      return answer(204, undefined, cleared);
    },
  };
}
