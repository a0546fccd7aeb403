// Phones end to end, in real windows against the emulator: the app's page suspended while the popup (a tab of its own
// there) comes back with the answer, and `mode="auto"` on a touch-only device sending the tab to Aries instead.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { AriesLoginElement } from '../../src/aries-login-element.js';
import type { AriesTokens } from '../../src/token-client.js';
import {
  buttonOf,
  callbackUrl,
  createClient,
  emulator,
  inUserGesture,
  onAriesPage,
  recordPopups,
  requestsOf,
  skipBecause,
  sleep,
  updateClient,
  userClick,
  waitFor,
} from '../helpers.js';

type AppTab = Window & { outcomes: { type: string; detail: AriesTokens & { code?: string } }[] };

const windows: Window[] = [];
afterEach(() => windows.splice(0).forEach((w) => w.close()));

const fixture = (query: Record<string, string> = {}) => {
  const url = new URL('/test/fixtures/redirect-app.html', location.origin);
  url.search = new URLSearchParams(query).toString();
  return url.href;
};

/** Reads from a window only while it shows one of our pages (on Aries' page, reading throws). */
const read = <T>(win: Window, what: (w: AppTab) => T): T | undefined => {
  try {
    return what(win as AppTab);
  } catch {
    return undefined;
  }
};

/** Another tab of the app (the fixture page with `query`'s settings), named in its address for the CDP commands. */
async function openTab(query: Record<string, string>) {
  const name = `phone-${Math.random().toString(36).slice(2)}`;
  const tab = (await inUserGesture(() => window.open(fixture({ ...query, emulator, name }))))! as AppTab;
  windows.push(tab);
  await waitFor(
    () => !!read(tab, (w) => w.document.querySelector('aries-login')?.shadowRoot?.querySelector('button')),
    'the app tab',
  );
  return { tab, name, element: tab.document.querySelector('aries-login') as AriesLoginElement };
}

/**
 * Puts the app's tab to sleep as a phone does with the page the user left, in every engine: while asleep, its timers
 * do not fire (a timeout that came due runs on waking) and the messages sent to it (its window's, its channels') are
 * lost. Waking fires `focus` on it, as the user coming back does.
 */
function sleepable(tab: AppTab) {
  const win = tab as unknown as typeof globalThis;
  let asleep = false;
  const due: (() => void)[] = [];
  const { setInterval, setTimeout, BroadcastChannel } = win;
  win.setInterval = ((handler: () => void, ms?: number) =>
    setInterval.call(win, () => asleep || handler(), ms)) as typeof win.setInterval;
  win.setTimeout = ((handler: () => void, ms?: number) =>
    setTimeout.call(win, () => (asleep ? due.push(handler) : handler()), ms)) as typeof win.setTimeout;
  win.addEventListener('message', (event) => asleep && event.stopImmediatePropagation(), true);
  win.BroadcastChannel = class extends BroadcastChannel {
    constructor(name: string) {
      super(name);
      this.addEventListener('message', (event) => asleep && event.stopImmediatePropagation());
    }
  };
  return {
    sleep: () => (asleep = true),
    wake() {
      asleep = false;
      due.splice(0).forEach((handler) => handler());
      win.dispatchEvent(new Event('focus'));
    },
  };
}

