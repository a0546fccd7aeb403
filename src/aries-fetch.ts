/** Calls Aries' API through the backend's proxy (`{backendUrl}/api/…`, a backend with `apiProxy`): the session's cookie and the CSRF header go along, the proxy's refusals come back as coded errors. */
import { AriesLoginError } from './errors.js';
import { readRateLimitReset } from './token-client.js';

/**
 * `fetch` for Aries' API when the backend holds the tokens. `path` is Aries' own (`/v1/users/me/accounts?x=1`); the
 * request goes to `{backendUrl}/api{path}` with `credentials: 'include'` and `X-Requested-With: aries-login`, and `init`
 * as given (method, body, `Content-Type`, signal). Resolves with the Response for every other status: Aries' 2xx and
 * 4xx as Aries sent them, the backend's 502 when Aries failed. Rejects with an AriesLoginError:
 * - 401: `session_expired` (the backend has no session for this browser: sign in again);
 * - 403: `insufficient_scope` (the session was not granted a scope the route needs; `description` names it), or the
 *   backend's own code when it refused the request itself (`csrf_check_failed`);
 * - 429: `rate_limited`, with `retryAt` from `X-RateLimit-Reset`;
 * - no answer at all: `network_error` (an aborted `init.signal` rejects with its reason instead).
 */
export async function ariesFetch(
  backendUrl: string,
  path: string,
  init: RequestInit = {},
  fetchFn: typeof fetch = fetch,
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('X-Requested-With', 'aries-login');
  const url = `${backendUrl.replace(/\/+$/, '')}/api${path.startsWith('/') ? '' : '/'}${path}`;
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, headers, credentials: 'include' });
  } catch {
    init.signal?.throwIfAborted();
    throw new AriesLoginError('network_error');
  }
  const { status } = response;
  if (status !== 401 && status !== 403 && status !== 429) return response;
  const json = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const description = text(json?.error_description);
  if (status === 429) {
    const retryAt = readRateLimitReset(response.headers.get('X-RateLimit-Reset'), Date.now());
    // (The table's message is about sign-in attempts.)
    throw new AriesLoginError('rate_limited', 'Too many requests to Aries. Please wait and try again.', {
      status,
      description,
      retryAt,
    });
  }
  const code = status === 401 ? 'session_expired' : (text(json?.error) ?? 'insufficient_scope');
  throw new AriesLoginError(code, undefined, { status, description });
}
