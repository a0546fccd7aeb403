/** How long a transaction lives, and this tab's pending redirect sign-ins: their transactions in session storage, each taken at most once by its callback. */
import { AriesLoginError } from './errors.js';
import type { Transaction } from './transaction.js';

/** An authorize step older than this is refused: Aries' codes are short-lived and a user does not take longer. */
export const TRANSACTION_LIFETIME = 10 * 60_000;

export function assertFresh(transaction: Transaction, now: number): void {
  if (now - transaction.createdAt > TRANSACTION_LIFETIME) throw new AriesLoginError('expired_transaction');
}

const PREFIX = 'aries-login:';

/** This tab's session storage, or `storage_unavailable`: a transaction is never moved to a longer-lived store. */
export function openSessionStorage(win: Window): Storage {
  try {
    const storage = win.sessionStorage;
    storage.setItem(PREFIX, '');
    storage.removeItem(PREFIX);
    return storage;
  } catch {
    throw new AriesLoginError('storage_unavailable');
  }
}

export const saveTransaction = (storage: Storage, transaction: Transaction): void =>
  storage.setItem(PREFIX + transaction.state, JSON.stringify(transaction));

/** The stored transactions, keyed by storage key (unreadable entries read as undefined). */
const storedTransactions = (storage: Storage) =>
  Object.keys(storage)
    .filter((key) => key.startsWith(PREFIX))
    .map((key): [string, Transaction | undefined] => {
      try {
        return [key, JSON.parse(storage.getItem(key)!) as Transaction];
      } catch {
        return [key, undefined];
      }
    });

/**
 * Takes the transaction for `state` out of storage, synchronously, so that any second handler finds nothing;
 * sweeps expired and unreadable ones. An expired transaction for `state` itself is returned (and refused later).
 */
export function takeTransaction(storage: Storage, state: string, now: number): Transaction | undefined {
  let taken: Transaction | undefined;
  for (const [key, transaction] of storedTransactions(storage)) {
    if (key === PREFIX + state) taken = transaction;
    if (key === PREFIX + state || !transaction || now - transaction.createdAt > TRANSACTION_LIFETIME)
      storage.removeItem(key);
  }
  return taken;
}

/** Whether a sign-in started in this tab is still waiting for its callback. */
export const hasTransactions = (storage: Storage): boolean => storedTransactions(storage).length > 0;
