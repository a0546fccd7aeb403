// The signed-in state as a lit controller, on hosts that are not the element: the app session it shows, what it keeps,
// and what it tells its host; two hosts of one app share one session.
import { expect } from '@open-wc/testing';
import type { ReactiveController } from 'lit';
import { appKey } from '../src/app-sessions.js';
import type { AriesLoginError } from '../src/errors.js';
import { SignedIn, type SignedInHost } from '../src/signed-in.js';
import type { AriesTokens } from '../src/token-client.js';

const tokenUrl = 'https://api.aries.com/v1/oauth2/token';
let apps = 0;
const tokens = (lifetime: number, accessToken = 'at'): AriesTokens => ({
  accessToken,
  tokenType: 'Bearer',
  expiresIn: lifetime / 1000,
  expiresAt: Date.now() + lifetime,
  scope: 'user:information',
});
const until = async (condition: () => boolean, what = 'the condition') => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition(), what).to.equal(true);
};
/** Past the grace an app session is kept after its last host leaves (a frame, then a task). */
const afterTheGrace = () =>
  new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve, 10))));

/** A host with only what the controller may read, recording what it hears (and preventing what it is told to). */
function host(clientId: string, { expiringNotice = 120, prevent = false } = {}) {
  const heard: unknown[][] = [];
  const attributes = new Set<string>();
  let updates = 0;
  const controllers: ReactiveController[] = [];
  const element: SignedInHost = {
    addController: (controller) => controllers.push(controller),
    removeController: () => {},
    requestUpdate: () => void updates++,
    updateComplete: Promise.resolve(true),
    toggleAttribute: (name, on) => (on ? attributes.add(name) : attributes.delete(name), on),
    clientId,
    tokenUrl,
    requestTimeout: 30,
    showUser: false,
    expiringNotice,
  };
  const signedIn = new SignedIn(element, window, {
    changed: (type, detail) => {
      heard.push([type, detail]);
      return !(prevent && type === 'aries-token-expiring');
    },
    failed: (error: AriesLoginError) => heard.push(['failed', error.code]),
  });
  const types = () => heard.map(([type]) => type);
  return { signedIn, heard, types, attributes, controllers, updates: () => updates };
}
const setUp = (options?: Parameters<typeof host>[1]) => host(`app-${++apps}-${Math.random()}`, options);

