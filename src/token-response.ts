/** Reads a token endpoint's JSON answer as RFC 6749 §5.1 says, for the element and the server entry alike, and a backend's answer when it keeps the tokens: nothing is trusted. */

/** A token response that passed every check. */
export interface TokenResponse {
  accessToken: string;
  /** Always `Bearer` (Aries' only type, matched case-insensitively): it is sent back as `Authorization: Bearer …`. */
  tokenType: 'Bearer';
  /** Seconds: a positive integer, or Aries' documented 3600 when the answer has none. */
  expiresIn: number;
  refreshToken?: string;
  /** What was granted, when the answer says (RFC 6749 §5.1: absent means what was asked). */
  scope?: string;
}

/** An answer that failed a check: the field at fault, and an English sentence naming it. */
export type Unreadable = { ok: false; field: string; message: string };

/** The checked response, or what is wrong with it. */
export type TokenResponseResult = { ok: true; tokens: TokenResponse } | Unreadable;

/** Aries' documented lifetime, used only when `expires_in` is absent. */
export const DEFAULT_EXPIRES_IN = 3600;

/** RFC 6749 appendix A: tokens are 1*VSCHAR (printable ASCII); anything else could not travel in a header anyway. */
const VSCHARS = /^[\x20-\x7e]+$/;
/** Scope tokens (NQCHAR, appendix A.4) separated by single spaces; empty is allowed (nothing granted to name). */
const SCOPE = /^([\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*)?$/;

const fail = (field: string, rule: string, who = 'Aries sent a token response'): Unreadable => ({
  ok: false,
  field,
  message: `${who} that could not be read: \`${field}\` ${rule}.`,
});

const isObject = (json: unknown): json is object => typeof json === 'object' && json !== null && !Array.isArray(json);

/** A positive whole number of seconds (a lifetime), or undefined. */
const seconds = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;

/** Own properties only: a wire object's `__proto__` or `constructor` is data, never a lookup through the prototype. */
const field = (json: object, name: string): unknown =>
  Object.prototype.hasOwnProperty.call(json, name) ? (json as Record<string, unknown>)[name] : undefined;

/** Checks a 200 answer of the token endpoint (already parsed JSON, or anything else that came instead). Never throws. */
export function readTokenResponse(json: unknown): TokenResponseResult {
  if (!isObject(json)) return fail('access_token', 'is missing (the answer is not a JSON object)');
  const accessToken = field(json, 'access_token');
  if (typeof accessToken !== 'string' || !VSCHARS.test(accessToken)) {
    return fail('access_token', 'must be a non-empty string of printable characters');
  }
  const tokenType = field(json, 'token_type');
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    return fail('token_type', 'must be "Bearer"');
  }
  const sentExpiresIn = field(json, 'expires_in');
  const expiresIn = sentExpiresIn === undefined ? DEFAULT_EXPIRES_IN : seconds(sentExpiresIn);
  if (expiresIn === undefined) return fail('expires_in', 'must be a positive whole number of seconds');
  const refreshToken = field(json, 'refresh_token');
  if (refreshToken !== undefined && (typeof refreshToken !== 'string' || !VSCHARS.test(refreshToken))) {
    return fail('refresh_token', 'must be a non-empty string of printable characters');
  }
  const scope = field(json, 'scope');
  if (scope !== undefined && (typeof scope !== 'string' || !SCOPE.test(scope))) {
    return fail('scope', 'must be a space-separated list of scopes');
  }
  return {
    ok: true,
    tokens: {
      accessToken,
      tokenType: 'Bearer',
      expiresIn,
      ...(refreshToken === undefined ? {} : { refreshToken }),
      ...(scope === undefined ? {} : { scope }),
    },
  };
}

/** A session whose tokens the backend keeps (`apiProxy`), as its `/token` and `/refresh` answers describe it. */
export interface BackendSessionResponse {
  tokenHeldBy: 'backend';
  /** Seconds the session's access token (at the backend) lasts. */
  expiresIn: number;
  /** What was granted, when the answer says. */
  scope?: string;
}

export type BackendSessionResult = { ok: true; tokens: BackendSessionResponse } | Unreadable;

/**
 * Checks a backend's 200 answer that says it holds the tokens itself: `{ expires_in, scope, token_held_by: "backend" }`.
 * Read only from the app's backend, never from Aries. Strict: `token_held_by` must be `"backend"`, `expires_in` a
 * positive whole number, and a token in the same answer (which would contradict it) is refused. Never throws.
 */
export function readBackendSession(json: unknown): BackendSessionResult {
  const who = 'The backend sent a session answer';
  if (!isObject(json) || field(json, 'token_held_by') !== 'backend') {
    return fail('token_held_by', 'must be "backend"', who);
  }
  for (const name of ['access_token', 'refresh_token', 'token_type']) {
    if (field(json, name) !== undefined) return fail(name, 'must be absent when the backend holds the tokens', who);
  }
  const expiresIn = seconds(field(json, 'expires_in'));
  if (expiresIn === undefined) return fail('expires_in', 'must be a positive whole number of seconds', who);
  const scope = field(json, 'scope');
  if (scope !== undefined && (typeof scope !== 'string' || !SCOPE.test(scope))) {
    return fail('scope', 'must be a space-separated list of scopes', who);
  }
  return { ok: true, tokens: { tokenHeldBy: 'backend', expiresIn, ...(scope === undefined ? {} : { scope }) } };
}
