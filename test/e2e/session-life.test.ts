// A session's life against the emulator and the reference backend, in real windows: a page frozen or asleep past
// expiry, tokens on demand, an element moved mid-sign-in, two apps on one origin, a tab signed in elsewhere, and the
// warning before a session ends.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { getAccessToken, type AriesLoginElement } from '../../src/aries-login-element.js';
import { AppSessions, type Member } from '../../src/app-sessions.js';
import type { AriesTokenExpiringDetail } from '../../src/events.js';
import type { AppWindow } from '../../src/popup-channel.js';
import type { AriesTokens } from '../../src/token-client.js';
import {
  buttonOf,
  callbackUrl,
  clickToSignIn,
  createBackendClient,
  createClient,
  emulator,
  inUserGesture,
  mountElement,
  onAriesPage,
  recordPopups,
  refreshGrants,
  requestsOf,
  skipBecause,
  sleep,
  updateClient,
  userClick,
  waitFor,
} from '../helpers.js';

let recorder: ReturnType<typeof recordPopups>;
const windows: Window[] = [];
beforeEach(() => (recorder = recordPopups()));
afterEach(() => {
  recorder.restore();
  windows.splice(0).forEach((w) => w.close());
});

/** Past the grace an app's session is kept after its last element leaves (a frame and a task; a second at most). */
const pastTheGrace = () => sleep(1_100);

/** Counts this page's requests to the backend's `/refresh`. */
function countRefreshes() {
  const realFetch = window.fetch;
  const seen = { count: 0, restore: () => (window.fetch = realFetch) };
  window.fetch = (...args) => {
    if (String(args[0] instanceof Request ? args[0].url : args[0]).endsWith('/refresh')) seen.count++;
    return realFetch(...args);
  };
  return seen;
}

/**
 * Another tab of the app: the fixture app page, with `query`'s settings, once its element is there; named, so that the
 * CDP freeze can find it.
 */
async function openTab(query: Record<string, string>) {
  const name = `tab-${Math.random().toString(36).slice(2)}`;
  const url = `/test/fixtures/redirect-app.html?${new URLSearchParams({ ...query, emulator, name })}`;
  const tab = (await inUserGesture(() => window.open(url)))! as Window & {
    outcomes: { type: string; detail: AriesTokens }[];
  };
  windows.push(tab);
  await waitFor(() => {
    try {
      return !!tab.document.querySelector('aries-login')?.shadowRoot?.querySelector('button, [part=status]');
    } catch {
      return false;
    }
  }, 'the other tab');
  return { tab, name, element: tab.document.querySelector('aries-login') as AriesLoginElement };
}

/** Whether the test runner can freeze a window (Chromium's DevTools protocol); else the test is skipped, saying so. */
async function canFreeze(context: Mocha.Context) {
  if (!(await executeServerCommand<boolean, { probe: true }>('freeze-page', { probe: true }))) {
    skipBecause(context, 'freezing a page takes Chromium’s DevTools protocol; the held-timer test covers this browser');
  }
}

