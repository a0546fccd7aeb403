// The signed-in state as a lit controller, on a host that is not the element: what it keeps, and what it tells the host.
import { expect } from '@open-wc/testing';
import type { ReactiveController } from 'lit';
import type { AriesLoginError } from '../src/errors.js';
import { SignedIn, type SignedInHost } from '../src/signed-in.js';
import type { AriesTokens } from '../src/token-client.js';

describe('SignedIn', () => {
  const tokens = (lifetime: number): AriesTokens => ({
    accessToken: 'at',
    tokenType: 'Bearer',
    expiresIn: lifetime / 1000,
    expiresAt: Date.now() + lifetime,
    scope: 'user:information',
  });

  /** A host with only what the controller may read, recording what it hears. */
  const setUp = () => {
    const heard: unknown[][] = [];
    let updates = 0;
    const controllers: ReactiveController[] = [];
    const host: SignedInHost = {
      addController: (controller) => controllers.push(controller),
      removeController: () => {},
      requestUpdate: () => void updates++,
      updateComplete: Promise.resolve(true),
      tokenUrl: 'https://api.aries.com/v1/oauth2/token',
      requestTimeout: 30,
      showUser: false,
    };
    const signedIn = new SignedIn(host, window, {
      changed: (...args) => heard.push(['changed', ...args]),
      failed: (error: AriesLoginError, stillSignedIn) => heard.push(['failed', error.code, stillSignedIn]),
    });
    return { signedIn, heard, controllers, updates: () => updates };
  };
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(condition()).to.equal(true);
  };

  it('is the host’s controller, keeps a sign-in’s tokens and has the host tell the page', () => {
    const { signedIn, heard, controllers, updates } = setUp();
    expect(controllers).to.deep.equal([signedIn]);
    signedIn.hostConnected();
    const kept = tokens(60_000);
    signedIn.signedIn(kept);
    expect(signedIn.tokens).to.equal(kept);
    expect(heard).to.deep.equal([['changed', true, 'aries-login-success', kept]]);
    expect(updates()).to.be.greaterThan(0);
    signedIn.hostDisconnected();
  });

  it('drops the tokens when they expire, and has the host say when', async () => {
    const { signedIn, heard } = setUp();
    signedIn.hostConnected();
    const kept = tokens(50);
    signedIn.signedIn(kept);
    await until(() => heard.length === 2);
    expect(heard[1]).to.deep.equal(['changed', false, 'aries-token-expired', { expiredAt: kept.expiresAt }]);
    expect(signedIn.tokens).to.equal(null);
    signedIn.hostDisconnected();
  });

  it('signs out when another tab of the app does', async () => {
    const { signedIn, heard } = setUp();
    signedIn.hostConnected();
    signedIn.signedIn(tokens(60_000));
    const otherTab = new BroadcastChannel('aries-login:session');
    otherTab.postMessage('logout');
    otherTab.close();
    await until(() => heard.length === 2);
    expect(heard[1]).to.deep.equal(['changed', false, 'aries-logout', {}]);
    signedIn.hostDisconnected();
  });

  it('keeps no timer once the host is gone', async () => {
    const gone = setUp();
    gone.signedIn.hostConnected();
    gone.signedIn.signedIn(tokens(20));
    gone.signedIn.hostDisconnected();
    // Another one's tokens expire no sooner: once it hears of its expiry, the first would have heard of its own.
    const still = setUp();
    still.signedIn.hostConnected();
    still.signedIn.signedIn(tokens(20));
    await until(() => still.heard.length === 2);
    expect(gone.heard).to.have.length(1);
    still.signedIn.hostDisconnected();
  });
});
