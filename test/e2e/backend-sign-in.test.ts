// Backend mode end to end: the reference backend (on the tests' origin, as a BFF) against the emulator, in real windows.
import { expect, oneEvent } from '@open-wc/testing';
import type { AriesTokens } from '../../src/token-client.js';
import {
  buttonOf,
  callbackUrl,
  clickToSignIn,
  createBackendClient,
  createClient,
  mountElement,
  queueTokenFaults,
  refreshGrants,
  requestsOf,
  sleep,
  waitFor,
} from '../helpers.js';
import {
  closeWindowsAfterEach,
  createBackendApp,
  elementIn,
  openBackendApp,
  readOutcomes,
  reload,
  waitForOutcome,
} from './backend-app.js';

closeWindowsAfterEach();

describe('backend mode against the emulator', () => {
  it('signs in through the backend: Aries sees the secret, the browser never does', async () => {
    const { clientId, clientSecret, basePath } = await createBackendClient();
    const element = await mountElement(clientId, { 'backend-url': basePath });
    const detail = await clickToSignIn(element);
    expect(detail.accessToken).to.be.a('string').and.not.empty;
    expect(detail.refreshToken, 'the refresh token stays at the backend').to.equal(undefined);
    const [exchange] = await requestsOf(clientId, 'token');
    expect(exchange.body).to.include({
      grant_type: 'code',
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uri: callbackUrl,
    });
    expect(exchange.body.code_verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(exchange.origin, 'sent by the backend, not by a browser').to.equal(null);
    const visible = [
      document.documentElement.outerHTML,
      element.shadowRoot!.innerHTML,
      JSON.stringify(detail),
      document.cookie,
      JSON.stringify({ ...sessionStorage }),
      JSON.stringify({ ...localStorage }),
    ].join();
    expect(visible).not.to.include(clientSecret);
    expect(document.cookie, 'the session cookie is HttpOnly').not.to.include('aries_session');
  });

  it('refreshes ahead of expiry through the backend, with rotation at Aries', async function () {
    const { clientId, basePath } = await createBackendClient({ tokenLifetime: 4 });
    const element = await mountElement(clientId, { 'backend-url': basePath });
    const first = await clickToSignIn(element);
    const refreshed = oneEvent(element, 'aries-token-refresh');
    const { detail: second } = (await refreshed) as CustomEvent<AriesTokens>;
    expect(Date.now(), 'before the old token expired').to.be.below(first.expiresAt);
    expect(second.accessToken).not.to.equal(first.accessToken);
    expect(second.expiresAt).to.be.above(first.expiresAt);
    expect(element.tokens).to.deep.equal(second);
    const [grant] = await refreshGrants(clientId);
    expect(grant.body).to.include({ client_id: clientId, redirect_uri: callbackUrl });
    expect(grant.body.client_secret).to.be.a('string');
    // The next refresh uses the rotated refresh token: Aries accepts it.
    const again = (await oneEvent(element, 'aries-token-refresh')) as CustomEvent<AriesTokens>;
    expect(again.detail.accessToken).not.to.equal(second.accessToken);
    expect((await refreshGrants(clientId)).map((r) => r.status)).to.deep.equal([200, 200]);
    element.remove();
  });

  it('drops the tokens and reports when a refresh fails', async function () {
    const { clientId, basePath } = await createBackendClient({ tokenLifetime: 3 });
    const element = await mountElement(clientId, { 'backend-url': basePath, 'sign-out': '' });
    await clickToSignIn(element);
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part=sign-out]')).to.be.ok;
    await queueTokenFaults(clientId, [{ error: 'invalid_grant' }]);
    const { detail } = (await oneEvent(element, 'aries-login-error')) as CustomEvent<AriesLoginErrorDetail>;
    expect(detail.code).to.equal('session_expired');
    expect(detail.status).to.equal(401);
    expect(element.tokens).to.equal(null);
    expect(element.hasAttribute('signed-in')).to.equal(false);
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part=sign-out]')).to.equal(null);
    expect(buttonOf(element).disabled).to.equal(false);
  });

  it('restores the session on reload without a popup, and signs out every tab', async function () {
    const { clientId, basePath } = await createBackendApp();
    const first = await openBackendApp(clientId, basePath);
    buttonOf(elementIn(first)).click();
    await waitForOutcome(first, 'aries-login-success');

    await reload(first);
    const [restored] = await waitForOutcome(first, 'aries-login-success');
    expect(restored.detail.accessToken).to.be.a('string');
    expect(elementIn(first).hasAttribute('signed-in')).to.equal(true);

    const second = await openBackendApp(clientId, basePath);
    await waitForOutcome(second, 'aries-login-success');
    // Two restores, one sign-in: the authorize page was shown once.
    expect((await requestsOf(clientId, 'authorize')).filter((r) => r.method === 'GET')).to.have.length(1);

    await elementIn(first).signOut();
    await waitForOutcome(first, 'aries-logout');
    await waitForOutcome(second, 'aries-logout');
    expect(elementIn(second).tokens).to.equal(null);
    // The backend session is gone too: a fresh page is not signed in.
    await reload(second);
    await sleep(1000);
    expect(readOutcomes(second)).to.deep.equal([]);
  });

  it('refreshes once for two tabs near expiry', async function () {
    this.timeout(30_000);
    // 8 s tokens are refreshed at 6 s: the renewed token is 6 s from its own refresh when the grants are counted, room
    // for a loaded machine (with 4 s tokens a slow second tab once saw the next refresh come due, and counted two).
    const { clientId, basePath } = await createBackendApp({ tokenLifetime: 8 });
    const first = await openBackendApp(clientId, basePath);
    buttonOf(elementIn(first)).click();
    await waitForOutcome(first, 'aries-login-success');
    const second = await openBackendApp(clientId, basePath);
    await waitForOutcome(second, 'aries-login-success');
    await Promise.all([waitForOutcome(first, 'aries-token-refresh'), waitForOutcome(second, 'aries-token-refresh')]);
    await sleep(300);
    expect(await refreshGrants(clientId)).to.have.length(1);
    const [a] = readOutcomes(first).filter((o) => o.type === 'aries-token-refresh');
    const [b] = readOutcomes(second).filter((o) => o.type === 'aries-token-refresh');
    expect(a.detail.accessToken).to.equal(b.detail.accessToken);
  });

  it('refuses a backend request without the CSRF header', async () => {
    const { basePath } = await createBackendClient();
    for (const route of ['token', 'refresh', 'logout']) {
      const bare = await fetch(`${basePath}/${route}`, {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(bare.status, route).to.equal(403);
      expect((await bare.json()).error).to.equal('csrf_check_failed');
    }
    const request = { method: 'POST', headers: { 'X-Requested-With': 'aries-login' } };
    await fetch(`${basePath}/logout`, request); // clears a session cookie an earlier test left
    const withHeader = await fetch(`${basePath}/refresh`, request);
    expect(withHeader.status, 'no session: 204, not an error').to.equal(204);
  });

  it('a signed-out page load asks the backend once and gets 204 (no error in the console), staying signed out', async () => {
    const { clientId, basePath } = await createBackendClient();
    await fetch(`${basePath}/logout`, { method: 'POST', headers: { 'X-Requested-With': 'aries-login' } });
    const statuses: number[] = [];
    const realFetch = window.fetch;
    window.fetch = async (...args) => {
      const response = await realFetch(...args);
      if (String(args[0]).endsWith('/refresh')) statuses.push(response.status);
      return response;
    };
    try {
      const element = await mountElement(clientId, { 'backend-url': basePath });
      await waitFor(() => statuses.length > 0, 'the restore request');
      await sleep(200);
      expect(statuses).to.deep.equal([204]);
      expect(element.tokens).to.equal(null);
      expect(element.hasAttribute('signed-in')).to.equal(false);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('Aries answering 503 during a refresh: the tab stays signed in, reports server_error, and recovers when Aries is back', async function () {
    // 12 s tokens: the refresh comes 3 s ahead of expiry, and the retry 2 s after the 503, still a second ahead of it.
    this.timeout(40_000);
    const { clientId, basePath } = await createBackendClient({ tokenLifetime: 12 });
    const element = await mountElement(clientId, { 'backend-url': basePath });
    const first = await clickToSignIn(element);
    await queueTokenFaults(clientId, [{ status: 503, body: '<h1>Service Unavailable</h1>' }]);
    const { detail } = (await oneEvent(element, 'aries-login-error')) as CustomEvent<AriesLoginErrorDetail>;
    expect(detail.code).to.equal('server_error');
    expect(element.tokens, 'still signed in').to.deep.equal(first);
    expect(element.hasAttribute('signed-in')).to.equal(true);
    const { detail: renewed } = (await oneEvent(element, 'aries-token-refresh')) as CustomEvent<AriesTokens>;
    expect(Date.now(), 'recovered before the old token expired').to.be.below(first.expiresAt);
    expect(renewed.accessToken).not.to.equal(first.accessToken);
    expect(element.tokens).to.deep.equal(renewed);
    expect((await refreshGrants(clientId)).map((r) => r.status)).to.deep.equal([503, 200]);
    element.remove();
  });

  it('two elements on one page refreshing at once: one grant at Aries, both get the new token', async function () {
    const { clientId, basePath } = await createBackendClient({ tokenLifetime: 4 });
    const one = await mountElement(clientId, { 'backend-url': basePath });
    await clickToSignIn(one);
    const two = await mountElement(clientId, { 'backend-url': basePath });
    await oneEvent(two, 'aries-login-success'); // restored from the backend's session
    const [a, b] = await Promise.all([oneEvent(one, 'aries-token-refresh'), oneEvent(two, 'aries-token-refresh')]);
    expect((a as CustomEvent<AriesTokens>).detail.accessToken).to.equal(
      (b as CustomEvent<AriesTokens>).detail.accessToken,
    );
    expect(await refreshGrants(clientId)).to.have.length(1);
    one.remove();
    two.remove();
  });
});

describe('without a backend', () => {
  it('drops an expired token, says so, and shows "Sign in" again: nothing pretends to refresh', async () => {
    const clientId = await createClient({ tokenLifetime: 2 });
    const element = await mountElement(clientId);
    const detail = await clickToSignIn(element);
    const { detail: expired } = (await oneEvent(element, 'aries-token-expired')) as CustomEvent<{ expiredAt: number }>;
    expect(expired.expiredAt).to.equal(detail.expiresAt);
    expect(Date.now()).to.be.at.least(detail.expiresAt - 5);
    expect(element.tokens).to.equal(null);
    expect(element.hasAttribute('signed-in')).to.equal(false);
    expect(buttonOf(element).textContent!.trim()).to.equal('Sign in with Aries');
    expect((await requestsOf(clientId, 'token')).map((r) => r.body.grant_type)).to.deep.equal(['code']);
  });

  it('signs out from the sign-out control: tokens dropped, aries-logout', async () => {
    const clientId = await createClient();
    const element = await mountElement(clientId, { 'sign-out': '' });
    await clickToSignIn(element);
    await element.updateComplete;
    const logout = oneEvent(element, 'aries-logout');
    element.shadowRoot!.querySelector<HTMLButtonElement>('[part=sign-out]')!.click();
    await logout;
    expect(element.tokens).to.equal(null);
    expect(element.hasAttribute('signed-in')).to.equal(false);
  });
});
