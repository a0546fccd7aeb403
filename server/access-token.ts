/** A session's access token for a call to Aries' API (the proxy's, or the app's own server code): as stored while it has time left, else refreshed first through the sessions' one refresh. */
import type { Report } from './log.js';
import type { SessionCookie } from './http.js';
import type { SessionRoutes } from './sessions.js';
import type { SessionStore, StoredSession } from './store.js';

/** Under a minute left, or under a quarter of its life (short-lived tokens): refreshed before it is sent to Aries. */
export const nearExpiry = (session: StoredSession, now = Date.now()) =>
  session.expiresAt - now < Math.min(60_000, (session.expiresIn * 1000) / 4);

/** `getAccessToken` could not get a usable token now, although the session may still live: Aries or the store failed. */
export class AriesSessionError extends Error {
  override name = 'AriesSessionError';

  constructor(
    /** `rate_limited`: Aries' quota (or its 429) holds refreshes until `retryAt`; `server_error`: Aries or the store failed. */
    readonly code: 'rate_limited' | 'server_error',
    /** The status `/refresh` answers in this case (429, 500, 502), for an app that passes it on. */
    readonly status: number,
    message: string,
    /** With `rate_limited`: epoch ms. */
    readonly retryAt?: number,
  ) {
    super(message);
  }
}

/**
 * The access token of session `id`, refreshed first when near expiry: undefined when there is no such session (signed
 * out, ended, or Aries refused its refresh token). Throws AriesSessionError when the token cannot be had now.
 */
export async function accessTokenOf(
  { store, sessions, report }: { store: SessionStore; sessions: SessionRoutes; report: Report },
  id: string,
  cookie: SessionCookie,
): Promise<string | undefined> {
  let found: StoredSession | Response | undefined;
  try {
    found = await store.get(id);
    if (found && nearExpiry(found)) found = await sessions.renew(id, cookie);
  } catch (error) {
    report('error', 'store_failed', { route: 'getAccessToken', reason: (error as Error)?.message ?? String(error) });
    throw new AriesSessionError('server_error', 500, 'the session store failed');
  }
  if (found === undefined) return undefined;
  if (!(found instanceof Response)) return found.accessToken;
  if (found.status === 401) return undefined;
  const { error_description: description } = (await found.json()) as { error_description: string };
  if (found.status !== 429) throw new AriesSessionError('server_error', found.status, description);
  const seconds = Number(found.headers.get('X-RateLimit-Reset'));
  throw new AriesSessionError('rate_limited', 429, description, Date.now() + seconds * 1000);
}
