// The redirect-uri page's side of a sign-in, without the element: Aries' answer taken out of the URL and redeemed here
// (a redirect sign-in of this tab, at the real emulator) or relayed to the sign-in that waits for it (a popup's), once;
// refused when nobody waits, given up at a transaction's lifetime.
import { expect } from '@open-wc/testing';
import type { AriesLoginError } from '../src/errors.js';
import type { AppWindow } from '../src/popup-channel.js';
import { relayCallback } from '../src/relay-callback.js';
import { relayLabels } from '../src/relay-labels.js';
import { TRANSACTION_LIFETIME, saveTransaction } from '../src/transaction-store.js';
import { createTransaction } from '../src/transaction.js';
import { holdWaitingLock, waitingLockName } from '../src/waiting-lock.js';
import { authorizeAtEmulator, blankPageUrl, createBlankPageClient, emulatorConfig } from './emulator-code.js';
import { inUserGesture, requestsOf, waitFor } from './helpers.js';

const options = { redirectUri: blankPageUrl, requestTimeout: 10 };
/** The token exchange's loader, counting its loads: a popup's answer needs none of it. */
function loader() {
  const loads = { count: 0 };
  const load = () => {
    loads.count++;
    return import('../src/redeem-callback.js');
  };
  return { load, loads };
}

const frames: HTMLIFrameElement[] = [];
afterEach(() => frames.splice(0).forEach((frame) => frame.remove()));
/** A page of this origin at `url`, in a frame: this tab's session storage, and no popup blocker. */
async function pageAt(url: string): Promise<AppWindow> {
  const frame = document.createElement('iframe');
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = url;
  document.body.append(frame);
  frames.push(frame);
  await loaded;
  return frame.contentWindow as AppWindow;
}

const storedKeys = () => Object.keys(sessionStorage).filter((key) => key.startsWith('aries-login:'));
const freshState = () => `state-${crypto.randomUUID()}`;

/** Holds the waiting lock of `state`, as the page of a popup sign-in that waits for it does, until `release()`. */
async function aSignInWaits(state: string) {
  let release!: () => void;
  const name = await waitingLockName(crypto, state);
  holdWaitingLock(window, name, new Promise<void>((resolve) => (release = resolve)));
  await waitFor(
    async () => !!(await navigator.locks.query()).held?.some((lock) => lock.name === name),
    'the waiting lock',
  );
  return release;
}

/** Records what the channel named `name` carries. */
function listen(name: string) {
  const channel = new BroadcastChannel(name);
  const heard: unknown[] = [];
  channel.onmessage = ({ data }: MessageEvent) => heard.push(data);
  return { channel, heard };
}

const failure = (running: Promise<unknown>) =>
  running.then(
    () => expect.fail('resolved'),
    (error: AriesLoginError) => error,
  );