describe('SignedIn', () => {
  const connected: SignedIn[] = [];
  afterEach(() => connected.splice(0).forEach((s) => s.hostDisconnected()));
  const connect = <T extends { signedIn: SignedIn }>(h: T) => {
    h.signedIn.hostConnected();
    connected.push(h.signedIn);
    return h;
  };

  it('is the host’s controller, keeps a sign-in’s tokens, reflects signed-in and has the host tell the page', () => {
    const { signedIn, heard, controllers, attributes, updates } = connect(setUp());
    expect(controllers).to.deep.equal([signedIn]);
    const kept = tokens(600_000);
    signedIn.signedIn(kept);
    expect(signedIn.tokens).to.equal(kept);
    expect(heard).to.deep.equal([['aries-login-success', kept]]);
    expect([...attributes]).to.deep.equal(['signed-in']);
    expect(updates()).to.be.greaterThan(0);
  });

  it('drops the tokens when they expire, and has the host say when', async () => {
    const { signedIn, heard, attributes } = connect(setUp({ expiringNotice: 0 }));
    const kept = tokens(50);
    signedIn.signedIn(kept);
    await until(() => heard.length === 2);
    expect(heard[1]).to.deep.equal(['aries-token-expired', { expiredAt: kept.expiresAt }]);
    expect(signedIn.tokens).to.equal(null);
    expect([...attributes]).to.deep.equal([]);
  });

  it('signs out when another tab of the same app does, on the app’s own channel; another app stays', async () => {
    const clientId = `tabs-${Math.random()}`;
    const app = connect(host(clientId));
    const otherApp = connect(host(`${clientId}-other`));
    app.signedIn.signedIn(tokens(600_000));
    otherApp.signedIn.signedIn(tokens(600_000));
    const otherTab = new BroadcastChannel(`aries-login:session:${appKey({ clientId, tokenUrl, requestTimeout: 0 })}`);
    otherTab.postMessage({ type: 'signed-out' });
    otherTab.close();
    await until(() => app.heard.length === 2);
    expect(app.heard[1]).to.deep.equal(['aries-logout', {}]);
    expect(otherApp.types()).to.deep.equal(['aries-login-success']);
    expect(otherApp.signedIn.tokens).to.not.equal(null);
  });

  it('two hosts of one app show one session: a sign-in through one reaches both, each tells its page once', async () => {
    const clientId = `shared-${Math.random()}`;
    const one = connect(host(clientId));
    const two = connect(host(clientId));
    const kept = tokens(600_000);
    one.signedIn.signedIn(kept);
    expect(one.heard).to.deep.equal([['aries-login-success', kept]]);
    expect(two.heard).to.deep.equal([['aries-login-success', kept]]);
    expect(two.signedIn.tokens).to.equal(kept);
    // One leaves the page: the other still shows the session.
    one.signedIn.hostDisconnected();
    await afterTheGrace();
    expect(two.signedIn.tokens).to.equal(kept);
    await two.signedIn.signOut();
    expect(two.types()).to.deep.equal(['aries-login-success', 'aries-logout']);
    expect(one.types(), 'gone from the page: told nothing').to.deep.equal(['aries-login-success']);
  });

  it('a host that joins a signed-in session is told of it (in a task); one re-parented is not told again', async () => {
    const clientId = `join-${Math.random()}`;
    const first = connect(host(clientId));
    const kept = tokens(600_000);
    first.signedIn.signedIn(kept);
    const later = connect(host(clientId));
    expect(later.heard, 'not in the connect itself').to.deep.equal([]);
    expect(later.attributes.has('signed-in')).to.equal(true);
    await until(() => later.heard.length === 1);
    expect(later.heard).to.deep.equal([['aries-login-success', kept]]);
    // Moved: out of the page and back within the grace.
    first.signedIn.hostDisconnected();
    first.signedIn.hostConnected();
    await afterTheGrace();
    expect(first.heard).to.deep.equal([['aries-login-success', kept]]);
    expect(first.signedIn.tokens).to.equal(kept);
  });

  it('the session outlives its last host by the grace only: then it is ended, with no timer left', async () => {
    const clientId = `grace-${Math.random()}`;
    const gone = connect(host(clientId, { expiringNotice: 0 }));
    gone.signedIn.signedIn(tokens(400));
    gone.signedIn.hostDisconnected();
    // A remount within the grace keeps the session.
    const remounted = connect(host(clientId));
    expect(remounted.signedIn.tokens).to.not.equal(null);
    remounted.signedIn.hostDisconnected();
    await afterTheGrace();
    // Past the grace a new host finds no session: it was ended, and its expiry timer with it.
    const fresh = connect(host(clientId));
    expect(fresh.signedIn.tokens).to.equal(null);
    await new Promise((r) => setTimeout(r, 600));
    expect(gone.heard).to.deep.equal([['aries-login-success', gone.heard[0][1]]]);
    expect(remounted.heard.filter(([type]) => type === 'aries-token-expired')).to.deep.equal([]);
  });

  it('warns before a session nothing renews ends, unless the page prevents it', async () => {
    for (const prevent of [false, true]) {
      const { signedIn, heard } = connect(setUp({ expiringNotice: 60, prevent }));
      const kept = tokens(30_000);
      signedIn.signedIn(kept);
      await until(() => heard.length === 2, 'aries-token-expiring');
      expect(heard[1]).to.deep.equal(['aries-token-expiring', { expiresAt: kept.expiresAt, reason: 'token' }]);
      expect(signedIn.warning).to.equal(prevent ? undefined : kept.expiresAt);
    }
  });

  it('shows, and reflects, that another tab of the app signed in while this host is signed out', async () => {
    const clientId = `elsewhere-${Math.random()}`;
    const { signedIn, attributes } = connect(host(clientId));
    const otherTab = new BroadcastChannel(`aries-login:session:${appKey({ clientId, tokenUrl, requestTimeout: 0 })}`);
    otherTab.postMessage({ type: 'signed-in', until: Date.now() + 60_000 });
    await until(() => signedIn.elsewhere);
    expect(attributes.has('signed-in-elsewhere')).to.equal(true);
    otherTab.postMessage({ type: 'signed-out' });
    await until(() => !signedIn.elsewhere);
    expect(attributes.has('signed-in-elsewhere')).to.equal(false);
    otherTab.close();
  });
});
