// The sign-in a click started, without the element: in the window the click opened (a real popup at the emulator), or
// by sending the tab to Aries when there is none; what it tells of its steps.
import { expect } from '@open-wc/testing';
import type { AriesLoginError } from '../src/errors.js';
import { runSignIn, type SignInStep } from '../src/run-sign-in.js';
import { takeTransaction } from '../src/transaction-store.js';
import { createBlankPageClient, emulatorConfig } from './emulator-code.js';
import { inUserGesture, requestsOf, waitFor } from './helpers.js';

const options = (steps: SignInStep[], signal = new AbortController().signal) => ({
  popupTimeout: 60_000,
  requestTimeout: 10_000,
  signal,
  onStep: (step: SignInStep) => void steps.push(step),
});
/** A blank window opened by a person's click, as the element opens it in the click's own task. */
const openWindow = async () => (await inUserGesture(() => window.open('', '_blank')))!;

describe('runSignIn', () => {
  it('no window: the tab is sent to Aries, its transaction kept for the callback, and it resolves with nothing', async () => {
    const config = emulatorConfig('redirect-app');
    const assigned: string[] = [];
    const tab = {
      sessionStorage,
      crypto,
      location: { href: `${location.origin}/app/`, assign: (url: string) => assigned.push(url) },
    } as unknown as Window & typeof globalThis;
    const steps: SignInStep[] = [];
    expect(await runSignIn(tab, config, { popup: null, ...options(steps) })).to.equal(undefined);
    expect(assigned).to.have.length(1);
    const state = new URL(assigned[0]).searchParams.get('state')!;
    expect(takeTransaction(sessionStorage, state, Date.now())).to.include({
      state,
      returnTo: `${location.origin}/app/`,
    });
    expect(steps).to.deep.equal([]);
  });

  it('a window: the sign-in runs in it at Aries, says when it is exchanging, and resolves with the tokens', async () => {
    const clientId = await createBlankPageClient();
    const popup = await openWindow();
    const steps: SignInStep[] = [];
    const tokens = await runSignIn(window, emulatorConfig(clientId), { popup, ...options(steps) });
    expect(tokens).to.include({ tokenType: 'Bearer', scope: 'user:information' });
    expect(steps).to.deep.equal(['exchanging']);
    expect(popup.closed, 'the window is closed').to.equal(true);
    expect(await requestsOf(clientId, 'token')).to.have.length(1);
  });

  it('the token request goes through the page’s fetch as it is when the request is made (a wrapper added later sees it)', async () => {
    const clientId = await createBlankPageClient();
    const popup = await openWindow();
    const original = window.fetch;
    const seen: string[] = [];
    const running = runSignIn(window, emulatorConfig(clientId), { popup, ...options([]) });
    // The page wraps fetch after the sign-in started (an app's monitoring, say).
    window.fetch = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return original.call(window, input, init);
    };
    try {
      await running;
    } finally {
      window.fetch = original;
    }
    expect(seen).to.deep.equal([emulatorConfig(clientId).tokenUrl]);
  });

  it('a window closed before Aries showed in it: says it is gone, and ends with the reason when abandoned', async () => {
    const popup = await openWindow();
    popup.close();
    const steps: SignInStep[] = [];
    const abort = new AbortController();
    const running = runSignIn(window, emulatorConfig('gone-app'), { popup, ...options(steps, abort.signal) });
    await waitFor(() => steps.includes('gone'), 'the gone step');
    expect(steps).to.deep.equal(['gone']);
    const reason = new Error('replaced by a fresh sign-in');
    abort.abort(reason);
    expect(await running.catch((error: AriesLoginError) => error)).to.equal(reason);
  });
});