describe('a page away past expiry', () => {
  it('frozen (Chromium, through CDP) past expiry, a tab holds no expired token on resuming, and refreshes then (backend)', async function () {
    await canFreeze(this);
    this.timeout(40_000);
    // 10 s tokens: the tab, signed in from the backend a few seconds in, refreshes a quarter of their life ahead.
    const { clientId, basePath } = await createBackendClient({ tokenLifetime: 10 });
    const element = await mountElement(clientId, { 'backend-url': basePath });
    await clickToSignIn(element);
    const { tab, name, element: tabElement } = await openTab({ client: clientId, backend: basePath });
    await waitFor(() => tab.outcomes.some((o) => o.type === 'aries-login-success'), 'the tab signed in');
    const restored = tabElement.tokens!;
    // This page's element leaves (and its session, after the grace): only the tab refreshes from here on.
    element.remove();
    const refreshes = () => tab.outcomes.filter((o) => o.type === 'aries-token-refresh').length;
    const before = refreshes();
    // The tab frozen from now until a second past expiry: no timer, task or event runs in it meanwhile.
    const ms = restored.expiresAt - Date.now() + 1_000;
    expect(await executeServerCommand<boolean, { url: string; ms: number }>('freeze-page', { url: name, ms })).to.equal(
      true,
    );
    const held = tabElement.tokens;
    expect(held === null || held.expiresAt > Date.now(), 'no expired token, the first thing read').to.equal(true);
    let refreshedAt = 0;
    await waitFor(() => {
      refreshedAt ||= refreshes() > before ? Date.now() : 0;
      return !!refreshedAt;
    }, 'the refresh');
    expect(refreshedAt, 'refreshed once it resumed (frozen until after expiry)').to.be.at.least(restored.expiresAt);
    const renewed = tabElement.tokens!;
    expect(renewed.accessToken).not.to.equal(restored.accessToken);
    expect(renewed.expiresAt).to.be.above(Date.now());
  });

  it('frozen (Chromium, through CDP) past expiry without a backend: a tab drops the token as it resumes', async function () {
    await canFreeze(this);
    const clientId = await createClient({ tokenLifetime: 3 });
    const { tab, name, element } = await openTab({ client: clientId, mode: 'popup', redirect: callbackUrl });
    await userClick(buttonOf(element));
    await waitFor(() => tab.outcomes.some((o) => o.type === 'aries-login-success'), 'the tab signed in');
    const tokens = element.tokens!;
    const ms = tokens.expiresAt - Date.now() + 500;
    expect(await executeServerCommand<boolean, { url: string; ms: number }>('freeze-page', { url: name, ms })).to.equal(
      true,
    );
    expect(element.tokens, 'dropped, the first thing read').to.equal(null);
    await waitFor(() => tab.outcomes.some((o) => o.type === 'aries-token-expired'), 'aries-token-expired');
    expect(element.hasAttribute('signed-in')).to.equal(false);
  });

  it('asleep past expiry (every browser: its timers held), back on the page it holds no expired token and refreshes at once (backend)', async function () {
    this.timeout(40_000);
    // 10 s tokens: the backend hands out its token as it is for their first 5 s, the element refreshes 2.5 s ahead.
    const { clientId, basePath } = await createBackendClient({ tokenLifetime: 10 });
    // Signed in for real: the backend's session cookie is in the browser. The element then leaves, and its session.
    const element = await mountElement(clientId, { 'backend-url': basePath });
    await clickToSignIn(element);
    element.remove();
    await pastTheGrace();
    // The app's session on a window whose timers never run, as on a laptop asleep (its events are the page's own).
    const requests: string[] = [];
    const asleep = Object.create(window, {
      setTimeout: { value: () => 0 },
      clearTimeout: { value: () => {} },
      fetch: { value: (url: string, init?: RequestInit) => (requests.push(url), window.fetch(url, init)) },
      document: { value: document },
      navigator: { value: navigator },
    }) as AppWindow;
    for (const name of ['requestAnimationFrame', 'cancelAnimationFrame', 'addEventListener', 'removeEventListener']) {
      Object.defineProperty(asleep, name, {
        value: (window as unknown as Record<string, (...args: unknown[]) => unknown>)[name].bind(window),
      });
    }
    const heard: string[] = [];
    const member: Member = {
      notice: 0,
      renewed: (_, signedIn) => heard.push(signedIn ? 'signed-in' : 'refreshed'),
      troubled: (error) => heard.push(error.code),
      ended: (reason) => heard.push(`ended ${String(reason)}`),
      expiring: () => heard.push('expiring'),
      signedInElsewhere: () => heard.push('elsewhere'),
    };
    const backendUrl = new URL(basePath, location.href).href;
    const app = new AppSessions().join(asleep, { clientId, backendUrl, tokenUrl: '', requestTimeout: 10_000 }, member);
    try {
      await waitFor(() => heard.includes('signed-in'), 'the session restored from the backend');
      const restored = app.session.tokens!;
      await waitFor(() => Date.now() > restored.expiresAt + 200, 'expiry, with every timer held');
      expect(requests, 'asleep: nothing ran').to.have.length(1);
      expect(app.session.tokens, 'no expired token').to.equal(null);
      // The user comes back to the tab.
      window.dispatchEvent(new Event('focus'));
      await waitFor(() => heard.includes('refreshed'), 'the refresh');
      expect(requests).to.have.length(2);
      expect(app.session.tokens!.expiresAt).to.be.above(Date.now());
      expect(await refreshGrants(clientId)).to.have.length(1);
    } finally {
      app.leave(member);
    }
  });
});

