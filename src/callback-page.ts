/** For a `redirect-uri` page that shows no button: completes the callback in its URL and fires the outcome on `document`. */
import { completeCallback } from './complete-callback.js';
import { describeError } from './error-messages.js';
import { dispatch } from './events.js';
// Kept in the .d.ts (a value import is not): the typed events come with this entry too.
import './events.js';

export const completed = completeCallback(window).then(
  (signedIn) => signedIn && dispatch(document, 'aries-login-success', signedIn),
  (error: unknown) => dispatch(document, 'aries-login-error', describeError(error)),
);
