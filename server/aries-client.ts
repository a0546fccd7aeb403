/** The backend's one call to Aries' token endpoint: with the secret, a deadline, never following a redirect, the answer read with a size cap; every answer sorted into an outcome. */
import { readRateLimitReset } from '../src/token-client.js';
import { readTokenResponse, type TokenResponse } from '../src/token-response.js';
import { BodyTooLarge, readText } from './http.js';

export type AriesOutcome =
  | { kind: 'tokens'; tokens: TokenResponse }
  /** Aries refused the grant with an OAuth error (`invalid_grant`, `invalid_client`, …). */
  | { kind: 'refused'; status: number; error: string }
  /** Aries' 429: no call until `retryAt` (epoch ms, from its `X-RateLimit-Reset`). */
  | { kind: 'rate_limited'; retryAt: number }
  /** A 200 that is not a token response: nothing may be created from it. */
  | { kind: 'invalid_response'; message: string }
  /** 5xx, a redirect, a network error or a timeout: nothing is known about the grant. */
  | { kind: 'unavailable'; reason: string };

export interface AriesClient {
  /** One POST to the token endpoint, given up after `timeout` ms. */
  token(body: Record<string, string>, timeout: number): Promise<AriesOutcome>;
}

/** OAuth error codes are short ASCII words; anything else is not passed on. */
const ERROR_CODE = /^[a-z_]{1,64}$/;
/** A token response is a few hundred bytes (a few KB with JWTs); an answer beyond this is not read further. */
export const ARIES_BODY_LIMIT = 32 * 1024;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function ariesClient({
  tokenUrl,
  clientId,
  clientSecret,
  fetch: fetchFn,
}: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
}): AriesClient {
  return {
    async token(body, timeout) {
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
        // A body that is too large, not UTF-8 or not JSON is no answer; the status still says what happened.
        json = await readText(response, ARIES_BODY_LIMIT).then(parseJson, (error: unknown) => {
          if (error instanceof BodyTooLarge || error instanceof TypeError) return undefined;
          throw error; // the deadline, or the connection lost mid-body
        });
      } catch (error) {
        const name = (error as Error)?.name;
        return { kind: 'unavailable', reason: name === 'TimeoutError' ? `no answer in ${timeout} ms` : 'unreachable' };
      }
      const { status } = response;
      if (status === 200) {
        const read = readTokenResponse(json);
        return read.ok ? { kind: 'tokens', tokens: read.tokens } : { kind: 'invalid_response', message: read.message };
      }
      if (status === 429) {
        return {
          kind: 'rate_limited',
          retryAt: readRateLimitReset(response.headers.get('X-RateLimit-Reset'), Date.now()),
        };
      }
      const error = (json as { error?: unknown } | undefined)?.error;
      if (status >= 400 && status < 500 && typeof error === 'string' && ERROR_CODE.test(error)) {
        return { kind: 'refused', status, error };
      }
      return { kind: 'unavailable', reason: `status ${status}` };
    },
  };
}
