// What comes over the wire is checked as RFC 6749 says and treated as data, end to end: malformed callbacks (repeated
// parameters, empty values) end in a visible invalid_request with no token request; a page that is not the
// redirect-uri is left alone; token answers of the wrong shape end in invalid_response naming the field; error codes
// named after Object.prototype members read as words; a rate limit holds the button an hour at most. Real browsers,
// the real emulator, real popups and windows.
import { expect, oneEvent } from '@open-wc/testing';
import type { AriesLoginElement } from '../../src/aries-login-element.js';
import { errorMessages } from '../../src/error-messages.js';
import type { AriesLoginErrorDetail } from '../../src/errors.js';
import {
  buttonOf,
  callbackUrl,
  createClient,
  emulator,
  inUserGesture,
  mountElement,
  onAriesPage,
  queueTokenFaults,
  recordPopups,
  requestsOf,
  sleep,
  userClick,
  waitFor,
  type TokenFault,
} from '../helpers.js';

const messageOf = (element: AriesLoginElement) =>
  element.shadowRoot!.querySelector('[part="message"]')!.textContent!.trim();

/** The state the widget sent to the emulator's authorize page. */
const issuedState = async (clientId: string) => {
  await waitFor(async () => (await requestsOf(clientId, 'authorize')).length > 0, 'the authorize request');
  return (await requestsOf(clientId, 'authorize'))[0].body.state;
};

/** Clicks, waits for the error, and checks what the user sees: the message under a usable button. */
const signInForError = async (element: AriesLoginElement, whileWaiting?: () => Promise<void>) => {
  const successes: Event[] = [];
  element.addEventListener('aries-login-success', (e) => successes.push(e));
  const failure = oneEvent(element, 'aries-login-error');
  await userClick(buttonOf(element));
  await whileWaiting?.();
  const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
  await element.updateComplete;
  expect(typeof detail.message, 'the message is a string').to.equal('string');
  expect(messageOf(element), 'the message the user reads').to.equal(detail.message);
  expect(buttonOf(element).getAttribute('aria-busy')).to.equal('false');
  expect(successes).to.deep.equal([]);
  expect(element.tokens).to.equal(null);
  return detail;
};

describe('strict callbacks in the popup', () => {
  let recorder: ReturnType<typeof recordPopups>;
  beforeEach(() => (recorder = recordPopups()));
  afterEach(() => recorder.restore());

  const malformed: [string, (state: string) => string, string][] = [
    ['an empty code', (state) => `code=&state=${state}`, '`code` is empty'],
    ['an empty error', (state) => `error=&state=${state}`, '`error` is empty'],
    ['a repeated code', (state) => `code=first&code=second&state=${state}`, '`code` appears more than once'],
    ['a repeated state', (state) => `code=c&state=${state}&state=${state}`, '`state` appears more than once'],
    ['a repeated error', (state) => `error=access_denied&error=x&state=${state}`, '`error` appears more than once'],
  ];
  for (const [name, query, problem] of malformed) {
    it(`shows invalid_request for a callback with ${name}, sends no token request, closes the popup`, async () => {
      const clientId = await createClient({ consent: 'manual' });
      const element = await mountElement(clientId, { 'popup-timeout': '15' });
      const detail = await signInForError(element, async () => {
        const state = await issuedState(clientId);
        await onAriesPage(recorder.popups[0]!);
        recorder.popups[0]!.location.href = `${callbackUrl}?${query(state)}`;
      });
      expect(detail.code).to.equal('invalid_request');
      expect(detail.message).to.include(problem);
      await waitFor(() => recorder.popups[0]!.closed, 'the popup to close');
      expect(await requestsOf(clientId, 'token')).to.have.length(0);
    });
  }
});

describe('token answers and error codes, shown on the button', () => {
  let recorder: ReturnType<typeof recordPopups>;
  beforeEach(() => (recorder = recordPopups()));
  afterEach(() => recorder.restore());

  const valid = { access_token: 'at', token_type: 'Bearer', expires_in: 3600, scope: 'user:information' };
  const shapes: [string, Record<string, unknown>, string][] = [
    ['token_type "mac"', { ...valid, token_type: 'mac' }, 'token_type'],
    ['no token_type', { access_token: 'at', expires_in: 3600 }, 'token_type'],
    ['expires_in -100', { ...valid, expires_in: -100 }, 'expires_in'],
    ['expires_in "0x10"', { ...valid, expires_in: '0x10' }, 'expires_in'],
    ['an empty access_token', { ...valid, access_token: '' }, 'access_token'],
  ];
  for (const [name, body, field] of shapes) {
    it(`reports a 200 answer with ${name} as invalid_response naming \`${field}\``, async () => {
      const clientId = await createClient();
      await queueTokenFaults(clientId, [{ status: 200, body } as TokenFault]);
      const element = await mountElement(clientId);
      const detail = await signInForError(element);
      expect(detail.code).to.equal('invalid_response');
      expect(detail.message).to.include(`\`${field}\``);
    });
  }

  for (const code of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`shows a readable message for the Aries error code "${code}", and keeps the code`, async () => {
      const clientId = await createClient();
      await queueTokenFaults(clientId, [{ error: code }]);
      const element = await mountElement(clientId);
      const detail = await signInForError(element);
      expect(detail.code).to.equal(code);
      expect(detail.message).to.equal(errorMessages.unknown_error);
      expect(buttonOf(element).disabled).to.equal(false);
    });
  }

  it('holds a rate-limited button an hour at most, whatever X-RateLimit-Reset says', async () => {
    const clientId = await createClient();
    const fault = { status: 429, error: 'rate_limited', headers: { 'X-RateLimit-Reset': '999999999' } };
    await queueTokenFaults(clientId, [fault]);
    const element = await mountElement(clientId);
    const detail = await signInForError(element);
    expect(detail.code).to.equal('rate_limited');
    expect(detail.retryAt).to.be.within(Date.now(), Date.now() + 3_600_000);
    const seconds = Number(/^Try again in (\d+) s$/.exec(buttonOf(element).textContent!.trim())?.[1]);
    expect(seconds).to.be.within(3590, 3600);
    expect(buttonOf(element).disabled).to.equal(true);
  });
});

