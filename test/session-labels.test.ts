// The English of the signed-in session's notices, which the flow brings along and the element shows under its status.
import { expect } from '@open-wc/testing';
import { sessionLabels } from '../src/session-labels.js';
import { fill } from '../src/strings.js';

describe('sessionLabels', () => {
  it('words the warning before a session ends, its button, and a sign-in in another tab', () => {
    expect(sessionLabels).to.deep.equal({
      sessionEndsIn: 'Your session ends in {time}',
      staySignedIn: 'Stay signed in',
      signedInElsewhere: 'Signed in with Aries in another tab',
    });
  });

  it('the warning reads as documented once its time is filled in: "Your session ends in 1:45"', () => {
    expect(fill(sessionLabels.sessionEndsIn, { time: '1:45' })).to.equal('Your session ends in 1:45');
  });
});
