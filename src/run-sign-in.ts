/** The sign-in a click started, in the mode it took: in the window the click opened, or by sending the tab to Aries. */
import type { PreparedSignIn } from './authorize-url.js';
import { badPort } from './bad-ports.js';
import { invalid, type SignInConfig } from './config.js';
import type { AppWindow } from './popup-channel.js';
import { runPopupSignIn } from './popup-sign-in.js';
import { startRedirectSignIn } from './redirect-sign-in.js';
import type { SignedInSession } from './token-client.js';

/** What a running sign-in shows: `exchanging` once Aries answered, `gone` when its window went away unseen. */
export type SignInStep = 'exchanging' | 'gone';

export interface SignInOptions {
  /** The Aries window the click opened; none (undefined or null) sends the whole tab to Aries. */
  popup?: Window | null;
  /** The sign-in made ready before the click, if there is one. */
  prepared?: PreparedSignIn;
  /** Ms the user has in the Aries window. */
  popupTimeout: number;
  /** Ms before an unanswered token request ends in `network_error`. */
  requestTimeout: number;
  signal: AbortSignal;
  /** Called as the sign-in moves on (see `SignInStep`). */
  onStep: (step: SignInStep) => void;
}

/**
 * Resolves with the tokens of a popup sign-in; with nothing once the tab is on its way to Aries (redirect mode, or a
 * blocked popup in `auto`), whose callback page finishes the sign-in.
 */
export async function runSignIn(
  win: AppWindow,
  config: SignInConfig,
  options: SignInOptions,
): Promise<SignedInSession | void> {
  const { popup, prepared, signal, onStep } = options;
  // On a port browsers refuse, Aries' page never shows (an error page in the window, or an exception in Firefox).
  const port = badPort(config.authorizeUrl);
  if (port) throw invalid('authorize-url', 'port', undefined, port);
  return popup
    ? runPopupSignIn(
        // Called on the window, and looked up at each request: a page may wrap `fetch` at any time.
        { window: win, crypto: win.crypto, fetch: (...args) => win.fetch(...args) },
        popup,
        config,
        {
          popupTimeout: options.popupTimeout,
          requestTimeout: options.requestTimeout,
          signal,
          onCallback: () => onStep('exchanging'),
          onGone: () => onStep('gone'),
        },
        prepared,
      )
    : startRedirectSignIn(win, win.crypto, config, signal, prepared);
}
