/** Reads who signed in from Aries' profile API, for the signed-in state's "Signed in as …". */
import type { AriesTokens } from './token-client.js';

/** Aries' API lives beside its token endpoint: `https://api.aries.com/v1/users/me/profile`. */
export const profileUrl = (tokenUrl: string): string => new URL('/v1/users/me/profile', tokenUrl).href;

/**
 * The user's display name, or undefined when the tokens lack `user:information` or the API does not answer with one:
 * the name is a courtesy, and the sign-in has succeeded either way.
 */
export async function fetchUserName(
  fetchFn: typeof fetch,
  tokenUrl: string,
  { accessToken, tokenType, scope }: AriesTokens,
): Promise<string | undefined> {
  // No `scope` in the token response means all that was asked for was granted (RFC 6749, section 5.1).
  if (scope && !scope.split(' ').includes('user:information')) return;
  try {
    const response = await fetchFn(profileUrl(tokenUrl), {
      headers: { Authorization: `${tokenType} ${accessToken}`, Accept: 'application/json' },
      credentials: 'omit',
    });
    const { name } = (await response.json()) as { name?: unknown };
    return response.ok && typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}
