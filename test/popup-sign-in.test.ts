// The popup sign-in without the element, against the real emulator: in a window a person's click opened (blank, or
// straight at a sign-in prepared before the click), from Aries' answer to tokens; how it ends otherwise; its window
// closed and its waiting lock released however it ends.
import { expect } from '@open-wc/testing';
import { prepareSignIn } from '../src/authorize-url.js';
import type { AriesLoginError } from '../src/errors.js';
import { createCodeChallenge } from '../src/pkce.js';
import { runPopupSignIn, type PopupSignInOptions } from '../src/popup-sign-in.js';
import { waitingLockName } from '../src/waiting-lock.js';
import { createBlankPageClient, emulatorConfig } from './emulator-code.js';
import { inUserGesture, onAriesPage, queueTokenFaults, requestsOf, waitFor } from './helpers.js';

const deps = { window, crypto, fetch: window.fetch.bind(window) };

/** The options of a sign-in, recording when its exchange began (and whether its window was closed by then). */
function optionsOf(overrides: Partial<PopupSignInOptions> = {}) {
  const exchanges: { windowClosed: boolean }[] = [];
  let popup: Window | undefined;
  const options: PopupSignInOptions = {
    popupTimeout: 60_000,
    requestTimeout: 10_000,
    signal: new AbortController().signal,
    onCallback: () => void exchanges.push({ windowClosed: !!popup?.closed }),
    ...overrides,
  };
  return { options, exchanges, watch: (win: Window) => (popup = win) };
}

/** A window opened by a person's click, as the element opens it in the click's own task (blank unless `url`). */
const openWindow = async (url = '') => (await inUserGesture(() => window.open(url, '_blank')))!;

/** The state the sign-in sent to the emulator's authorize page. */
const issuedState = async (clientId: string) => {
  await waitFor(async () => (await requestsOf(clientId, 'authorize')).length > 0, 'the authorize request');
  return (await requestsOf(clientId, 'authorize'))[0].body.state;
};

/**
 * Resolves after `count` ticks of a 250 ms interval in this page: the sign-in's own poll of its window (four a second)
 * has run as often by then, however the browser throttles this page's timers (Firefox runs them once a second while
 * the sign-in's window has the focus).
 */
const pollTicks = (count: number) =>
  new Promise<void>((resolve) => {
    const ticking = setInterval(() => --count || (clearInterval(ticking), resolve()), 250);
  });

const isHeld = async (name: string) => ((await navigator.locks.query()).held ?? []).some((lock) => lock.name === name);

const failure = (running: Promise<unknown>) =>
  running.then(
    () => expect.fail('resolved'),
    (error: AriesLoginError) => error,
  );

