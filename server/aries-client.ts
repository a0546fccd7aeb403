/** The backend's one call to Aries' token endpoint: with the secret, a timeout, never following a redirect; every answer sorted into an outcome. */
import { readTokenResponse, type TokenResponse } from '../src/token-response.js';

export type AriesOutcome =
  | { kind: 'tokens'; tokens: TokenResponse }
  /** Aries refused the grant with an OAuth error (`invalid_grant`, `invalid_client`, …). */
  | { kind: 'refused'; status: number; error: string }
  /** Aries' 429, with its `X-RateLimit-Reset` as it came. */
  | { kind: 'rate_limited'; reset: string | null }
  /** A 200 that is not a token response: nothing may be created from it. */
  | { kind: 'invalid_response'; message: string }
  /** 5xx, a redirect, a network error or a timeout: nothing is known about the grant. */
  | { kind: 'unavailable'; reason: string };

export interface AriesClient {
  token(body: Record<string, string>): Promise<AriesOutcome>;
}

/** OAuth error codes are short ASCII words; anything else is not passed on. */
const ERROR_CODE = /^[a-z_]{1,64}$/;

export function ariesClient({
  tokenUrl,
  clientId,
  clientSecret,
  timeout,
  fetch: fetchFn,
}: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeout: number;
  fetch: typeof fetch;
}): AriesClient {
  return {
    async token(body) {
      let response: Response;
      let json: unknown;
      try {
        response = await fetchFn(tokenUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, ...body }),
          // A redirect would resend the secret to wherever it points.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeout),
        });
        json = await response.json().catch(() => undefined);
      } catch (error) {
        const name = (error as Error)?.name;
        return { kind: 'unavailable', reason: name === 'TimeoutError' ? `no answer in ${timeout} ms` : 'unreachable' };
      }
      const { status } = response;
      if (status === 200) {
        const read = readTokenResponse(json);
        return read.ok ? { kind: 'tokens', tokens: read.tokens } : { kind: 'invalid_response', message: read.message };
      }
      if (status === 429) return { kind: 'rate_limited', reset: response.headers.get('X-RateLimit-Reset') };
      const error = (json as { error?: unknown } | undefined)?.error;
      if (status >= 400 && status < 500 && typeof error === 'string' && ERROR_CODE.test(error)) {
        return { kind: 'refused', status, error };
      }
      return { kind: 'unavailable', reason: `status ${status}` };
    },
  };
}
