/** `aries-login/callback.js`, for a `redirect-uri` page that shows no button: finishes the callback in its URL and fires the outcome on `document`. */
import { dispatch } from './events.js';
// Kept in the .d.ts (a value import is not): the typed events come with this entry too.
import './events.js';
import { relayCallback } from './relay-callback.js';
import { bundledLanguage, languageAt, loadStrings } from './strings.js';

const reportError = (error: unknown) =>
  import('./error-messages.js').then(
    ({ describeError }) => dispatch(document, 'aries-login-error', describeError(error)),
    () =>
      dispatch(document, 'aries-login-error', {
        code: 'load_failed',
        message: 'Sign-in could not load. Check your connection and try again.',
      }),
  );

/** "Return to the app…", at the end of the page, while the sign-in this page answers has not taken the answer. */
let notice: HTMLElement | undefined;

/**
 * Shows the notice in a live region, in the page's language when the element speaks it (its file, fetched from beside
 * this one), else in English.
 */
function showReturnToApp(english: string) {
  const shown = (notice = document.createElement('p'));
  shown.setAttribute('role', 'status');
  document.body.append(shown);
  void loadStrings(bundledLanguage(languageAt(document.documentElement))).then(
    (strings) => (shown.textContent = strings?.returnToApp ?? english),
  );
}

// This page is the redirect-uri's by definition. A popup's callback only relays the answer to its opener, with this
// file alone: the token exchange (a redirect sign-in's) and the error messages (a failure's) are fetched when needed.
export const completed = relayCallback(
  window,
  { redirectUri: location.href, requestTimeout: 30 },
  () => import('./redeem-callback.js'),
  showReturnToApp,
).then(
  (signedIn) => signedIn && dispatch(document, 'aries-login-success', signedIn),
  // The error takes the notice's place (an answer taken leaves it: the window closes, or the app has the answer).
  (error: unknown) => {
    notice?.remove();
    return reportError(error);
  },
);
