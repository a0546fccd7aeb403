/** Redeems a checked callback: the one path from Aries' answer to tokens, for the popup and the redirect alike. */
import { checkCallback, type CallbackParams } from './callback-params.js';
import { exchangeCode, type AriesTokens, type RequestOptions } from './token-client.js';
import type { Transaction } from './transaction.js';

// Parsing and checking live apart, so that a popup's callback page relays the answer without the token client.
export * from './callback-params.js';

/** The one path from a callback to tokens, for the popup and the redirect alike: check, then one code exchange. */
export const redeemCallback = (
  fetchFn: typeof fetch,
  transaction: Transaction,
  callback: CallbackParams,
  options: RequestOptions,
): Promise<AriesTokens> =>
  exchangeCode(fetchFn, transaction, checkCallback(transaction, callback, Date.now()), options);
