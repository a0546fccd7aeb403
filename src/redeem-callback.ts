/** Redeems a checked callback: the one path from Aries' answer to tokens, for the popup and the redirect alike. */
import { checkCallback, type CallbackParams } from './parse-callback.js';
import { exchangeCode, type RequestOptions, type SignedInSession } from './token-client.js';
import type { Transaction } from './transaction.js';

/** Checks `callback` against its transaction, then exchanges its code, once. */
export const redeemCallback = (
  fetchFn: typeof fetch,
  transaction: Transaction,
  callback: CallbackParams,
  options: RequestOptions,
): Promise<SignedInSession> =>
  exchangeCode(fetchFn, transaction, checkCallback(transaction, callback, Date.now()), options);
