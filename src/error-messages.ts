/** The one table of error codes and their English messages; it travels with the flow, which raises nearly all of them. */
import { AriesLoginError, type AriesLoginErrorCode, type AriesLoginErrorDetail, type ConfigProblem } from './errors.js';

/** The codes `aries-login-error` carries. Aries' own OAuth `error` codes pass through as well. */
export const errorMessages: Readonly<Record<AriesLoginErrorCode, string>> = {
  invalid_config: 'Sign-in is not set up correctly.',
  invalid_scope: 'The app asked Aries for a permission that does not exist.',
  insufficient_scope: 'You did not allow that at Aries.',
  insecure_context: 'Sign-in needs a secure (HTTPS) page.',
  storage_unavailable: 'Sign-in needs session storage, which this browser blocks.',
  popup_blocked: 'The sign-in window was blocked. Allow pop-ups for this site and try again.',
  popup_closed: 'The sign-in window was closed before sign-in finished.',
  cancelled: 'Sign-in was cancelled.',
  popup_unreachable:
    'The Aries window cannot report back to this embedded page. Open the page in its own tab to sign in.',
  popup_timeout: 'Sign-in took too long, so the sign-in window was closed. Please try again.',
  state_mismatch: 'This sign-in response does not belong to a sign-in started here.',
  missing_transaction: 'No sign-in was started in this tab, or it has already finished.',
  expired_transaction: 'The sign-in expired. Please try again.',
  access_denied: 'Sign-in was cancelled at Aries.',
  invalid_grant: 'The sign-in code expired or was already used. Please try again.',
  invalid_client: 'Aries does not recognise this app.',
  redirect_uri_mismatch: 'The return address of this app is not registered with Aries.',
  rate_limited: 'Too many sign-in attempts. Please wait and try again.',
  server_error: 'Aries is not available right now. Please try again later.',
  network_error: 'Aries could not be reached. Check your connection and try again.',
  invalid_request: 'The sign-in request, or Aries’ answer to it, was malformed. Please try again.',
  invalid_response: 'Aries sent a response that could not be read.',
  session_expired: 'Your session has ended. Please sign in again.',
  login_required: 'You are not signed in, or your sign-in has ended. Please sign in.',
  token_held_by_backend: 'The app’s server keeps this sign-in’s token: requests to Aries go through it.',
  logout_failed: 'Signed out here, but the server could not confirm it. Please try again.',
  load_failed: 'Sign-in could not load. Check your connection and try again.',
  unknown_error: 'Sign-in failed. Please try again.',
};

/** Any thrown value as an AriesLoginError, so nothing fails without a code. */
export const toAriesLoginError = (error: unknown): AriesLoginError =>
  error instanceof AriesLoginError ? error : new AriesLoginError('unknown_error');

export type ConfigMessages = Record<ConfigProblem, (a: string, v?: string) => string>;

/**
 * The English for each configuration rule, naming the attribute at fault (`a`) and the value (`v`) where it helps. The
 * element's flow passes it to describeError; a callback page, where no configuration is checked, leaves it out.
 */
export const configMessages: ConfigMessages = {
  // One rule: each says what the attribute must be, then why if that is not obvious.
  required: (a) => `\`${a}\` must be set.`,
  absolute: (a) => `\`${a}\` must be an absolute URL.`,
  https: (a) => `\`${a}\` must be an https: URL (http: only on localhost).`,
  fragment: (a) => `\`${a}\` must be a URL without a #fragment.`,
  origin: (a) => `\`${a}\` must be a URL on this page’s origin.`,
  secret: (a) => `\`${a}\` must not carry a client secret: it would reach the browser; keep it on your backend.`,
  unknown: (a, v) => `\`${a}\` must name Aries scopes: there is no "${v}" (names are case-sensitive).`,
  empty: (a) => `\`${a}\` must name at least one scope.`,
  port: (a, v) => `\`${a}\` must use another port: browsers refuse to open port ${v}.`,
};

/** Tables of wording keyed by error code (the host's `strings`, a language's file), searched in order. */
export type Translations = (Partial<Record<string, string>> | undefined)[];

/**
 * `table[key]` when `table` has it as its own property, else undefined. Error codes come over the wire: `constructor`
 * or `__proto__` is data, never a lookup through the prototype.
 */
export const own = (table: object | undefined, key: string): string | undefined => {
  const value = table && Object.hasOwn(table, key) ? (table as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
};

/**
 * What `aries-login-error` reports: the wording of the first of `translations` that has one for the code; else the
 * error's own message, else the configuration rule's (naming the attribute) when `rules` words it, else the table's.
 * An unknown code (any code Aries sends) keeps its code and gets the generic message.
 */
export function describeError(
  error: unknown,
  rules?: ConfigMessages,
  translations: Translations = [],
): AriesLoginErrorDetail {
  const { code, message, description, status, retryAt, attribute, problem, value } = toAriesLoginError(error);
  return {
    code,
    message:
      translations.map((table) => own(table, code)).find(Boolean) ||
      message ||
      (problem && rules?.[problem](attribute!, value)) ||
      (own(errorMessages, code) ?? errorMessages.unknown_error),
    description,
    status,
    retryAt,
    attribute,
  };
}
