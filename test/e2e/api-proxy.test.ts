// A backend that keeps the tokens (`apiProxy`, RFC 10017 §6.1) end to end: the reference backend on the tests' origin
// against the emulator, in real windows. No token Aries issued is ever within reach of the page's script; Aries' API is
// called through the backend with ariesFetch.
import { expect, oneEvent } from '@open-wc/testing';
import type { AriesLoginElement } from '../../src/aries-login-element.js';
import type { AriesLoginError, AriesLoginErrorDetail } from '../../src/errors.js';
import { ariesFetch, getAccessToken } from '../../src/index.js';
import type { AriesBackendSession } from '../../src/token-client.js';
import {
  buttonOf,
  callbackUrl,
  clickToSignIn,
  control,
  mountElement,
  requestsOf,
  updateClient,
  waitFor,
} from '../helpers.js';
import {
  appRedirectUri,
  closeWindowsAfterEach,
  createBackendApp,
  elementIn,
  openBackendApp,
  readOutcomes,
  reload,
  waitForOutcome,
} from './backend-app.js';

const ORDER = { accountId: 'A-1001', symbol: 'AAPL', side: 'buy', quantity: 1 };
const ACCOUNTS = 'user:information account:information';

/** A client with a full-BFF backend whose redirect URIs are the test page's callback and the app window's page. */
async function createProxyApp(settings: { tokenLifetime?: number } = {}) {
  const app = await createBackendApp({ apiProxy: true, ...settings });
  await updateClient(app.clientId, { redirectUris: [callbackUrl, appRedirectUri(app.basePath)] });
  return app;
}

/** An element of the app, signed in with a popup (a person's click) and the scopes asked for. */
async function signedInElement(clientId: string, basePath: string, scope: string, attributes = {}) {
  const element = await mountElement(clientId, { 'backend-url': basePath, scope, ...attributes });
  const detail = await clickToSignIn(element);
  return { element, detail: detail as unknown as AriesBackendSession };
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('resolved'),
    (error: AriesLoginError) => error,
  );

const orderRequest = (): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(ORDER),
});

/** What page script hears of every element's events, from the document (as any script on the page can). */
function hearEverything() {
  const heard: { type: string; detail: unknown }[] = [];
  const types = [
    'aries-login-success',
    'aries-login-error',
    'aries-token-refresh',
    'aries-token-expiring',
    'aries-logout',
  ] as const;
  const listener = (e: Event) => heard.push({ type: e.type, detail: (e as CustomEvent).detail });
  for (const type of types) document.addEventListener(type, listener);
  return { heard, stop: () => types.forEach((type) => document.removeEventListener(type, listener)) };
}

closeWindowsAfterEach();

