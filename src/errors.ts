/** Every way a sign-in can fail, as values with stable codes; their messages are in one table, error-messages.ts. */
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
}

export class AriesLoginError extends Error implements AriesLoginErrorDetail {
  description?: string;
  status?: number;
  retryAt?: number;

  constructor(
    readonly code: AriesLoginErrorDetail['code'],
    message?: string,
    extra?: Omit<AriesLoginErrorDetail, 'code' | 'message'>,
  ) {
    // Most errors get their message when reported (`describeError`): the table travels with the flow, not the button.
    super(message);
    Object.assign(this, extra);
  }
}

/** Any thrown value as an AriesLoginError, so nothing fails without a code. */
export const toAriesLoginError = (error: unknown): AriesLoginError =>
  error instanceof AriesLoginError ? error : new AriesLoginError('unknown_error');
