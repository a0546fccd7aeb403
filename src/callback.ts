/** Reads Aries' answer (`code` or `error`, with `state`) from a callback URL, checks it against its transaction and redeems the code. */
import { AriesLoginError } from './errors.js';
import { exchangeCode, type AriesTokens, type RequestOptions } from './token-client.js';
import { assertFresh, type Transaction } from './transaction.js';

export interface CallbackParams {
  state: string | null;
  code?: string;
  error?: string;
  errorDescription?: string;
}

const OAUTH_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri'];

/** The callback in `url`, or null when the URL carries no OAuth answer (then nothing is done). */
export function parseCallback(url: string): CallbackParams | null {
  const params = new URL(url).searchParams;
  const code = params.get('code') ?? undefined;
  const error = params.get('error') ?? undefined;
  if (!code && !error) return null;
  return { state: params.get('state'), code, error, errorDescription: params.get('error_description') ?? undefined };
}

/** `url` without the OAuth parameters; every other parameter and the fragment stay. */
export function stripCallbackParams(url: string): string {
  const clean = new URL(url);
  for (const name of OAUTH_PARAMS) clean.searchParams.delete(name);
  return clean.href;
}

/** The code to exchange, once `state` is the transaction's exactly and Aries reported no error. */
export function checkCallback(transaction: Transaction, callback: CallbackParams, now: number): string {
  if (callback.state !== transaction.state) throw new AriesLoginError('state_mismatch');
  assertFresh(transaction, now);
  if (callback.error) {
    throw new AriesLoginError(callback.error, undefined, { description: callback.errorDescription });
  }
  return callback.code!;
}

/** The one path from a callback to tokens, for the popup and the redirect alike: check, then one code exchange. */
export const redeemCallback = (
  fetchFn: typeof fetch,
  transaction: Transaction,
  callback: CallbackParams,
  options: RequestOptions,
): Promise<AriesTokens> =>
  exchangeCode(fetchFn, transaction, checkCallback(transaction, callback, Date.now()), options);