describe('getAccessToken', () => {
  it('refreshes a token about to expire first, and serves concurrent callers (here and in another tab) with one refresh', async function () {
    this.timeout(40_000);
    // 20 s tokens: the backend refreshes at Aries past half their life (10 s), the element's timer 5 s ahead of expiry.
    const { clientId, basePath } = await createBackendClient({ tokenLifetime: 20 });
    const element = await mountElement(clientId, { 'backend-url': basePath });
    const first = await clickToSignIn(element);
    // Another tab of the app: it takes the backend's session on load.
    const { tab, element: tabElement } = await openTab({ client: clientId, backend: basePath });
    await waitFor(() => tab.outcomes.some((o) => o.type === 'aries-login-success'), 'the other tab signed in');
    await waitFor(() => Date.now() > first.expiresAt - 9_000, 'the token past half its life', 20_000);
    const refreshes = countRefreshes();
    try {
      const answers = await Promise.all([
        element.getAccessToken(),
        getAccessToken({ clientId }),
        element.getAccessToken({ minValidity: 15 }),
        tabElement.getAccessToken(),
      ]);
      expect(new Set(answers).size, 'one token for every caller').to.equal(1);
      expect(answers[0]).not.to.equal(first.accessToken);
      expect(refreshes.count, 'one request from this page').to.equal(1);
      expect(await refreshGrants(clientId), 'one refresh at Aries, for both tabs').to.have.length(1);
      expect(element.tokens!.accessToken).to.equal(answers[0]);
      // A token that lasts long enough is handed out as it is.
      expect(await element.getAccessToken({ minValidity: 5 })).to.equal(answers[0]);
      expect(refreshes.count).to.equal(1);
    } finally {
      refreshes.restore();
    }
  });

  it('without a backend: the token while it lasts long enough; login_required when it would not, or signed out', async () => {
    const clientId = await createClient({ tokenLifetime: 60 });
    const element = await mountElement(clientId);
    const signedOut = await element.getAccessToken().catch((error: { code: string; message: string }) => error);
    expect(signedOut).to.include({ code: 'login_required' });
    expect((signedOut as { message: string }).message).to.match(/not signed in/);
    const tokens = await clickToSignIn(element);
    expect(await element.getAccessToken()).to.equal(tokens.accessToken);
    expect(await getAccessToken({ clientId, minValidity: 50 })).to.equal(tokens.accessToken);
    const tooShort = await element.getAccessToken({ minValidity: 120 }).catch((error: { code: string }) => error);
    expect(tooShort).to.include({ code: 'login_required' });
    expect(element.tokens, 'still signed in').to.deep.equal(tokens);
  });
});

