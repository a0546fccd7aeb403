// getAccessToken of the package and of the element, on the page's real app sessions (apps without a backend, whose
// sessions make no request): the token of the app asked for, and every refusal as a coded error with a readable message.
import { expect } from '@open-wc/testing';
import { appSessions, type AppSession, type Member } from '../src/app-sessions.js';
import { AriesLoginError } from '../src/errors.js';
import { described, elementAccessToken, getAccessToken } from '../src/get-access-token.js';
import { SignedIn, type SignedInHost } from '../src/signed-in.js';
import type { AriesTokens } from '../src/token-client.js';

const tokenUrl = 'https://api.aries.com/v1/oauth2/token';
const tokens = (accessToken: string, lifetime = 600_000): AriesTokens => ({
  accessToken,
  tokenType: 'Bearer',
  expiresIn: lifetime / 1000,
  expiresAt: Date.now() + lifetime,
  scope: 'user:information',
});
const member = (): Member => ({
  notice: 0,
  renewed: () => {},
  troubled: () => {},
  ended: () => {},
  expiring: () => {},
  signedInElsewhere: () => {},
});

/** The apps joined by a test, left after it (their sessions end after the grace). */
const joined: [AppSession, Member][] = [];
function signedInApp(clientId: string, accessToken: string, lifetime?: number) {
  const who = member();
  const app = appSessions.join(window, { clientId, tokenUrl, requestTimeout: 1000 }, who);
  joined.push([app, who]);
  app.session.signIn(tokens(accessToken, lifetime));
  return app;
}
const afterTheGrace = () =>
  new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve, 10))));
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('resolved'),
    (error: unknown) => {
      expect(error).to.be.instanceOf(AriesLoginError);
      return error as AriesLoginError;
    },
  );

describe('getAccessToken', () => {
  afterEach(async () => {
    for (const [app, who] of joined.splice(0)) app.leave(who);
    await afterTheGrace();
  });

  it('with nobody signed in on the page: login_required, with the English message', async () => {
    const error = await refusal(getAccessToken());
    expect(error.code).to.equal('login_required');
    expect(error.message).to.equal('You are not signed in, or your sign-in has ended. Please sign in.');
  });

  it('the only app on the page: its access token', async () => {
    signedInApp(`only-${Math.random()}`, 'at-only');
    expect(await getAccessToken()).to.equal('at-only');
  });

  it('several apps: clientId picks one; without it, invalid_config that names clientId', async () => {
    const one = `one-${Math.random()}`;
    signedInApp(one, 'at-one');
    signedInApp(`two-${Math.random()}`, 'at-two');
    expect(await getAccessToken({ clientId: one })).to.equal('at-one');
    const error = await refusal(getAccessToken());
    expect(error).to.include({ code: 'invalid_config', attribute: 'clientId' });
    expect(error.message).to.contain('clientId');
    expect((await refusal(getAccessToken({ clientId: 'no-such-app' }))).code).to.equal('login_required');
  });

  it('a token that would not last minValidity seconds (and no backend to renew it): login_required', async () => {
    const clientId = `short-${Math.random()}`;
    signedInApp(clientId, 'at-short', 20_000);
    expect(await getAccessToken({ clientId, minValidity: 10 })).to.equal('at-short');
    expect((await refusal(getAccessToken({ clientId }))).code, 'the default: 30 s').to.equal('login_required');
    expect((await refusal(getAccessToken({ clientId, minValidity: 60 }))).code).to.equal('login_required');
  });
});

describe('elementAccessToken', () => {
  it('an element with no signed-in state yet (the flow just arrived): login_required', async () => {
    expect((await refusal(elementAccessToken(undefined))).code).to.equal('login_required');
  });

  it('the element’s own app session: its token, with minValidity applied', async () => {
    const clientId = `element-${Math.random()}`;
    const host: SignedInHost = {
      addController: () => {},
      removeController: () => {},
      requestUpdate: () => {},
      updateComplete: Promise.resolve(true),
      toggleAttribute: (_name, on) => on,
      clientId,
      tokenUrl,
      requestTimeout: 1,
      showUser: false,
      expiringNotice: 0,
    };
    const signedIn = new SignedIn(host, window, { changed: () => true, failed: () => {} });
    signedIn.hostConnected();
    try {
      signedIn.signedIn(tokens('at-element', 20_000));
      expect(await elementAccessToken(signedIn, { minValidity: 10 })).to.equal('at-element');
      expect((await refusal(elementAccessToken(signedIn, { minValidity: 60 }))).code).to.equal('login_required');
    } finally {
      signedIn.hostDisconnected();
    }
  });
});

describe('described', () => {
  it('passes a result through; turns any failure into an AriesLoginError with a stable code and a message', async () => {
    expect(await described(() => Promise.resolve('ok'))).to.equal('ok');
    const unknown = await refusal(described(() => Promise.reject(new TypeError('boom'))));
    expect(unknown.code).to.equal('unknown_error');
    expect(unknown.message).to.be.a('string').and.not.equal('');
    const coded = await refusal(
      described(() => Promise.reject(new AriesLoginError('rate_limited', undefined, { retryAt: 5 }))),
    );
    expect(coded).to.include({ code: 'rate_limited', retryAt: 5 });
    expect(coded.message).to.not.equal('');
  });
});
