/** Reads who signed in from Aries' profile API, for the signed-in state's "Signed in as …": with the page's token, or through the backend that keeps it. */
import { ariesFetch } from './aries-fetch.js';
import type { SignedInSession } from './token-client.js';

const PROFILE_PATH = '/v1/users/me/profile';

/**
 * The user's display name, or undefined when the session lacks `user:information` or the API does not answer with one:
 * the name is a courtesy, and the sign-in has succeeded either way. Aries' API lives beside its token endpoint
 * (`https://api.aries.com/v1/users/me/profile`); a backend that keeps the token is asked through its proxy
 * (`{backendUrl}/api/v1/users/me/profile`).
 */
export async function fetchUserName(
  fetchFn: typeof fetch,
  { tokenUrl, backendUrl }: { tokenUrl: string; backendUrl?: string },
  session: SignedInSession,
): Promise<string | undefined> {
  // No `scope` in the token response means all that was asked for was granted (RFC 6749, section 5.1).
  if (session.scope && !session.scope.split(' ').includes('user:information')) return;
  try {
    const accept = { Accept: 'application/json' };
    const response = session.accessToken
      ? await fetchFn(new URL(PROFILE_PATH, tokenUrl).href, {
          headers: { ...accept, Authorization: `${session.tokenType} ${session.accessToken}` },
          credentials: 'omit',
        })
      : await ariesFetch(backendUrl!, PROFILE_PATH, { headers: accept }, fetchFn);
    const { name } = (await response.json()) as { name?: unknown };
    return response.ok && typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}
