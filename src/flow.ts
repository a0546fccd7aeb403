/** Everything after the click, in one file the element loads on first use: a page pays up front only for the button. */
export { completeCallback } from './complete-callback.js';
export { describeError } from './error-messages.js';
export { runPopupSignIn } from './popup-sign-in.js';
export { fetchUserName } from './profile.js';
export { startRedirectSignIn } from './redirect-sign-in.js';
export { Session } from './session.js';
