/** The full-page sign-in: keeps the transaction in this tab's session storage and sends the whole tab to Aries. */
import { prepareSignIn, type PreparedSignIn } from './authorize-url.js';
import type { SignInConfig } from './config.js';
import { openSessionStorage, saveTransaction } from './transaction-store.js';

/**
 * Resolves once the tab is on its way to Aries; the callback page finishes the sign-in. `prepared` is the sign-in made
 * ready before the click (used here once); without it, one is made now.
 */
export async function startRedirectSignIn(
  win: Window,
  crypto: Crypto,
  config: SignInConfig,
  signal?: AbortSignal,
  prepared?: PreparedSignIn,
): Promise<void> {
  const storage = openSessionStorage(win);
  const { transaction, url } = prepared ?? (await prepareSignIn(crypto, config, Date.now()));
  // Abandoned while the sign-in was made: nothing is kept for a callback that will never come.
  signal?.throwIfAborted();
  // The address is read now, at the click: a single-page app may have changed it since the sign-in was prepared.
  saveTransaction(storage, { ...transaction, returnTo: win.location.href });
  win.location.assign(url);
}