describe('runPopupSignIn', () => {
  it('a blank window: sent to Aries with its transaction’s S256 challenge, the code exchanged once with that verifier, the window closed before the exchange', async () => {
    const clientId = await createBlankPageClient();
    const popup = await openWindow();
    const { options, exchanges, watch } = optionsOf();
    watch(popup);
    const tokens = await runPopupSignIn(deps, popup, emulatorConfig(clientId), options);
    expect(tokens).to.include({ tokenType: 'Bearer', scope: 'user:information' });
    expect(tokens.accessToken).to.be.a('string').and.not.equal('');
    expect(popup.closed, 'the window is closed').to.equal(true);
    expect(exchanges, 'the exchange began once, its window closed by then').to.deep.equal([{ windowClosed: true }]);
    const [authorize] = await requestsOf(clientId, 'authorize');
    const token = await requestsOf(clientId, 'token');
    expect(token).to.have.length(1);
    expect(authorize.body).to.include({
      code_challenge_method: 'S256',
      redirect_uri: emulatorConfig(clientId).redirectUri,
    });
    expect(authorize.body.code_challenge).to.equal(await createCodeChallenge(crypto, token[0].body.code_verifier));
  });

  it('a sign-in prepared before the click: its window, opened at its URL, is not sent to Aries again, and its own transaction is redeemed', async () => {
    const clientId = await createBlankPageClient();
    const prepared = await prepareSignIn(crypto, emulatorConfig(clientId), Date.now());
    const popup = await openWindow(prepared.url);
    const tokens = await runPopupSignIn(deps, popup, emulatorConfig(clientId), optionsOf().options, prepared);
    expect(tokens).to.include({ tokenType: 'Bearer' });
    expect(popup.closed).to.equal(true);
    const authorize = (await requestsOf(clientId, 'authorize')).filter((request) => request.method === 'GET');
    expect(authorize.map((request) => request.body.state)).to.deep.equal([prepared.transaction.state]);
    const token = await requestsOf(clientId, 'token');
    expect(token.map((request) => request.body.code_verifier)).to.deep.equal([prepared.transaction.codeVerifier]);
  });

  it('holds its waiting lock while it waits at Aries; abandoned: the abort reason, the window closed, the lock released, no exchange', async () => {
    const clientId = await createBlankPageClient({ consent: 'manual' });
    const popup = await openWindow();
    const abort = new AbortController();
    const { options, exchanges } = optionsOf({ signal: abort.signal });
    const running = runPopupSignIn(deps, popup, emulatorConfig(clientId), options);
    const lock = await waitingLockName(crypto, await issuedState(clientId));
    await waitFor(() => isHeld(lock), 'the waiting lock');
    await onAriesPage(popup);
    const reason = new Error('the element left the page');
    abort.abort(reason);
    expect(await failure(running)).to.equal(reason);
    expect(popup.closed, 'the window is closed').to.equal(true);
    await waitFor(async () => !(await isHeld(lock)), 'the lock released');
    expect(exchanges).to.deep.equal([]);
    expect(await requestsOf(clientId, 'token')).to.deep.equal([]);
  });

  it('the person closes the window on Aries’ page: popup_closed, no exchange begun, the lock released', async () => {
    const clientId = await createBlankPageClient({ consent: 'manual' });
    const popup = await openWindow();
    const { options, exchanges } = optionsOf();
    const running = runPopupSignIn(deps, popup, emulatorConfig(clientId), options);
    const lock = await waitingLockName(crypto, await issuedState(clientId));
    await onAriesPage(popup);
    await pollTicks(3); // the sign-in saw its window on Aries' page twice: the window is the person's to close now
    popup.close();
    expect((await failure(running)).code).to.equal('popup_closed');
    await waitFor(async () => !(await isHeld(lock)), 'the lock released');
    expect(exchanges).to.deep.equal([]);
    expect(await requestsOf(clientId, 'token')).to.deep.equal([]);
  });

  it('Aries’ refusal (the person denied): access_denied, the window closed, no exchange begun, no token request', async () => {
    const clientId = await createBlankPageClient({ consent: 'deny' });
    const popup = await openWindow();
    const { options, exchanges } = optionsOf();
    expect((await failure(runPopupSignIn(deps, popup, emulatorConfig(clientId), options))).code).to.equal(
      'access_denied',
    );
    expect(popup.closed).to.equal(true);
    expect(exchanges).to.deep.equal([]);
    expect(await requestsOf(clientId, 'token')).to.deep.equal([]);
  });

  it('no answer within popupTimeout: popup_timeout, and the window closed', async () => {
    const clientId = await createBlankPageClient({ consent: 'manual' });
    const popup = await openWindow();
    const { options } = optionsOf({ popupTimeout: 1500 });
    expect((await failure(runPopupSignIn(deps, popup, emulatorConfig(clientId), options))).code).to.equal(
      'popup_timeout',
    );
    expect(popup.closed).to.equal(true);
  });

  it('a token request Aries refuses: its code, after the exchange began; the window closed', async () => {
    const clientId = await createBlankPageClient();
    await queueTokenFaults(clientId, [{ error: 'invalid_grant', status: 400 }]);
    const popup = await openWindow();
    const { options, exchanges } = optionsOf();
    expect((await failure(runPopupSignIn(deps, popup, emulatorConfig(clientId), options))).code).to.equal(
      'invalid_grant',
    );
    expect(exchanges).to.have.length(1);
    expect(popup.closed).to.equal(true);
    expect(await requestsOf(clientId, 'token')).to.have.length(1);
  });
});
