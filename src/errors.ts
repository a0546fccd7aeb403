/** Every way a sign-in can fail, as values with stable codes; their messages are in one table, error-messages.ts. */
import type { ConfigProblem } from './config.js';
import type { errorMessages } from './error-messages.js';

export type AriesLoginErrorCode = keyof typeof errorMessages;

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
  /** The offending value, where the message names it (unknown scopes). */
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
