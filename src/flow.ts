/** Everything after the click, in one file the element fetches on intent (pointer, focus, touch): a page pays up front only for the button. */
export { afterGrace } from './app-sessions.js';
export { configMessages, describeError } from './error-messages.js';
export { elementAccessToken, getAccessToken } from './get-access-token.js';
export { preconnect } from './preconnect.js';
export { redeemCallback } from './redeem-callback.js';
// The flow shares the callback path's modules (the popup channel, the transaction store): exported from here, that
// path is one file that the flow imports, rather than two that a popup's callback page would fetch one after the other;
// and the element falls back to it here when the relay file alone could not be fetched.
export { relayCallback } from './relay-callback.js';
export { runSignIn } from './run-sign-in.js';
export { ariesFetch, elementAriesFetch } from './session-fetch.js';
export { renderSessionNotice } from './session-notice.js';
export { SignedIn } from './signed-in.js';
export { renderStatus } from './signed-in-status.js';
