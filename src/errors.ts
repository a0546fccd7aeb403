/** Every way a sign-in can fail, as values with stable codes; their messages are in one table, error-messages.ts. */

/**
 * The stable codes `aries-login-error` carries. error-messages.ts words each one in a table typed by this list, so
 * TypeScript keeps the two equal; this module imports nothing, so the error values depend on no other module.
 */
export type AriesLoginErrorCode =
  | 'invalid_config'
  | 'invalid_scope'
  | 'insufficient_scope'
  | 'insecure_context'
  | 'storage_unavailable'
  | 'popup_blocked'
  | 'popup_closed'
  | 'cancelled'
  | 'popup_unreachable'
  | 'popup_timeout'
  | 'state_mismatch'
  | 'missing_transaction'
  | 'expired_transaction'
  | 'access_denied'
  | 'invalid_grant'
  | 'invalid_client'
  | 'redirect_uri_mismatch'
  | 'rate_limited'
  | 'server_error'
  | 'network_error'
  | 'invalid_request'
  | 'invalid_response'
  | 'session_expired'
  | 'login_required'
  | 'token_held_by_backend'
  | 'logout_failed'
  | 'load_failed'
  | 'unknown_error';

/** The rules a configuration can break (config.ts checks them); error-messages.ts words each one. */
export type ConfigProblem =
  'required' | 'absolute' | 'https' | 'fragment' | 'secret' | 'origin' | 'unknown' | 'empty' | 'port';

/** What `aries-login-error` carries in `detail`. */
export interface AriesLoginErrorDetail {
  /** A stable code from the table above, or an OAuth `error` code Aries sent. */
  code: AriesLoginErrorCode | (string & {});
  message: string;
  /** Aries' `error_description`, when it sent one. */
  description?: string;
  /** The HTTP status of a failed token request. */
  status?: number;
  /** With `rate_limited`: when a new attempt may start (epoch ms). */
  retryAt?: number;
  /** With `invalid_config` and `invalid_scope`: the attribute (or property) at fault. */
  attribute?: string;
}

/** What an error carries besides its code: the detail's fields, and for a configuration mistake the rule it broke. */
export type AriesLoginErrorExtra = Omit<AriesLoginErrorDetail, 'code' | 'message'> & {
  problem?: ConfigProblem;
  /** The offending value, where the message names it (unknown scopes, a port browsers refuse). */
  value?: string;
};

export class AriesLoginError extends Error implements AriesLoginErrorDetail {
  description?: string;
  status?: number;
  retryAt?: number;
  attribute?: string;
  problem?: ConfigProblem;
  value?: string;

  constructor(
    readonly code: AriesLoginErrorDetail['code'],
    message?: string,
    extra?: AriesLoginErrorExtra,
  ) {
    // Most errors get their message when reported (`describeError`): the table travels with the flow, not the button.
    super(message);
    Object.assign(this, extra);
  }
}
