/** The popup sign-in once its window is open: transaction, authorize URL, callback, check, code exchange. */
import { prepareSignIn, type PreparedSignIn } from './authorize-url.js';
import { redeemCallback } from './redeem-callback.js';
import type { SignInConfig } from './config.js';
import { waitForCallback, type AppWindow } from './popup-channel.js';
import type { SignedInSession } from './token-client.js';

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
  /** Called when the window is gone before Aries' page was ever seen in it (see `waitForCallback`). */
  onGone?: () => void;
}

/**
 * Runs the sign-in in `popup`, the window the element opened in the click's own task (`window.open` after an `await`
 * is blocked). With `prepared`, the sign-in made ready before the click, the window already shows its authorize URL;
 * without it, the window is blank and is sent to Aries once the challenge is hashed. The window is closed however the
 * sign-in ends.
 */
export async function runPopupSignIn(
  deps: SignInDeps,
  popup: Window,
  config: SignInConfig,
  options: PopupSignInOptions,
  prepared?: PreparedSignIn,
): Promise<SignedInSession> {
  const { window: win, crypto } = deps;
  try {
    const { transaction, url } = prepared ?? (await prepareSignIn(crypto, config, Date.now()));
    options.signal.throwIfAborted();
    // The listener is in place before Aries can answer: a prepared window is still loading Aries' page (a network
    // round trip away), and a blank one goes there only below.
    const callback = waitForCallback(win, popup, transaction.state, {
      redirectUri: transaction.redirectUri,
      timeout: options.popupTimeout,
      signal: options.signal,
      onGone: options.onGone,
    });
    // A window closed already (unseen) is left alone: the wait above reports it as gone.
    if (!prepared && !popup.closed) popup.location.href = url;
    const answer = await callback;
    // The token request leaves first: closing the window unloads its page, in this very task.
    const tokens = redeemCallback(deps.fetch, transaction, answer, {
      timeout: options.requestTimeout,
      signal: options.signal,
    });
    popup.close();
    options.onCallback?.();
    return await tokens;
  } finally {
    popup.close();
  }
}