describe('relayCallback', () => {
  beforeEach(() => storedKeys().forEach((key) => sessionStorage.removeItem(key)));

  const untouched: [string, string, string | undefined][] = [
    ['another page of the app, with its own ?code=', `${blankPageUrl}?code=c&state=s`, `${location.origin}/callback`],
    ['the redirect-uri page without an answer in its URL', `${blankPageUrl}?tab=prices`, blankPageUrl],
    ['an element without a redirect-uri', `${blankPageUrl}?code=c&state=s`, undefined],
  ];
  for (const [name, url, redirectUri] of untouched) {
    it(`${name}: resolves with nothing, and does nothing (URL, storage, no exchange loaded)`, async () => {
      const transaction = { ...createTransaction(crypto, emulatorConfig('app'), Date.now()), state: 's' };
      saveTransaction(sessionStorage, transaction);
      const page = await pageAt(url);
      const { load, loads } = loader();
      expect(await relayCallback(page, { redirectUri, requestTimeout: 10 }, load)).to.equal(undefined);
      expect(page.location.href).to.equal(url);
      expect(loads.count).to.equal(0);
      expect(storedKeys()).to.deep.equal(['aries-login:s']);
    });
  }

  it('a redirect sign-in of this tab: its transaction taken, the exchange loaded, the code redeemed once at Aries; the tokens and where it started', async () => {
    const clientId = await createBlankPageClient();
    const { transaction, params } = await authorizeAtEmulator(emulatorConfig(clientId));
    saveTransaction(sessionStorage, { ...transaction, returnTo: `${location.origin}/app/#prices` });
    const page = await pageAt(`${blankPageUrl}?${params}`);
    const { load, loads } = loader();
    const signedIn = await relayCallback(page, options, load);
    expect(signedIn).to.include({ tokenType: 'Bearer', returnTo: `${location.origin}/app/#prices` });
    expect(signedIn!.accessToken).to.be.a('string').and.not.equal('');
    expect(loads.count).to.equal(1);
    expect(page.location.href, 'the code left the URL').to.equal(blankPageUrl);
    expect(storedKeys(), 'the transaction left storage').to.deep.equal([]);
    // Run again on that page (a second element, a framework mounting twice): nothing left to redeem.
    expect(await relayCallback(page, options, load)).to.equal(undefined);
    const token = await requestsOf(clientId, 'token');
    expect(token.map((request) => request.body.code)).to.deep.equal([params.get('code')]);
  });

  it('a popup’s answer a sign-in waits for: to its opener and on its state’s channel only; not taken within a second, "Return to the app…"; taken, the window closes', async () => {
    const state = freshState();
    const release = await aSignInWaits(state);
    const popup = (await inUserGesture(() => window.open(`${blankPageUrl}?code=c&state=${state}`, '_blank')))!;
    await waitFor(() => popup.document?.readyState === 'complete' && popup.location.search !== '', 'the popup’s page');
    const own = listen(`aries-login:callback:${state}`);
    const others = ['aries-login', 'aries-login:callback', `aries-login:callback:${freshState()}`].map(listen);
    const toOpener: unknown[] = [];
    // Posted by this page's script (it runs the popup's relay), so the event's source is this window: its origin tells.
    const onMessage = (event: MessageEvent) => event.origin === location.origin && toOpener.push(event.data);
    window.addEventListener('message', onMessage);
    const notices: string[] = [];
    const { load, loads } = loader();
    try {
      const relay = relayCallback(popup as AppWindow, options, load, (english) => notices.push(english));
      await waitFor(() => notices.length > 0, 'the notice');
      expect(notices).to.deep.equal([relayLabels.returnToApp]);
      const answer = { type: 'aries-login:callback', state, code: 'c' };
      expect(own.heard[0]).to.include(answer);
      expect(toOpener[0]).to.include(answer);
      own.channel.postMessage({ type: 'aries-login:ack', state });
      expect(await relay).to.equal(undefined);
      await waitFor(() => popup.closed, 'the window closed');
      expect(loads.count).to.equal(0);
      expect(notices, 'told once').to.have.length(1);
      expect(others.flatMap(({ heard }) => heard)).to.deep.equal([]);
    } finally {
      window.removeEventListener('message', onMessage);
      [own, ...others].forEach(({ channel }) => channel.close());
      popup.close();
      release();
    }
  });

  it('passes a malformed answer on as it is, with why, for the sign-in that waits to report', async () => {
    const state = freshState();
    const release = await aSignInWaits(state);
    const own = listen(`aries-login:callback:${state}`);
    try {
      const page = await pageAt(`${blankPageUrl}?code=&code=x&state=${state}`);
      const relay = relayCallback(page, options, loader().load);
      await waitFor(() => own.heard.length > 0, 'the relayed answer');
      expect(own.heard[0]).to.include({ state, code: '' });
      expect((own.heard[0] as { invalid: string }).invalid).to.include('`code` appears more than once');
      own.channel.postMessage({ type: 'aries-login:ack', state });
      expect(await relay).to.equal(undefined);
    } finally {
      own.channel.close();
      release();
    }
  });

  const unclaimed: [string, string, string, boolean][] = [
    ['no sign-in in this tab', 'missing_transaction', '?code=c&state=nobody-waits', false],
    ['this tab has a sign-in of its own (forged or replayed)', 'state_mismatch', '?code=c&state=nobody-waits', true],
    ['no state at all', 'state_mismatch', '?code=c', false],
  ];
  for (const [name, code, query, ownSignIn] of unclaimed) {
    it(`an answer nobody waits for, ${name}: ${code} after the grace, the URL cleaned, no exchange`, async () => {
      if (ownSignIn) saveTransaction(sessionStorage, createTransaction(crypto, emulatorConfig('app'), Date.now()));
      const page = await pageAt(`${blankPageUrl}${query}`);
      const { load, loads } = loader();
      expect((await failure(relayCallback(page, options, load))).code).to.equal(code);
      expect(page.location.href).to.equal(blankPageUrl);
      expect(loads.count).to.equal(0);
    });
  }

  it('waited for but never taken: given up at a transaction’s lifetime with expired_transaction', async () => {
    const state = freshState();
    const release = await aSignInWaits(state);
    const page = await pageAt(`${blankPageUrl}?code=c&state=${state}`);
    // The page as it is, but its clock runs the relay's 10-minute limit in a second and a half.
    const limits: number[] = [];
    const fastPage = {
      location: page.location,
      history: page.history,
      sessionStorage: page.sessionStorage,
      navigator: page.navigator,
      crypto: page.crypto,
      opener: null,
      BroadcastChannel: page.BroadcastChannel,
      setInterval: page.setInterval.bind(page),
      clearInterval: page.clearInterval.bind(page),
      clearTimeout: page.clearTimeout.bind(page),
      setTimeout: (run: () => void, ms: number, ...args: unknown[]) => {
        limits.push(ms);
        return page.setTimeout(run, ms === TRANSACTION_LIFETIME ? 1500 : ms, ...args);
      },
      close: () => expect.fail('closed'),
    } as unknown as AppWindow;
    const notices: string[] = [];
    try {
      const error = await failure(relayCallback(fastPage, options, loader().load, (english) => notices.push(english)));
      expect(error.code).to.equal('expired_transaction');
      expect(limits).to.deep.equal([TRANSACTION_LIFETIME]);
      expect(notices).to.deep.equal([relayLabels.returnToApp]);
    } finally {
      release();
    }
  });

  it('without session storage (a popup that may not use it): the answer is still relayed, and taken', async () => {
    const state = freshState();
    const release = await aSignInWaits(state);
    const own = listen(`aries-login:callback:${state}`);
    own.channel.onmessage = ({ data }: MessageEvent) =>
      data?.type === 'aries-login:callback' && own.channel.postMessage({ type: 'aries-login:ack', state });
    const page = await pageAt(`${blankPageUrl}?code=c&state=${state}`);
    let closed = 0;
    const noStorage = Object.create(null, {
      sessionStorage: {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      },
    });
    for (const name of ['location', 'history', 'navigator', 'crypto', 'BroadcastChannel'] as const) {
      noStorage[name] = page[name];
    }
    for (const name of ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const) {
      noStorage[name] = page[name].bind(page);
    }
    noStorage.close = () => closed++;
    try {
      expect(await relayCallback(noStorage as AppWindow, options, loader().load)).to.equal(undefined);
      expect(closed).to.equal(1);
    } finally {
      own.channel.close();
      release();
    }
  });
});