describe('a backend that keeps the tokens (apiProxy) against the emulator', () => {
  it('signs in with a popup and no token Aries issued is within reach of page script', async () => {
    const { clientId, basePath } = await createProxyApp({ tokenLifetime: 4 });
    const everything = hearEverything();
    try {
      const { element, detail } = await signedInElement(clientId, basePath, ACCOUNTS, { 'show-user': '' });
      expect(detail).to.include({ tokenHeldBy: 'backend', scope: ACCOUNTS, expiresIn: 4 });
      expect(detail).not.to.have.any.keys('accessToken', 'tokenType', 'refreshToken');
      expect(element.tokens).to.deep.equal(detail);
      expect(element.hasAttribute('signed-in')).to.equal(true);

      // show-user reads the profile through the proxy: the backend called Aries with the token, not the browser.
      await waitFor(() => !!element.shadowRoot!.textContent?.includes('Ada Lovelace'), 'the user’s name');
      const [profile] = await requestsOf(clientId, 'profile');
      expect(profile).to.include({ hasAuthorization: true, hasCookie: false, origin: null, status: 200 });

      // Refreshed ahead of expiry through the backend: the event says so, still without a token.
      const { detail: refreshed } = (await oneEvent(
        element,
        'aries-token-refresh',
      )) as CustomEvent<AriesBackendSession>;
      expect(refreshed).to.include({ tokenHeldBy: 'backend', scope: ACCOUNTS });
      expect(refreshed.expiresAt).to.be.above(detail.expiresAt);
      expect(refreshed).not.to.have.any.keys('accessToken', 'tokenType', 'refreshToken');

      const fromElement = await rejection(element.getAccessToken());
      const fromPackage = await rejection(getAccessToken({ clientId }));
      for (const error of [fromElement, fromPackage]) {
        expect(error.code).to.equal('token_held_by_backend');
        expect(error.message).to.match(/server keeps/);
      }

      // Page script asking the backend itself, with the cookie and the header the element sends.
      const answer = await fetch(`${basePath}/refresh`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'X-Requested-With': 'aries-login' },
      });
      expect(answer.status).to.equal(200);
      const body = await answer.text();
      expect(JSON.parse(body)).to.include({ token_held_by: 'backend', scope: ACCOUNTS });
      expect(JSON.parse(body)).not.to.have.any.keys('access_token', 'refresh_token', 'token_type');

      const issued = await control.issuedTokens(clientId);
      expect(issued.length, 'the sign-in’s and the refresh’s access and refresh tokens').to.be.at.least(4);
      const reachable = [
        JSON.stringify(everything.heard),
        JSON.stringify(element.tokens),
        JSON.stringify(fromElement),
        fromElement.message,
        JSON.stringify(fromPackage),
        body,
        document.cookie,
        JSON.stringify({ ...localStorage }),
        JSON.stringify({ ...sessionStorage }),
        document.documentElement.outerHTML,
        element.shadowRoot!.innerHTML,
      ].join('\n');
      for (const token of issued) {
        expect(token).to.be.a('string').with.length.above(20);
        expect(reachable.includes(token), 'a token Aries issued is reachable by page script').to.equal(false);
      }
      expect(document.cookie, 'the session cookie is HttpOnly').not.to.include('aries_session');
    } finally {
      everything.stop();
    }
  });

  it('reads the accounts and balances through ariesFetch, and places an order that reaches Aries once', async () => {
    const { clientId, basePath } = await createProxyApp();
    const { element } = await signedInElement(clientId, basePath, `${ACCOUNTS} order:execution`);

    // The package's ariesFetch: the page's only app with a backend needs no option.
    const accounts = await ariesFetch('/v1/users/me/accounts');
    expect(accounts.status).to.equal(200);
    const { accounts: list } = (await accounts.json()) as { accounts: { id: string }[] };
    expect(list.map((account) => account.id)).to.deep.equal(['A-1001', 'A-1002']);
    const balances = await element.ariesFetch(`/v1/accounts/${list[0].id}/balances`);
    expect(await balances.json()).to.include({ accountId: 'A-1001', currency: 'USD', cash: 12500.5 });

    const placed = await element.ariesFetch('/v1/orders', orderRequest());
    expect(placed.status).to.equal(201);
    expect(await placed.json()).to.include({ ...ORDER, status: 'open' });
    const orders = (await requestsOf(clientId, 'api')).filter((r) => r.method === 'POST' && r.path === '/v1/orders');
    expect(orders).to.have.length(1);
    expect(orders[0]).to.include({ hasAuthorization: true, hasCookie: false, origin: null, status: 201 });
    expect(orders[0].body).to.deep.equal(ORDER);
    const calls = (await requestsOf(clientId, 'api')).map((r) => `${r.method} ${r.path}`);
    expect(calls).to.deep.equal(['GET /v1/users/me/accounts', 'GET /v1/accounts/A-1001/balances', 'POST /v1/orders']);
  });

  it('without order:execution an order is insufficient_scope: refused before Aries, the session goes on', async () => {
    const { clientId, basePath } = await createProxyApp();
    const { element } = await signedInElement(clientId, basePath, ACCOUNTS);
    const errors: AriesLoginErrorDetail[] = [];
    element.addEventListener('aries-login-error', (e) => errors.push(e.detail));

    for (const refused of [
      await rejection(element.ariesFetch('/v1/orders', orderRequest())),
      await rejection(ariesFetch('/v1/orders', orderRequest(), { backendUrl: basePath })),
    ]) {
      expect(refused).to.include({ code: 'insufficient_scope', status: 403 });
      expect(refused.description).to.include('order:execution');
      expect(refused.message).to.equal('You did not allow that at Aries.');
    }
    expect((await requestsOf(clientId, 'api')).filter((r) => r.path === '/v1/orders')).to.deep.equal([]);
    // The caller handles it: no event, still signed in, and what the session was granted still works.
    expect(errors).to.deep.equal([]);
    expect(element.tokens).to.include({ tokenHeldBy: 'backend' });
    expect((await element.ariesFetch('/v1/users/me/accounts')).status).to.equal(200);
  });

  it('session_expired once the backend’s session ends: every element of the app and its other tab are signed out', async () => {
    const { clientId, basePath } = await createProxyApp();
    const { element } = await signedInElement(clientId, basePath, ACCOUNTS);
    const second = await mountElement(clientId, { 'backend-url': basePath });
    await waitFor(() => second.tokens !== null, 'the second element showing the session');
    const tab = await openBackendApp(clientId, basePath);
    const [restored] = await waitForOutcome(tab, 'aries-login-success');
    expect(restored.detail).to.include({ tokenHeldBy: 'backend' });

    // The backend's session ends behind the elements' backs (what its idle or absolute timeout does).
    const ended = await fetch(`${basePath}/logout`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'X-Requested-With': 'aries-login' },
    });
    expect(ended.status).to.equal(204);
    const reported = [element, second].map((e) => oneEvent(e, 'aries-login-error'));
    const expired = await rejection(ariesFetch('/v1/users/me/accounts', undefined, { backendUrl: basePath }));
    expect(expired.code).to.equal('session_expired');
    expect(expired.message).to.equal('Your session has ended. Please sign in again.');
    for (const event of await Promise.all(reported)) {
      expect((event as CustomEvent<AriesLoginErrorDetail>).detail.code).to.equal('session_expired');
    }
    for (const e of [element, second]) {
      expect(e.tokens).to.equal(null);
      expect(e.hasAttribute('signed-in')).to.equal(false);
    }
    const [inTab] = await waitForOutcome(tab, 'aries-login-error');
    expect(inTab.detail.code).to.equal('session_expired');
    expect(elementIn(tab).tokens).to.equal(null);
    // Signed out: nothing more goes to the proxy.
    expect((await rejection(element.ariesFetch('/v1/users/me/accounts'))).code).to.equal('login_required');
  });

  it('signs in by redirect too, and a reload restores the session: no token in either, Aries’ API through the element', async () => {
    const { clientId, basePath } = await createProxyApp();
    const win = await openBackendApp(clientId, basePath);
    buttonOf(elementIn(win)).click();
    const [signedIn] = await waitForOutcome(win, 'aries-login-success');
    expect(signedIn.detail).to.include({ tokenHeldBy: 'backend', scope: 'user:information' });
    expect(signedIn.detail.returnTo).to.be.a('string').and.include('redirect-app.html');
    expect(signedIn.detail).not.to.have.any.keys('accessToken', 'tokenType');

    await reload(win);
    const [restored] = await waitForOutcome(win, 'aries-login-success');
    expect(restored.detail).to.include({ tokenHeldBy: 'backend' });
    expect(restored.detail).not.to.have.any.keys('accessToken', 'tokenType');
    const element: AriesLoginElement = elementIn(win);
    expect(element.tokens).to.include({ tokenHeldBy: 'backend' });
    const profile = await element.ariesFetch('/v1/users/me/profile');
    expect(await profile.json()).to.include({ name: 'Ada Lovelace' });
    expect(readOutcomes(win).map((o) => o.type)).to.deep.equal(['aries-login-success']);
  });
});