describe('one session per app', () => {
  it('a re-parented element keeps its popup and its session: moved mid-sign-in, it signs in', async () => {
    const clientId = await createClient({ consent: 'manual' });
    const element = await mountElement(clientId);
    const errors: string[] = [];
    element.addEventListener('aries-login-error', (e) => errors.push(e.detail.code));
    const success = oneEvent(element, 'aries-login-success');
    await userClick(buttonOf(element));
    const popup = recorder.popups[0]!;
    await onAriesPage(popup);
    // A framework moves it (a portal, a responsive header): out of the page and back in, in one task.
    const elsewhere = document.createElement('div');
    document.body.append(elsewhere);
    elsewhere.append(element);
    await pastTheGrace();
    expect(popup.closed, 'the popup stays open').to.equal(false);
    // The user approves at Aries (the same authorize request, answered at once this time).
    const [authorize] = await requestsOf(clientId, 'authorize');
    await updateClient(clientId, { consent: 'approve' });
    popup.location.href = `${emulator}/oauth2/authorize?${new URLSearchParams(authorize.body)}`;
    const { detail } = (await success) as CustomEvent<AriesTokens>;
    expect(detail.accessToken).to.be.a('string');
    expect(errors).to.deep.equal([]);
    // Moved again, signed in: the session stays, and nothing is told again.
    const told: string[] = [];
    element.addEventListener('aries-login-success', () => told.push('again'));
    document.body.append(element);
    await pastTheGrace();
    expect(element.tokens).to.deep.equal(detail);
    expect(element.hasAttribute('signed-in')).to.equal(true);
    expect(told).to.deep.equal([]);
    elsewhere.remove();
    element.remove();
  });

  it('two elements of one app show one session, each telling of it; removing every one ends it after the grace', async () => {
    const clientId = await createClient({ tokenLifetime: 600 });
    const one = await mountElement(clientId);
    const two = await mountElement(clientId);
    const heard: string[] = [];
    one.addEventListener('aries-login-success', () => heard.push('one'));
    two.addEventListener('aries-login-success', () => heard.push('two'));
    await clickToSignIn(one);
    await two.updateComplete;
    expect(heard.sort()).to.deep.equal(['one', 'two']);
    expect(two.tokens).to.deep.equal(one.tokens);
    expect(two.shadowRoot!.querySelector('[part=status]')).to.not.equal(null);
    // Hidden (not removed), the session goes on.
    one.hidden = true;
    two.hidden = true;
    await pastTheGrace();
    expect(two.tokens).to.not.equal(null);
    one.remove();
    two.remove();
    await pastTheGrace();
    const again = await mountElement(clientId);
    await sleep(200);
    expect(again.tokens, 'the session ended with its last element').to.equal(null);
  });

  it('two apps on one origin do not sign each other out', async () => {
    const [a, b] = await Promise.all([createClient(), createClient()]);
    const one = await mountElement(a);
    const two = await mountElement(b);
    await clickToSignIn(one);
    const twoTokens = await clickToSignIn(two);
    const logouts: string[] = [];
    two.addEventListener('aries-logout', () => logouts.push('two'));
    await one.signOut();
    await sleep(500);
    expect(one.tokens).to.equal(null);
    expect(logouts).to.deep.equal([]);
    expect(two.tokens).to.deep.equal(twoTokens);
    expect(two.hasAttribute('signed-in')).to.equal(true);
  });

  it('backend mode: a sign-in in one tab reaches another without a reload, and a new sign-in replaces the session there', async () => {
    const { clientId, basePath } = await createBackendClient();
    const { tab, element: tabElement } = await openTab({ client: clientId, backend: basePath });
    // Its restore (waited for here) found no session: signed out.
    const signedOut = await tabElement.getAccessToken().catch((error: { code: string }) => error);
    expect(signedOut).to.include({ code: 'login_required' });
    expect(tab.outcomes).to.deep.equal([]);
    const element = await mountElement(clientId, { 'backend-url': basePath });
    const first = await clickToSignIn(element);
    await waitFor(() => tab.outcomes.length === 1, 'the sign-in in the other tab');
    expect(tab.outcomes[0]).to.deep.include({ type: 'aries-login-success' });
    expect(tabElement.tokens!.accessToken).to.equal(first.accessToken);
    expect(tabElement.hasAttribute('signed-in')).to.equal(true);
    // Signed in again here (another user, say): the other tab takes the new session.
    const again = (await inUserGesture(() => [element.signIn()]))[0];
    const second = (await again)!;
    expect(second.accessToken).not.to.equal(first.accessToken);
    await waitFor(() => tab.outcomes.length === 2, 'the new session in the other tab');
    expect(tab.outcomes[1]).to.deep.include({ type: 'aries-login-success' });
    expect(tabElement.tokens!.accessToken).to.equal(second.accessToken);
    expect(
      (await requestsOf(clientId, 'authorize')).filter((r) => r.method === 'GET'),
      'no popup there',
    ).to.have.length(2);
  });

  it('without a backend, a signed-out tab shows that the app is signed in in another tab; no token crosses', async () => {
    const clientId = await createClient({ tokenLifetime: 600 });
    const element = await mountElement(clientId);
    const { tab, element: tabElement } = await openTab({ client: clientId, mode: 'popup' });
    // The pointer comes near its button: it fetches the flow, which listens to the app's other tabs.
    buttonOf(tabElement).dispatchEvent(new PointerEvent('pointerenter'));
    await waitFor(() => !!tab.document.querySelector('link[rel=preconnect]'), 'the flow in the other tab');
    await clickToSignIn(element);
    await waitFor(() => tabElement.hasAttribute('signed-in-elsewhere'), 'signed-in-elsewhere');
    await tabElement.updateComplete;
    const notice = tabElement.shadowRoot!.querySelector('[part=notice]')!;
    expect(notice.textContent).to.equal('Signed in with Aries in another tab');
    expect(notice.getAttribute('role')).to.equal('status');
    expect(tabElement.tokens).to.equal(null);
    expect(buttonOf(tabElement).textContent!.trim(), 'it can still sign in itself').to.equal('Sign in with Aries');
    expect(tab.outcomes).to.deep.equal([]);
    await element.signOut();
    await waitFor(() => !tabElement.hasAttribute('signed-in-elsewhere'), 'signed out everywhere');
  });
});

