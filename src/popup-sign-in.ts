/** The popup sign-in once its window is open: transaction, authorize URL, callback, check, code exchange. */
import { prepareSignIn, type PreparedSignIn } from './authorize-url.js';
import { redeemCallback } from './redeem-callback.js';
import { invalid, type SignInConfig } from './config.js';
import type { AppWindow } from './popup-channel.js';
import type { SignedInSession } from './token-client.js';
import { waitForCallback } from './wait-for-callback.js';
import { holdWaitingLock } from './waiting-lock.js';

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
 * is blocked). With `prepared`, the sign-in made ready before the click, the window already shows its authorize URL
 * (and the element holds its waiting lock); without it, the window is blank and is sent to Aries once the challenge is
 * hashed, its waiting lock held here first. The window is closed however the sign-in ends.
 */
export async function runPopupSignIn(
  deps: SignInDeps,
  popup: Window,
  config: SignInConfig,
  options: PopupSignInOptions,
  prepared?: PreparedSignIn,
): Promise<SignedInSession> {
  const { window: win, crypto } = deps;
  let ended: (() => void) | undefined;
  try {
    const { transaction, url, lock } = prepared ?? (await prepareSignIn(crypto, config, Date.now()));
    options.signal.throwIfAborted();
    // A callback page relays the answer for as long as this sign-in holds the lock (see `postCallback`).
    if (!prepared) holdWaitingLock(win, lock, new Promise<void>((resolve) => (ended = resolve)));
    // A window closed already (unseen) is left alone: the wait below reports it as gone.
    if (!prepared && !popup.closed) {
      try {
        popup.location.href = url;
      } catch {
        // Firefox throws when it refuses the address (a port it bans that bad-ports.ts does not know).
        throw invalid('authorize-url', 'port', undefined, new URL(url).port);
      }
    }
    // The listener is in place before Aries can answer: in this very task, while the window is still loading Aries'
    // page (a network round trip away).
    const callback = waitForCallback(win, popup, transaction.state, {
      redirectUri: transaction.redirectUri,
      timeout: options.popupTimeout,
      signal: options.signal,
      onGone: options.onGone,
    });
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
    ended?.();
    popup.close();
  }
}
