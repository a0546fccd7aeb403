/** The full-page sign-in: keeps the transaction in this tab's session storage and sends the whole tab to Aries. */
import { buildAuthorizeUrl } from './authorize-url.js';
import type { SignInConfig } from './config.js';
import { createCodeChallenge } from './pkce.js';
import { createTransaction, openSessionStorage, saveTransaction } from './transaction.js';

/** Resolves once the tab is on its way to Aries; the callback page finishes the sign-in. */
export async function startRedirectSignIn(
  win: Window,
  crypto: Crypto,
  config: SignInConfig,
  signal?: AbortSignal,
): Promise<void> {
  const storage = openSessionStorage(win);
  const transaction = createTransaction(crypto, config, Date.now(), win.location.href);
  saveTransaction(storage, transaction);
  const codeChallenge = await createCodeChallenge(crypto, transaction.codeVerifier);
  signal?.throwIfAborted();
  win.location.assign(buildAuthorizeUrl(config, { state: transaction.state, codeChallenge }));
}
