/** The popup sign-in, from click to tokens: transaction, popup, authorize URL, callback, check, code exchange. */
import { buildAuthorizeUrl } from './authorize-url.js';
import { redeemCallback } from './callback.js';
import type { SignInConfig } from './config.js';
import { createCodeChallenge } from './pkce.js';
import { openPopup, type PopupSize } from './popup.js';
import { waitForCallback, type AppWindow } from './popup-channel.js';
import type { AriesTokens } from './token-client.js';
import { createTransaction } from './transaction.js';

export interface SignInDeps {
  window: AppWindow;
  crypto: Crypto;
  fetch: typeof fetch;
}

export interface PopupSignInOptions extends PopupSize {
  /** Ms the user has in the Aries window. */
  popupTimeout: number;
  /** Ms before an unanswered token request ends in `network_error`. */
  requestTimeout: number;
  signal: AbortSignal;
}

export interface PopupSignIn {
  popup: Window;
  tokens: Promise<AriesTokens>;
}

/** Synchronous up to `window.open` (it must run in the click's task); the rest is in `tokens`. */
export function startPopupSignIn(deps: SignInDeps, config: SignInConfig, options: PopupSignInOptions): PopupSignIn {
  const { window: win, crypto } = deps;
  const transaction = createTransaction(crypto, config, Date.now());
  const popup = openPopup(win, `aries-login-${transaction.state.slice(0, 8)}`, options);
  const tokens = (async () => {
    try {
      const codeChallenge = await createCodeChallenge(crypto, transaction.codeVerifier);
      options.signal.throwIfAborted();
      popup.location.href = buildAuthorizeUrl(config, { state: transaction.state, codeChallenge });
      const callback = await waitForCallback(win, popup, transaction.state, {
        timeout: options.popupTimeout,
        signal: options.signal,
      });
      popup.close();
      return await redeemCallback(deps.fetch, transaction, callback, {
        timeout: options.requestTimeout,
        signal: options.signal,
      });
    } finally {
      popup.close();
    }
  })();
  return { popup, tokens };
}
