// The element's English labels: the ones the button shows before any flow or language file loads, and the keys every
// language's table is made of.
import { expect } from '@open-wc/testing';
import { errorMessages } from '../src/error-messages.js';
import { en } from '../src/labels.js';
import { sessionLabels } from '../src/session-labels.js';

describe('en (the element’s English labels)', () => {
  it('words each of the button’s eight states in English', () => {
    expect(en).to.deep.equal({
      signIn: 'Sign in with Aries',
      continueInAries: 'Continue in the Aries window',
      signingIn: 'Signing in…',
      cancel: 'Cancel',
      signedIn: 'Signed in with Aries',
      signedInAs: 'Signed in as {name}',
      signOut: 'Sign out',
      retryIn: 'Try again in {seconds} s',
    });
  });

  it('shares no key with the session’s notices or the error codes: each key of a language’s table means one thing', () => {
    const labels = Object.keys(en);
    for (const other of [sessionLabels, errorMessages]) {
      expect(labels.filter((key) => Object.hasOwn(other, key))).to.deep.equal([]);
    }
  });
});