describe('a phone: the app page suspended while the popup is a tab', () => {
  const callbackPages = [
    {
      page: 'the standalone callback module, in English',
      redirect: callbackUrl,
      notice: (w: Window) => w.document.querySelector('[role=status]')?.textContent,
      expected: 'Return to the app to finish signing in.',
    },
    {
      page: 'an <aries-login>, in the page’s language',
      redirect: new URL('/test/fixtures/element-callback.html?lang=de', location.origin).href,
      notice: (w: Window) =>
        w.document.querySelector('aries-login')?.shadowRoot?.querySelector('[part=notice]')?.textContent,
      expected: 'Kehren Sie zur App zurück, um die Anmeldung abzuschließen.',
    },
  ];
  for (const { page, redirect, notice: noticeIn, expected } of callbackPages) {
    it(`signs in when the opener sleeps (every engine: its timers held, its messages lost) from before the approval until well after the callback; a callback page with ${page} asks the user back`, async function () {
      this.timeout(30_000);
      const clientId = await createClient({ consent: 'manual', redirectUris: [redirect] });
      const { tab, element } = await openTab({ client: clientId, mode: 'popup', redirect });
      const phone = sleepable(tab);
      const popups = recordPopups(tab);
      await userClick(buttonOf(element));
      await waitFor(() => popups.popups.length > 0, 'the popup');
      const popup = popups.popups[0]!;
      await onAriesPage(popup);
      // The user is in the Aries tab: the app's tab sleeps. They approve (the same authorize request, answered at once
      // this time), and the popup comes back to the callback page, whose messages the sleeping tab does not get.
      phone.sleep();
      const [authorize] = await requestsOf(clientId, 'authorize');
      await updateClient(clientId, { consent: 'approve' });
      popup.location.href = `${emulator}/oauth2/authorize?${new URLSearchParams(authorize.body)}`;
      // The callback page keeps the answer (a sign-in holds its lock) and asks the user back to the app.
      let notice: string | undefined;
      await waitFor(() => {
        notice = read(popup, (w) => noticeIn(w) ?? undefined);
        return !!notice;
      }, '"Return to the app" on the callback page');
      expect(notice).to.equal(expected);
      // Longer than a relay that does not know a sign-in waits would last (1.5 s).
      await sleep(2_500);
      expect(popup.closed, 'the callback page still waits').to.equal(false);
      expect(tab.outcomes, 'nothing yet').to.deep.equal([]);
      expect(await requestsOf(clientId, 'token'), 'no exchange while asleep').to.have.length(0);
      // The user comes back to the app: it takes the answer at once, the code is exchanged once, the popup closes.
      phone.wake();
      await waitFor(() => tab.outcomes.length > 0, 'the outcome');
      expect(tab.outcomes.map((o) => o.type)).to.deep.equal(['aries-login-success']);
      expect(tab.outcomes[0].detail.accessToken).to.be.a('string');
      await waitFor(() => popup.closed, 'the popup closed');
      expect(await requestsOf(clientId, 'token')).to.have.length(1);
      popups.restore();
    });
  }

  it('signs in when the opener is frozen (Chromium, through CDP) from before the approval until after the callback', async function () {
    if (!(await executeServerCommand<boolean, { probe: true }>('freeze-page', { probe: true }))) {
      skipBecause(
        this,
        'freezing a page takes Chromium’s DevTools protocol; the sleeping-opener test covers this browser',
      );
    }
    this.timeout(30_000);
    const clientId = await createClient({ consent: 'manual' });
    const { tab, name, element } = await openTab({ client: clientId, mode: 'popup', redirect: callbackUrl });
    const popups = recordPopups(tab);
    await userClick(buttonOf(element));
    await waitFor(() => popups.popups.length > 0, 'the popup');
    const popup = popups.popups[0]!;
    await onAriesPage(popup);
    // The Page Lifecycle events say when the tab froze and resumed (fired by the freeze itself, in the tab).
    const lifecycle: string[] = [];
    tab.document.addEventListener('freeze', () => lifecycle.push('frozen'));
    tab.document.addEventListener('resume', () => lifecycle.push('resumed'));
    // Chromium freezes the tab as it does a background one: timers and tasks held (its messages are still delivered).
    const thawed = executeServerCommand<boolean, { url: string; ms: number }>('freeze-page', { url: name, ms: 4_000 });
    await waitFor(() => lifecycle.includes('frozen'), 'the app tab frozen');
    const [authorize] = await requestsOf(clientId, 'authorize');
    await updateClient(clientId, { consent: 'approve' });
    popup.location.href = `${emulator}/oauth2/authorize?${new URLSearchParams(authorize.body)}`;
    await waitFor(() => read(popup, (w) => w.location.pathname) === '/test/fixtures/callback.html', 'the callback');
    expect(await requestsOf(clientId, 'token'), 'no exchange while frozen').to.have.length(0);
    expect(await thawed).to.equal(true);
    expect(lifecycle).to.deep.equal(['frozen', 'resumed']);
    await waitFor(() => tab.outcomes.length > 0, 'the outcome');
    expect(tab.outcomes.map((o) => o.type)).to.deep.equal(['aries-login-success']);
    expect(tab.outcomes[0].detail.accessToken).to.be.a('string');
    await waitFor(() => popup.closed, 'the popup closed');
    expect(await requestsOf(clientId, 'token')).to.have.length(1);
    popups.restore();
  });
});

describe('mode="auto" on a touch-only device', () => {
  it('sends the tab to Aries instead of opening a popup (Chromium touch emulation, through CDP), and signs in', async function () {
    if (!(await executeServerCommand<boolean, { probe: true }>('emulate-touch', { probe: true }))) {
      skipBecause(this, 'emulating a touch-only device takes Chromium’s DevTools protocol');
    }
    this.timeout(30_000);
    // The fixture page is the callback page too: the tab comes back to it, which finishes the redirect's sign-in.
    const redirectUri = fixture();
    const clientId = await createClient({ redirectUris: [redirectUri] });
    const { tab, name, element } = await openTab({ client: clientId, mode: 'auto', redirect: redirectUri });
    expect(await executeServerCommand<boolean, { url: string }>('emulate-touch', { url: name })).to.equal(true);
    // What the element reads: a coarse pointer that cannot hover, and no fine one.
    expect(tab.matchMedia('(pointer: coarse)').matches, 'coarse').to.equal(true);
    expect(tab.matchMedia('(hover: none)').matches, 'no hover').to.equal(true);
    expect(tab.matchMedia('(any-pointer: fine)').matches, 'no fine pointer').to.equal(false);
    const popups = recordPopups(tab);
    await userClick(buttonOf(element));
    await waitFor(() => (read(tab, (w) => w.outcomes.length) ?? 0) > 0, 'the tab back from Aries', 15_000);
    expect(popups.popups, 'no popup opened').to.have.length(0);
    expect(tab.outcomes.map((o) => o.type)).to.deep.equal(['aries-login-success']);
    expect(tab.location.href, 'back on the callback page, its URL clean').to.equal(redirectUri);
    const token = await requestsOf(clientId, 'token');
    expect(token).to.have.length(1);
    expect(token[0].body).to.include({ redirect_uri: redirectUri });
  });
});
