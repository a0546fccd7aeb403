// The flow's entry, the file the element fetches on intent: it exports exactly what the element (and the relay, for the
// code exchange) takes from it, each the very function or class of its own module.
import { expect } from '@open-wc/testing';
import * as appSessions from '../src/app-sessions.js';
import * as errorMessages from '../src/error-messages.js';
import * as flow from '../src/flow.js';
import * as getAccessToken from '../src/get-access-token.js';
import * as preconnect from '../src/preconnect.js';
import * as redeemCallback from '../src/redeem-callback.js';
import * as relayCallback from '../src/relay-callback.js';
import * as runSignIn from '../src/run-sign-in.js';
import * as sessionFetch from '../src/session-fetch.js';
import * as sessionNotice from '../src/session-notice.js';
import * as signedInStatus from '../src/signed-in-status.js';
import * as signedIn from '../src/signed-in.js';

/** Each export the element (or the relay) loads from the flow, and the module it comes from. */
const owners: Record<string, Record<string, unknown>> = {
  afterGrace: appSessions,
  configMessages: errorMessages,
  describeError: errorMessages,
  elementAccessToken: getAccessToken,
  getAccessToken: getAccessToken,
  preconnect: preconnect,
  redeemCallback: redeemCallback,
  relayCallback: relayCallback,
  runSignIn: runSignIn,
  ariesFetch: sessionFetch,
  elementAriesFetch: sessionFetch,
  renderSessionNotice: sessionNotice,
  SignedIn: signedIn,
  renderStatus: signedInStatus,
};

describe('flow', () => {
  it('exports exactly what the element loads lazily: nothing missing, nothing more', () => {
    expect(Object.keys(flow).sort()).to.deep.equal(Object.keys(owners).sort());
  });

  for (const [name, owner] of Object.entries(owners)) {
    it(`${name} is its module’s own, re-exported as it is`, () => {
      const exported = (flow as Record<string, unknown>)[name];
      expect(exported, name).to.exist;
      expect(exported).to.equal(owner[name]);
    });
  }
});