describe('callbacks only on the redirect-uri page', () => {
  const app = (query: Record<string, string>, extra = '') =>
    new URL(`/test/fixtures/redirect-app.html?${new URLSearchParams(query)}${extra}`, location.origin).href;
  type AppWindow = Window & { outcomes: { type: string; detail: AriesLoginErrorDetail }[] };
  const windows: Window[] = [];
  afterEach(() => windows.splice(0).forEach((w) => w.close()));
  const read = <T>(win: Window, what: (w: AppWindow) => T): T | undefined => {
    try {
      return what(win as AppWindow);
    } catch {
      return undefined;
    }
  };
  const ready = (win: Window) =>
    waitFor(
      () => read(win, (w) => w.document.readyState === 'complete' && !!w.customElements.get('aries-login')) === true,
      'the page',
    );
  const open = async (url: string) => {
    const win = (await inUserGesture(() => window.open(url, '_blank')))!;
    windows.push(win);
    await ready(win);
    return win as AppWindow;
  };
  const elementIn = (win: Window) => win.document.querySelector('aries-login') as AriesLoginElement;

  it("leaves an app page's own ?code= and ?error= alone: URL, history, relay and events untouched", async () => {
    const clientId = await createClient();
    // An answer without a state is relayed to the opener only (there is no state to name a channel after): this window.
    const relayed: unknown[] = [];
    let win: Awaited<ReturnType<typeof open>> | undefined;
    const onMessage = (event: MessageEvent) => event.source === win && relayed.push(event.data);
    window.addEventListener('message', onMessage);
    try {
      // The element's redirect-uri is another page: this one is the app's, and its parameters are its own.
      const url = app(
        { client: clientId, emulator, redirect: callbackUrl, mode: 'popup' },
        '&error=404&code=SPRING-SALE',
      );
      win = await open(url);
      const historyLength = win.history.length;
      await elementIn(win).updateComplete;
      await sleep(1500);
      expect(win.location.href).to.equal(url);
      expect(win.history.length).to.equal(historyLength);
      expect(win.outcomes).to.deep.equal([]);
      expect(relayed).to.deep.equal([]);
      expect(messageOf(elementIn(win))).to.equal('');
      expect(await requestsOf(clientId, 'token')).to.have.length(0);
    } finally {
      window.removeEventListener('message', onMessage);
    }
  });

  it('on the standalone callback page, reports a stray malformed callback with a readable message and cleans the URL', async () => {
    const clientId = await createClient();
    const win = (await inUserGesture(() =>
      window.open(`${callbackUrl}?keep=1&code=&code=x&state=stray`, '_blank'),
    ))! as AppWindow;
    windows.push(win);
    await waitFor(() => (read(win, (w) => w.outcomes?.length) ?? 0) > 0, 'the outcome', 15_000);
    const [outcome] = win.outcomes;
    expect(outcome.type).to.equal('aries-login-error');
    expect(outcome.detail.code).to.equal('missing_transaction');
    expect(outcome.detail.message).to.equal(errorMessages.missing_transaction);
    expect(win.location.search).to.equal('?keep=1');
    expect(await requestsOf(clientId, 'token')).to.have.length(0);
  });

  const redirectCases: [string, (state: string) => string, string][] = [
    ['an empty code', (state) => `&code=&state=${state}`, '`code` is empty'],
    [
      'a repeated error',
      (state) => `&error=access_denied&error=login_required&state=${state}`,
      '`error` appears more than once',
    ],
  ];
  for (const [name, query, problem] of redirectCases) {
    it(`in redirect mode, shows invalid_request for ${name} and cleans the URL`, async () => {
      const redirectUri = app({ tab: 'prices' });
      const clientId = await createClient({ redirectUris: [redirectUri], consent: 'manual' });
      const win = await open(app({ client: clientId, emulator, redirect: redirectUri, mode: 'redirect' }));
      buttonOf(elementIn(win)).click();
      const state = await issuedState(clientId);
      await onAriesPage(win);
      win.location.href = redirectUri + query(state);
      await sleep(100);
      await waitFor(() => (read(win, (w) => w.outcomes.length) ?? 0) > 0, 'the outcome', 15_000);
      const [outcome] = win.outcomes;
      expect(outcome.type).to.equal('aries-login-error');
      expect(outcome.detail.code).to.equal('invalid_request');
      expect(outcome.detail.message).to.include(problem);
      expect(win.location.href).to.equal(redirectUri);
      await elementIn(win).updateComplete;
      expect(messageOf(elementIn(win))).to.equal(outcome.detail.message);
      expect(Object.keys(win.sessionStorage).filter((k) => k.startsWith('aries-login:'))).to.deep.equal([]);
      expect(await requestsOf(clientId, 'token')).to.have.length(0);
    });
  }
});
