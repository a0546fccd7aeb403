/** Reads a token endpoint's JSON answer as RFC 6749 §5.1 says, for the element and the server entry alike: nothing is trusted. */

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

/** The checked response, or the field at fault and an English sentence naming it. */
export type TokenResponseResult = { ok: true; tokens: TokenResponse } | { ok: false; field: string; message: string };

/** Aries' documented lifetime, used only when `expires_in` is absent. */
export const DEFAULT_EXPIRES_IN = 3600;

/** RFC 6749 appendix A: tokens are 1*VSCHAR (printable ASCII); anything else could not travel in a header anyway. */
const VSCHARS = /^[\x20-\x7e]+$/;
/** Scope tokens (NQCHAR, appendix A.4) separated by single spaces; empty is allowed (nothing granted to name). */
const SCOPE = /^([\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*)?$/;

const fail = (field: string, rule: string): TokenResponseResult => ({
  ok: false,
  field,
  message: `Aries sent a token response that could not be read: \`${field}\` ${rule}.`,
});

/** Own properties only: a wire object's `__proto__` or `constructor` is data, never a lookup through the prototype. */
const field = (json: object, name: string): unknown =>
  Object.prototype.hasOwnProperty.call(json, name) ? (json as Record<string, unknown>)[name] : undefined;

/** Checks a 200 answer of the token endpoint (already parsed JSON, or anything else that came instead). Never throws. */
export function readTokenResponse(json: unknown): TokenResponseResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail('access_token', 'is missing (the answer is not a JSON object)');
  }
  const accessToken = field(json, 'access_token');
  if (typeof accessToken !== 'string' || !VSCHARS.test(accessToken)) {
    return fail('access_token', 'must be a non-empty string of printable characters');
  }
  const tokenType = field(json, 'token_type');
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    return fail('token_type', 'must be "Bearer"');
  }
  const sentExpiresIn = field(json, 'expires_in');
  const expiresIn = sentExpiresIn === undefined ? DEFAULT_EXPIRES_IN : sentExpiresIn;
  if (typeof expiresIn !== 'number' || !Number.isSafeInteger(expiresIn) || expiresIn <= 0) {
    return fail('expires_in', 'must be a positive whole number of seconds');
  }
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
