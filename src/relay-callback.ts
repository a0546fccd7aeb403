/** On the `redirect-uri` page: takes Aries' answer out of the URL and hands it, exactly once, to the sign-in that waits for it: the popup's opener, or this tab's own (a redirect's, redeemed here). */
import { AriesLoginError } from './errors.js';
import { takeCallback } from './parse-callback.js';
import { postCallback, type AppWindow } from './popup-channel.js';
import type { redeemCallback } from './redeem-callback.js';
import { relayLabels } from './relay-labels.js';
import type { SignedInSession } from './token-client.js';
import { TRANSACTION_LIFETIME, hasTransactions, openSessionStorage, takeTransaction } from './transaction-store.js';

/** A sign-in's tokens (or its backend's session); after a redirect, also `returnTo`: the page where it started. */
export type CompletedSignIn = SignedInSession & {
  /** Redirect mode: the address of the page where the sign-in started. */
  returnTo?: string;
};

/**
 * Finishes the callback found in `win`'s URL, when `win` shows `redirectUri`'s page. Resolves with the tokens of a
 * redirect sign-in started in this tab; with undefined when this is not the callback page or its URL holds no callback
 * (then nothing at all is done), or when the callback was handed to the popup's opener (the popup then closes).
 * Rejects when the callback is malformed or no sign-in here is waiting for it.
 *
 * A popup's answer is relayed for as long as its sign-in waits for it (see `postCallback`), at most for a transaction's
 * lifetime (10 minutes), after which that sign-in would refuse it anyway: `expired_transaction`. Meanwhile, from a
 * second on, `onWaiting` is given the English of "Return to the app…" to show: the page that waits is asleep (on a phone,
 * in the tab the user left) or still loading.
 */
export async function relayCallback(
  win: AppWindow,
  /** The element passes itself: its `redirect-uri`, and its `request-timeout` in seconds. */
  { redirectUri, requestTimeout }: { redirectUri?: string; requestTimeout: number },
  /** Fetches the token exchange, only for a redirect sign-in's callback: a popup's needs none of it. */
  loadRedeem: () => Promise<{ redeemCallback: typeof redeemCallback }>,
  onWaiting?: (english: string) => void,
): Promise<CompletedSignIn | undefined> {
  // Before any await: the code leaves the address bar (and the history), so a reload, a second element or a framework
  // mounting twice finds no callback at all; and the transaction leaves storage, so it can be redeemed once.
  const callback = takeCallback(win, redirectUri);
  if (!callback) return;
  let storage: Storage | undefined;
  try {
    storage = openSessionStorage(win);
  } catch {
    // No session storage: this can only be a popup's callback, which needs none.
  }
  const transaction = storage && callback.state ? takeTransaction(storage, callback.state, Date.now()) : undefined;
  if (transaction) {
    const { redeemCallback: redeem } = await loadRedeem();
    const tokens = await redeem(win.fetch.bind(win), transaction, callback, { timeout: requestTimeout * 1000 });
    return { ...tokens, returnTo: transaction.returnTo };
  }
  const outcome = await postCallback(win, callback, {
    limit: TRANSACTION_LIFETIME,
    onWaiting: () => onWaiting?.(relayLabels.returnToApp),
  });
  if (outcome === 'taken') {
    win.close();
    return;
  }
  // Nobody waits for this answer: forged or replayed if this tab has sign-ins of its own (or no state came), else stray.
  throw new AriesLoginError(
    outcome === 'expired'
      ? 'expired_transaction'
      : !callback.state || (storage && hasTransactions(storage))
        ? 'state_mismatch'
        : 'missing_transaction',
  );
}
