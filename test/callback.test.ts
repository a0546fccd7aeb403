// The standalone callback page (aries-login/callback.js, no button) as an app publishes it at its redirect-uri: what it
// does with Aries' answer in its URL, seen in the page (test/fixtures/callback.html records what it fires): a redirect
// sign-in of this tab redeemed at the real emulator, a popup's answer handed to the sign-in that waits for it, a
// malformed or unclaimed one reported, and "Return to the app…" while the sign-in it answers has not taken it.
import { expect } from '@open-wc/testing';
import { errorMessages } from '../src/error-messages.js';
import type { AriesLoginErrorDetail } from '../src/events.js';
import { saveTransaction } from '../src/transaction-store.js';
import { holdWaitingLock, waitingLockName } from '../src/waiting-lock.js';
import de from '../src/i18n/de.js';
import { authorizeAtEmulator, createBlankPageClient, emulatorConfig } from './emulator-code.js';
import { callbackUrl, inUserGesture, requestsOf, waitFor } from './helpers.js';

type Outcome = { type: string; detail: AriesLoginErrorDetail & Record<string, unknown> };
type CallbackPage = Window & { outcomes: Outcome[]; settled?: boolean };

const frames: HTMLIFrameElement[] = [];
const windows: Window[] = [];
afterEach(() => {
  frames.splice(0).forEach((frame) => frame.remove());
  windows.splice(0).forEach((win) => win.close());
});

/** The callback page at `query`, in a frame: this tab's session storage, as after a full-page redirect. */
async function callbackPageAt(query: string) {
  const frame = document.createElement('iframe');
  frame.src = `${callbackUrl}${query}`;
  document.body.append(frame);
  frames.push(frame);
  const page = frame.contentWindow as CallbackPage;
  await waitFor(() => !!page.outcomes && page.location.href !== 'about:blank', 'the callback page');
  return page;
}

/** Resolves once the page is done with its callback: its outcome fired, or none to come. */
const settled = (page: CallbackPage) => waitFor(() => !!page.settled, 'the page settled', 15_000);
const noticeOf = (page: Window) => page.document.querySelector('p[role="status"]')?.textContent ?? null;

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

const storedKeys = () => Object.keys(sessionStorage).filter((key) => key.startsWith('aries-login:'));
const freshState = () => `state-${crypto.randomUUID()}`;

describe('the callback page (callback.js)', () => {
  beforeEach(() => storedKeys().forEach((key) => sessionStorage.removeItem(key)));

  it('a redirect sign-in of this tab: the code redeemed once at Aries, aries-login-success with the tokens and where it started, the URL cleaned', async () => {
    const clientId = await createBlankPageClient();
    const { transaction, params } = await authorizeAtEmulator(emulatorConfig(clientId));
    saveTransaction(sessionStorage, { ...transaction, returnTo: `${location.origin}/app/#prices` });
    const page = await callbackPageAt(`?${params}`);
    await settled(page);
    expect(page.outcomes.map(({ type }) => type)).to.deep.equal(['aries-login-success']);
    expect(page.outcomes[0].detail).to.include({ tokenType: 'Bearer', returnTo: `${location.origin}/app/#prices` });
    expect(page.outcomes[0].detail.accessToken).to.be.a('string').and.not.equal('');
    expect(page.location.href).to.equal(callbackUrl);
    expect(storedKeys()).to.deep.equal([]);
    expect(noticeOf(page)).to.equal(null);
    const token = await requestsOf(clientId, 'token');
    expect(token.map((request) => request.body.code)).to.deep.equal([params.get('code')]);
  });

  it('a malformed answer to this tab’s redirect sign-in: aries-login-error invalid_request saying why, no token request, the URL cleaned', async () => {
    const clientId = await createBlankPageClient();
    const { transaction, params } = await authorizeAtEmulator(emulatorConfig(clientId));
    saveTransaction(sessionStorage, transaction);
    const page = await callbackPageAt(`?${params}&code=another`);
    await settled(page);
    expect(page.outcomes.map(({ type, detail }) => [type, detail.code])).to.deep.equal([
      ['aries-login-error', 'invalid_request'],
    ]);
    expect(page.outcomes[0].detail.message).to.include('`code` appears more than once');
    expect(page.location.href).to.equal(callbackUrl);
    expect(storedKeys()).to.deep.equal([]);
    expect(await requestsOf(clientId, 'token')).to.deep.equal([]);
  });

  it('an answer no sign-in waits for: aries-login-error missing_transaction with its readable message, no notice', async () => {
    const page = await callbackPageAt(`?code=c&state=${freshState()}`);
    await settled(page);
    expect(page.outcomes.map(({ type }) => type)).to.deep.equal(['aries-login-error']);
    expect(page.outcomes[0].detail).to.include({
      code: 'missing_transaction',
      message: errorMessages.missing_transaction,
    });
    expect(noticeOf(page)).to.equal(null);
  });

  it('no answer in its URL (the page visited as it is): nothing fired, nothing shown', async () => {
    const page = await callbackPageAt('?tab=prices');
    await settled(page);
    expect(page.outcomes).to.deep.equal([]);
    expect(noticeOf(page)).to.equal(null);
    expect(page.location.href).to.equal(`${callbackUrl}?tab=prices`);
  });

  it('a popup’s answer the sign-in has not taken after a second: "Return to the app to finish signing in." in a status; taken, the window closes, nothing fired', async () => {
    const state = freshState();
    const release = await aSignInWaits(state);
    const channel = new BroadcastChannel(`aries-login:callback:${state}`);
    try {
      const popup = (await inUserGesture(() => window.open(`${callbackUrl}?code=c&state=${state}`, '_blank')))!;
      windows.push(popup);
      await waitFor(() => noticeOf(popup) === 'Return to the app to finish signing in.', 'the notice');
      expect((popup as CallbackPage).outcomes).to.deep.equal([]);
      channel.postMessage({ type: 'aries-login:ack', state });
      await waitFor(() => popup.closed, 'the window closed');
    } finally {
      channel.close();
      release();
    }
  });

  it('the notice in the page’s language (German here); the waiting sign-in gone before it took the answer: the notice gives way to the error', async () => {
    const state = freshState();
    const release = await aSignInWaits(state);
    let page: CallbackPage;
    try {
      page = await callbackPageAt(`?lang=de&code=c&state=${state}`);
      await waitFor(() => noticeOf(page) === de.returnToApp, 'the notice in German');
    } finally {
      release();
    }
    await settled(page);
    expect(page.outcomes.map(({ type, detail }) => [type, detail.code])).to.deep.equal([
      ['aries-login-error', 'missing_transaction'],
    ]);
    expect(noticeOf(page)).to.equal(null);
  });
});
