/** The element's English labels, and the shape every language's strings have (the language files import only this). */
import type { AriesLoginErrorCode } from './errors.js';
import type { relayLabels } from './relay-labels.js';
import type { sessionLabels } from './session-labels.js';

/**
 * The English labels. `{name}` and `{seconds}` are filled in; English error messages are in error-messages.ts, and the
 * session's notices (`{time}` filled in) in session-labels.ts: both travel with the flow; a callback page's "Return to the
 * app…" is in relay-labels.ts, with the relay.
 */
export const en = {
  signIn: 'Sign in with Aries',
  continueInAries: 'Continue in the Aries window',
  signingIn: 'Signing in…',
  cancel: 'Cancel',
  signedIn: 'Signed in with Aries',
  signedInAs: 'Signed in as {name}',
  signOut: 'Sign out',
  retryIn: 'Try again in {seconds} s',
};

/** Every string the element shows: its labels, and a message for each error code. */
export type AriesLoginStrings = Record<
  keyof typeof en | keyof typeof sessionLabels | keyof typeof relayLabels | AriesLoginErrorCode,
  string
>;