describe('aries-token-expiring', () => {
  it('fires once, at its lead time before a token nothing renews expires, and the element warns', async () => {
    const clientId = await createClient({ tokenLifetime: 7 });
    const element = await mountElement(clientId, { 'expiring-notice': '4' });
    const heard: { at: number; detail: AriesTokenExpiringDetail }[] = [];
    element.addEventListener('aries-token-expiring', (e) => heard.push({ at: Date.now(), detail: e.detail }));
    const tokens = await clickToSignIn(element);
    await oneEvent(element, 'aries-token-expiring');
    await element.updateComplete;
    const notice = element.shadowRoot!.querySelector('[part=notice]')!;
    expect(notice.getAttribute('role')).to.equal('status');
    expect(notice.textContent).to.match(/^Your session ends in 0:0[1-4]$/);
    expect(element.shadowRoot!.querySelector('[part=stay-signed-in]')!.textContent).to.equal('Stay signed in');
    await oneEvent(element, 'aries-token-expired');
    expect(heard).to.have.length(1);
    expect(heard[0].detail).to.deep.equal({ expiresAt: tokens.expiresAt, reason: 'token' });
    expect(heard[0].at, 'not before its lead time').to.be.at.least(tokens.expiresAt - 4_000);
    expect(heard[0].at, 'before the end').to.be.below(tokens.expiresAt);
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part=notice]'), 'gone with the session').to.equal(null);
  });

  it('"Stay signed in" signs in again, and the warning goes; prevented, the element leaves the warning to the page', async () => {
    // Tokens that live less than the lead time: the warning comes at once.
    const clientId = await createClient({ tokenLifetime: 30 });
    const element = await mountElement(clientId, { 'expiring-notice': '60' });
    const first = await clickToSignIn(element);
    const stayButton = () => element.shadowRoot!.querySelector<HTMLButtonElement>('[part=stay-signed-in]');
    await waitFor(() => !!stayButton(), 'the warning');
    const success = oneEvent(element, 'aries-login-success');
    await userClick(stayButton()!);
    const { detail } = (await success) as CustomEvent<AriesTokens>;
    expect(detail.accessToken).not.to.equal(first.accessToken);
    expect(element.tokens).to.deep.equal(detail);
    // The page takes the warning over.
    element.addEventListener('aries-token-expiring', (e) => e.preventDefault());
    await element.signOut();
    await element.updateComplete;
    expect(stayButton()).to.equal(null);
    const prevented = oneEvent(element, 'aries-token-expiring');
    await clickToSignIn(element);
    expect(((await prevented) as CustomEvent<AriesTokenExpiringDetail>).defaultPrevented).to.equal(true);
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part=notice]')).to.equal(null);
    expect(stayButton()).to.equal(null);
  });

  it('backend mode: before the backend’s own session ends, once, whatever the refreshes', async function () {
    this.timeout(30_000);
    // The backend's sessions end 9 s after sign-in; its tokens live 4 s and are refreshed.
    const { clientId, basePath } = await createBackendClient({ tokenLifetime: 4, absoluteTimeout: 9_000 });
    const element = await mountElement(clientId, { 'backend-url': basePath, 'expiring-notice': '3' });
    const heard: { at: number; detail: AriesTokenExpiringDetail }[] = [];
    element.addEventListener('aries-token-expiring', (e) => heard.push({ at: Date.now(), detail: e.detail }));
    const signedInAt = Date.now();
    await clickToSignIn(element);
    // The backend's session began between the click and the signed-in state (a loaded machine may take seconds).
    const signedInBy = Date.now();
    await oneEvent(element, 'aries-token-refresh');
    const { detail } = (await oneEvent(element, 'aries-token-expiring')) as CustomEvent<AriesTokenExpiringDetail>;
    expect(detail.reason).to.equal('session');
    // session_expires_in is whole seconds: a second's slack either way.
    expect(detail.expiresAt).to.be.within(signedInAt + 8_000, signedInBy + 10_000);
    expect(heard[0].at).to.be.at.least(detail.expiresAt - 3_000);
    await oneEvent(element, 'aries-login-error');
    expect(element.tokens, 'the backend ended it').to.equal(null);
    expect(heard).to.have.length(1);
  });
});
