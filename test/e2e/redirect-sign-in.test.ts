// Redirect mode end to end: whole windows go to the emulator and back, as a tab does; callbacks complete exactly once.
import { expect } from '@open-wc/testing';
import type { AriesLoginElement } from '../../src/aries-login-element.js';
import type { AriesLoginErrorDetail } from '../../src/errors.js';
import type { AriesLoginSuccessDetail } from '../../src/events.js';
import { createClient, emulator, inUserGesture, onAriesPage, requestsOf, sleep, waitFor } from '../helpers.js';

const fixture = (query = '') => new URL(`/test/fixtures/redirect-app.html${query}`, location.origin).href;

interface Outcome {
  type: 'aries-login-success' | 'aries-login-error';
  detail: AriesLoginSuccessDetail & AriesLoginErrorDetail;
}
type AppWindow = Window & { outcomes: Outcome[]; initialUrl: string };

const windows: Window[] = [];
afterEach(() => windows.splice(0).forEach((w) => w.close()));

/** Reads from a window only while it shows one of our pages (on Aries' page, reading throws). */
const read = <T>(win: Window, what: (w: AppWindow) => T): T | undefined => {
  try {
    return what(win as AppWindow);
  } catch {
    return undefined;
  }
};

const openWindow = async (url: string) => {
  const win = (await inUserGesture(() => window.open(url, '_blank')))!;
  windows.push(win);
  await waitFor(
    () => read(win, (w) => w.document.readyState === 'complete' && !!w.customElements.get('aries-login')) === true,
    'the page',
  );
  return win as AppWindow;
};

/** An app window with one redirect-mode button for this client. */
const openApp = (clientId: string, redirectUri: string, mode = 'redirect') =>
  openWindow(fixture(`?${new URLSearchParams({ client: clientId, emulator, redirect: redirectUri, mode })}`));

const buttonIn = (win: AppWindow) =>
  (win.document.querySelector('aries-login') as AriesLoginElement).shadowRoot!.querySelector('button')!;

/** Waits for the window to come back to our origin with `count` outcomes. */
const outcomesOf = async (win: Window, count = 1) => {
  await waitFor(() => (read(win, (w) => w.outcomes.length) ?? 0) >= count, `${count} outcome(s)`, 15_000);
  return (win as AppWindow).outcomes;
};

const storedTransactions = (win: Window) => Object.keys(win.sessionStorage).filter((k) => k.startsWith('aries-login:'));

