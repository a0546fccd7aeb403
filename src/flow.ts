/** Everything after the click, in one file the element fetches on intent (pointer, focus, touch): a page pays up front only for the button. */
import { html, nothing } from 'lit';
import type { AriesLoginElement, PendingSignIn } from './aries-login-element.js';
import { prepareSignIn as prepare, type PreparedSignIn } from './authorize-url.js';
import type { SignInConfig } from './config.js';
import { configMessages, describeError as describe, type Translations } from './error-messages.js';
import { runPopupSignIn } from './popup-sign-in.js';
import { startRedirectSignIn } from './redirect-sign-in.js';
import { fill, type AriesLoginStrings } from './strings.js';
import type { AriesTokens } from './token-client.js';

/** A redirect sign-in's token exchange, for the element's callback path (which relays a popup's answer without it). */
export { redeemCallback } from './callback.js';
// The flow shares the callback path's modules (the popup channel, the transaction store): exported from here, that
// path is one file that the flow imports, rather than two that a popup's callback page would fetch one after the other;
// and the element falls back to it here when the relay file alone could not be fetched.
export { completeCallback } from './complete-callback.js';
export { SignedIn } from './signed-in.js';

/**
 * What `aries-login-error` reports for `error`, a configuration mistake worded with the attribute at fault, in the
 * wording of `translations` (the host's `strings`, then the language's) where they have one for its code.
 */
export const describeError = (error: unknown, translations?: Translations) =>
  describe(error, configMessages, translations);

/**
 * What the element shows in place of its button while signed in: "Signed in with Aries" (or "Signed in as …", with
 * `show-user`) and, with `sign-out`, the sign-out button. Here rather than in the element's file, because only a
 * sign-in, which needs this file, can bring it on screen.
 */
export const renderStatus = (
  element: AriesLoginElement,
  user: string | undefined,
  mark: unknown,
  t: (key: keyof AriesLoginStrings) => string,
) =>
  html`<span part="status" role="status">${mark}${user ? fill(t('signedInAs'), { name: user }) : t('signedIn')}</span>${
      element.signOutControl
        ? html`<button part="sign-out" @click=${() => element.signOut()}>${t('signOut')}</button>`
        : nothing
    }`;

/**
 * The next sign-in of each element, made ready before the click so that the click itself has nothing to wait for:
 * in this module's memory only (a page reload forgets it), for the configuration it was made with, used at most once.
 */
const ready = new WeakMap<AriesLoginElement, { key: string; prepared: PreparedSignIn }>();

/** Opens the connection to `url`'s origin ahead of use (DNS, TCP, TLS), once per origin, unless it is the page's own. */
export function preconnect(doc: Document, url: string, credentials: boolean): void {
  const { origin } = new URL(url, doc.baseURI);
  if (origin === location.origin || doc.head.querySelector(`link[rel=preconnect][href="${origin}"]`)) return;
  const link = doc.createElement('link');
  link.rel = 'preconnect';
  link.href = origin;
  // A connection is only reused by requests of the same credentials mode: the backend's carry cookies, Aries' none.
  link.crossOrigin = credentials ? 'use-credentials' : 'anonymous';
  doc.head.append(link);
}

/**
 * On intent: prepares `element`'s next sign-in (`state`, PKCE, authorize URL) and warms the connection its code exchange
 * will use, Aries' token endpoint or the app's backend.
 */
export function prepareSignIn(element: AriesLoginElement, config: SignInConfig): void {
  preconnect(document, config.backendUrl ?? config.tokenUrl, !!config.backendUrl);
  const key = JSON.stringify(config);
  if (ready.get(element)?.key === key) return;
  void prepare(crypto, config, Date.now()).then((prepared) => ready.set(element, { key, prepared }));
}

/**
 * In the click: takes `element`'s prepared sign-in if it was made for this very configuration (else undefined: the
 * sign-in is prepared after the click), and prepares the next one, so that none is ever used twice.
 */
export function takePrepared(element: AriesLoginElement, config: SignInConfig): PreparedSignIn | undefined {
  const taken = ready.get(element);
  ready.delete(element);
  prepareSignIn(element, config);
  // The transaction's age counts from the click: Aries' codes are short-lived, not a hover's wait.
  return taken?.key === JSON.stringify(config)
    ? { ...taken.prepared, transaction: { ...taken.prepared.transaction, createdAt: Date.now() } }
    : undefined;
}

/**
 * The sign-in the element started on click: in `pending.popup`, the window it opened, or without one (redirect mode,
 * or a blocked popup in `auto`) by sending the tab to Aries. The element shows `pending.step` as it changes.
 */
export function runSignIn(
  element: AriesLoginElement,
  pending: PendingSignIn,
  config: SignInConfig,
  prepared?: PreparedSignIn,
): Promise<AriesTokens | void> {
  const { popup, abort } = pending;
  const step = (name: PendingSignIn['step']) => () => {
    pending.step = name;
    element.requestUpdate();
  };
  return popup
    ? runPopupSignIn(
        { window, crypto, fetch: (...args) => fetch(...args) },
        popup,
        config,
        {
          popupTimeout: element.popupTimeout * 1000,
          requestTimeout: element.requestTimeout * 1000,
          signal: abort.signal,
          onCallback: step('exchanging'),
          onGone: step('gone'),
        },
        prepared,
      )
    : startRedirectSignIn(window, crypto, config, abort.signal, prepared);
}
