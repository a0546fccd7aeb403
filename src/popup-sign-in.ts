/** The popup sign-in once its window is open: transaction, authorize URL, callback, check, code exchange. */
import { buildAuthorizeUrl } from './authorize-url.js';
import { redeemCallback } from './callback.js';
import type { SignInConfig } from './config.js';
import { createCodeChallenge } from './pkce.js';
import { waitForCallback, type AppWindow } from './popup-channel.js';
import type { AriesTokens } from './token-client.js';
import { createTransaction } from './transaction.js';

export interface SignInDeps {
  window: AppWindow;
  crypto: Crypto;
  fetch: typeof fetch;
}

export interface PopupSignInOptions {
  /** Ms the user has in the Aries window. */
  popupTimeout: number;
  /** Ms before an unanswered token request ends in `network_error`. */
  requestTimeout: number;
  signal: AbortSignal;
  /** Called when Aries answered and the code exchange begins (the window has closed). */
  onCallback?: () => void;
}

/**
 * Runs the sign-in in `popup`, a blank window the element opened in the click's own task (`window.open` after an
 * `await` is blocked). The window is closed however the sign-in ends.
 */
export async function runPopupSignIn(
  deps: SignInDeps,
  popup: Window,
  config: SignInConfig,
  options: PopupSignInOptions,
): Promise<AriesTokens> {
  const { window: win, crypto } = deps;
  try {
    const transaction = createTransaction(crypto, config, Date.now());
    const codeChallenge = await createCodeChallenge(crypto, transaction.codeVerifier);
    options.signal.throwIfAborted();
    // Only now, with the listener about to be in place, may Aries' page load (it can answer at once).
    const callback = waitForCallback(win, popup, transaction.state, {
      timeout: options.popupTimeout,
      signal: options.signal,
    });
    popup.location.href = buildAuthorizeUrl(config, { state: transaction.state, codeChallenge });
    const answer = await callback;
    popup.close();
    options.onCallback?.();
    return await redeemCallback(deps.fetch, transaction, answer, {
      timeout: options.requestTimeout,
      signal: options.signal,
    });
  } finally {
    popup.close();
  }
}