describe('redirect sign-in against the emulator', () => {
  it('signs in with a full-page redirect, returns where it started, and cleans the URL', async () => {
    const redirectUri = fixture('?elements=1&tab=prices');
    const clientId = await createClient({ redirectUris: [redirectUri] });
    const app = await openApp(clientId, redirectUri);
    const startedAt = app.location.href;
    buttonIn(app).click();
    const [outcome] = await outcomesOf(app);
    expect(outcome.type).to.equal('aries-login-success');
    expect(outcome.detail.accessToken).to.be.a('string').and.not.empty;
    expect(outcome.detail.returnTo).to.equal(startedAt);
    // code and state are gone from the address bar; other parameters stay.
    expect(app.location.href).to.equal(redirectUri);
    expect(storedTransactions(app)).to.deep.equal([]);
    expect(JSON.stringify({ ...app.sessionStorage })).not.to.include(outcome.detail.accessToken);
    const token = await requestsOf(clientId, 'token');
    expect(token).to.have.length(1);
    expect(token[0].body).to.include({ grant_type: 'code', redirect_uri: redirectUri });
  });

  it('sends no second token request when the callback page is reloaded or its URL replayed', async () => {
    const redirectUri = fixture();
    const clientId = await createClient({ redirectUris: [redirectUri] });
    const app = await openApp(clientId, redirectUri);
    buttonIn(app).click();
    await outcomesOf(app);
    const callbackUrl = app.initialUrl;
    expect(callbackUrl).to.include('code=');

    const before = read(app, (w) => w.document);
    app.location.reload();
    // The new page, not the old one still showing (a fixed pause would read the old page on a slow machine).
    await waitFor(
      () =>
        read(
          app,
          (w) => w.document !== before && w.document.readyState === 'complete' && !!w.customElements.get('aries-login'),
        ) === true,
      'reload',
    );
    await sleep(500);
    expect(app.outcomes).to.deep.equal([]);

    // The same callback URL again (a back button to it, a bookmark): its transaction is gone.
    app.location.href = callbackUrl;
    const [replayed] = await outcomesOf(app);
    expect(replayed.detail.code).to.equal('missing_transaction');
    expect(await requestsOf(clientId, 'token')).to.have.length(1);
  });

  it('exchanges once with two elements on the callback page, and each tells of the sign-in once', async () => {
    const redirectUri = fixture('?elements=2');
    const clientId = await createClient({ redirectUris: [redirectUri] });
    const app = await openApp(clientId, redirectUri);
    buttonIn(app).click();
    await outcomesOf(app);
    await sleep(500);
    // The two elements show the app's one session: each fires its events on itself.
    expect(app.outcomes.map((o) => o.type)).to.deep.equal(['aries-login-success', 'aries-login-success']);
    const elements = [...app.document.querySelectorAll('aries-login')];
    expect(elements.map((e) => e.hasAttribute('signed-in'))).to.deep.equal([true, true]);
    expect(await requestsOf(clientId, 'token')).to.have.length(1);
  });

  it('completes two tabs signing in at the same time, each with its own verifier', async () => {
    const redirectUri = fixture();
    const clientId = await createClient({ redirectUris: [redirectUri] });
    const [first, second] = await Promise.all([openApp(clientId, redirectUri), openApp(clientId, redirectUri)]);
    buttonIn(first).click();
    buttonIn(second).click();
    const [[a], [b]] = await Promise.all([outcomesOf(first), outcomesOf(second)]);
    expect([a.type, b.type]).to.deep.equal(['aries-login-success', 'aries-login-success']);
    expect(a.detail.accessToken).not.to.equal(b.detail.accessToken);
    const token = await requestsOf(clientId, 'token');
    expect(token).to.have.length(2);
    expect(token[0].body.code_verifier).not.to.equal(token[1].body.code_verifier);
  });

  it('reports a callback opened in a fresh tab as missing_transaction, with no token request', async () => {
    const clientId = await createClient();
    const win = await openWindow(fixture('?code=some-code&state=some-state'));
    const [outcome] = await outcomesOf(win);
    expect(outcome.type).to.equal('aries-login-error');
    expect(outcome.detail.code).to.equal('missing_transaction');
    expect(outcome.detail.message).to.be.a('string').and.not.empty;
    expect(win.location.search).to.equal('');
    expect(await requestsOf(clientId, 'token')).to.have.length(0);
  });

  it('refuses a state never issued in this tab as state_mismatch, leaving its real sign-in pending', async () => {
    const redirectUri = fixture();
    const clientId = await createClient({ redirectUris: [redirectUri], consent: 'manual' });
    const app = await openApp(clientId, redirectUri);
    buttonIn(app).click();
    await onAriesPage(app);
    app.location.href = fixture('?code=stolen&state=forged');
    const [outcome] = await outcomesOf(app);
    expect(outcome.detail.code).to.equal('state_mismatch');
    expect(storedTransactions(app)).to.have.length(1);
    expect(await requestsOf(clientId, 'token')).to.have.length(0);
  });

  it('reports a denial as access_denied', async () => {
    const redirectUri = fixture();
    const clientId = await createClient({ redirectUris: [redirectUri], consent: 'deny' });
    const app = await openApp(clientId, redirectUri);
    buttonIn(app).click();
    const [outcome] = await outcomesOf(app);
    expect(outcome.detail.code).to.equal('access_denied');
    expect(storedTransactions(app)).to.deep.equal([]);
    expect(await requestsOf(clientId, 'token')).to.have.length(0);
  });

  it('refuses an expired transaction as expired_transaction and sweeps stale ones', async () => {
    const redirectUri = fixture();
    const clientId = await createClient({ redirectUris: [redirectUri] });
    const app = await openApp(clientId, redirectUri);
    // A sign-in this tab started eleven minutes ago, as it would be stored, and an unreadable leftover.
    const state = 'x'.repeat(43);
    const startedAt = Date.now() - 11 * 60_000;
    const tokenUrl = `${emulator}/v1/oauth2/token`;
    const aged = { state, codeVerifier: 'v'.repeat(43), clientId, redirectUri, tokenUrl, createdAt: startedAt };
    app.sessionStorage.setItem(`aries-login:${state}`, JSON.stringify(aged));
    app.sessionStorage.setItem('aries-login:stale', '{not json');
    app.location.href = `${redirectUri}?code=late&state=${state}`;
    await sleep(100);
    const [outcome] = await outcomesOf(app);
    expect(outcome.detail.code).to.equal('expired_transaction');
    expect(storedTransactions(app)).to.deep.equal([]);
    expect(await requestsOf(clientId, 'token')).to.have.length(0);
  });

  it('does nothing on a page whose URL has no OAuth parameters', async () => {
    const win = await openWindow(fixture('?elements=2&page=3'));
    await sleep(700);
    expect(win.outcomes).to.deep.equal([]);
    expect(win.location.search).to.equal('?elements=2&page=3');
  });

  it('completes on a callback page without a button (the standalone module)', async () => {
    const redirectUri = new URL('/test/fixtures/callback.html', location.origin).href;
    const clientId = await createClient({ redirectUris: [redirectUri] });
    const app = await openApp(clientId, redirectUri);
    buttonIn(app).click();
    const [outcome] = await outcomesOf(app);
    expect(outcome.type).to.equal('aries-login-success');
    expect(app.location.pathname).to.equal('/test/fixtures/callback.html');
    expect(app.location.search).to.equal('');
  });

  it('falls back to a redirect when the popup is blocked, in mode="auto"', async () => {
    const redirectUri = fixture();
    const clientId = await createClient({ redirectUris: [redirectUri] });
    const app = await openApp(clientId, redirectUri, 'auto');
    (app as Window).open = () => null; // what a popup blocker returns
    const errors: string[] = [];
    app.document.addEventListener('aries-login-error', (e) => errors.push((e as CustomEvent).detail.code));
    buttonIn(app).click();
    expect(errors).to.deep.equal([]);
    const [outcome] = await outcomesOf(app);
    expect(outcome.type).to.equal('aries-login-success');
  });
});
