/** For a `redirect-uri` page that shows no button: completes the callback in its URL and fires the outcome on `document`. */
import { completeCallback } from './complete-callback.js';
import { describeError } from './error-messages.js';
import { dispatch } from './events.js';

// This page is the redirect-uri's by definition.
export const completed = completeCallback(window, location.href).then(
  (signedIn) => signedIn && dispatch(document, 'aries-login-success', signedIn),
  (error: unknown) => dispatch(document, 'aries-login-error', describeError(error)),
);
