/** Everything after the click, in one file the element loads on first use: a page pays up front only for the button. */
import type { AriesLoginElement } from './aries-login-element.js';
import { redeemCallback } from './callback.js';
import { completeCallback as complete } from './complete-callback.js';
import type { SignInConfig } from './config.js';
import { configMessages, describeError as describe, type Translations } from './error-messages.js';
import type { AppWindow } from './popup-channel.js';
import { runPopupSignIn } from './popup-sign-in.js';
import { startRedirectSignIn } from './redirect-sign-in.js';
import type { AriesTokens } from './token-client.js';

/** The callback on the redirect-uri page; the flow has the token exchange at hand already. */
export const completeCallback = (win: AppWindow, redirectUri: string | undefined, requestTimeout: number) =>
  complete(win, redirectUri, requestTimeout, () => Promise.resolve(redeemCallback));
export { SignedIn } from './signed-in.js';

/**
 * What `aries-login-error` reports for `error`, a configuration mistake worded with the attribute at fault, in the
 * wording of `translations` (the host's `strings`, then the language's) where they have one for its code.
 */
export const describeError = (error: unknown, translations?: Translations) =>
  describe(error, configMessages, translations);

/** The sign-in the element started on click: in `popup`, the window it opened, or without one (redirect mode, or a
 * blocked popup in `auto`) by sending the tab to Aries. */
export const runSignIn = (
  element: AriesLoginElement,
  popup: Window | null | undefined,
  config: SignInConfig,
  signal: AbortSignal,
  onCallback: () => void,
): Promise<AriesTokens | void> =>
  popup
    ? runPopupSignIn({ window, crypto, fetch: (...args) => fetch(...args) }, popup, config, {
        popupTimeout: element.popupTimeout * 1000,
        requestTimeout: element.requestTimeout * 1000,
        signal,
        onCallback,
      })
    : startRedirectSignIn(window, crypto, config, signal);
