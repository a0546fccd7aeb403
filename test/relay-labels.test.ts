// The English of the callback page's notice, which the relay brings along (callback.ts and the element show it).
import { expect } from '@open-wc/testing';
import { errorMessages } from '../src/error-messages.js';
import { en } from '../src/labels.js';
import { relayLabels } from '../src/relay-labels.js';
import { sessionLabels } from '../src/session-labels.js';

describe('relayLabels', () => {
  it('words the notice that asks the user back to the app', () => {
    expect(relayLabels).to.deep.equal({ returnToApp: 'Return to the app to finish signing in.' });
  });

  it('shares no key with the button’s labels, the session’s notices or the error codes: one meaning per key of a language’s table', () => {
    for (const other of [en, sessionLabels, errorMessages]) {
      expect(Object.keys(relayLabels).filter((key) => Object.hasOwn(other, key))).to.deep.equal([]);
    }
  });
});
