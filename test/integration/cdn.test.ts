// The CDN file on a plain page (no bundler, no import map), signing in against the emulator, and beside the npm build.
import { expect } from '@open-wc/testing';
import { createClient as createEmulatorClient } from '../emulator-control.js';
import { inUserGesture, userClick } from '../user-gesture.js';
import { createClient, emulator, profileName, trackPopups, waitFor, type AriesTokens } from './support.js';

const fixtures = new URL('/test/integration/fixtures/', location.origin);

/** Loads a fixture page in a frame of this origin and returns its window. */
async function openPage(path: string) {
  const frame = document.createElement('iframe');
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = new URL(path, fixtures).href;
  document.body.append(frame);
  await loaded;
  return frame.contentWindow as Window & Record<string, unknown>;
}

afterEach(() => document.body.replaceChildren());

describe('CDN file on a plain page', () => {
  it('signs in with the built cdn/aries-login.min.js and its callback file, tokens in the page’s listener', async () => {
    const clientId = await createClient(new URL('cdn-callback.html', fixtures).href);
    const page = await openPage(`cdn.html?${new URLSearchParams({ client: clientId, emulator })}`);
    const popups = trackPopups(page);
    try {
      const button = await waitFor(
        () => page.document.querySelector('aries-login')?.shadowRoot?.querySelector('button'),
        'the CDN element to render',
      );
      await userClick(button);
      const status = page.document.getElementById('status')!;
      await waitFor(() => status.textContent !== 'Not signed in', 'the page to hear the outcome');
      const received = page.received as AriesTokens[];
      expect(status.textContent).to.equal(`Signed in with ${received[0]?.scope}`);
      expect(received).to.have.length(1);
      expect(received[0].scope).to.equal('user:information account:information');
      expect(await profileName(received[0])).to.equal('Ada Lovelace');
      await waitFor(() => popups.popups[0]?.closed, 'the popup to close itself');
    } finally {
      popups.restore();
    }
  });

  it('reports a failure in the event and under the button', async () => {
    const page = await openPage(`cdn.html?${new URLSearchParams({ client: ' ', emulator })}`);
    const element = await waitFor(
      () => page.document.querySelector('aries-login')?.shadowRoot && page.document.querySelector('aries-login'),
      'the CDN element',
    );
    element.shadowRoot!.querySelector('button')!.click();
    const status = page.document.getElementById('status')!;
    await waitFor(() => status.textContent !== 'Not signed in', 'the page to hear the outcome');
    expect(status.textContent).to.equal('Failed: invalid_config');
    const message = await waitFor(
      () => element.shadowRoot!.querySelector('[part="message"]'),
      'the message under the button',
    );
    expect(message.textContent).to.include('client-id');
  });
});

describe('CDN file whose flow cannot be fetched', () => {
  const cases: [string, string][] = [
    ['a valid configuration (the popup opens, then closes)', 'demo-spa'],
    ['a configuration mistake (its sentence lives in the missing file)', ' '],
  ];
  for (const [name, client] of cases) {
    it(`ends the first click in load_failed, with ${name}; the button works again`, async () => {
      const page = await openPage(`cdn-without-flow.html?${new URLSearchParams({ client, emulator })}`);
      const popups = trackPopups(page);
      try {
        const element = await waitFor(
          () =>
            page.document.querySelector('aries-login')?.shadowRoot?.querySelector('button') &&
            page.document.querySelector('aries-login'),
          'the CDN element',
        );
        const errors = page.received as { code: string; message: string }[];
        for (const attempt of [1, 2]) {
          const button = element.shadowRoot!.querySelector('button')!;
          await userClick(button);
          await waitFor(() => errors.length === attempt, `the error of attempt ${attempt}`);
          expect(errors[attempt - 1]).to.include({
            code: 'load_failed',
            message: 'Sign-in could not load. Check your connection and try again.',
          });
          await waitFor(
            () => element.shadowRoot!.querySelector('button')?.getAttribute('aria-busy') === 'false',
            'the button to be idle',
          );
          expect(element.shadowRoot!.querySelector('button')!.disabled).to.equal(false);
          expect(element.shadowRoot!.querySelector('[part="message"]')!.textContent).to.equal(
            errors[attempt - 1].message,
          );
          // Closed before the error: a window already on its way to Aries (prepared on screen) reads closed a moment later.
          await waitFor(() => popups.popups.every((popup) => popup.closed), 'the window closed').catch((e) => {
            const where = (w: Window) => {
              try {
                return w.location.href;
              } catch {
                return 'cross-origin';
              }
            };
            throw new Error(
              `${e.message}: attempt ${attempt}, ${popups.popups.length} popups: ${popups.popups.map((w) => `${w.closed}@${where(w)}`).join(', ')}`,
            );
          });
        }
        expect(popups.popups).to.have.length(client === ' ' ? 0 : 2);
      } finally {
        popups.restore();
      }
    });
  }
});

describe('CDN element on its redirect-uri page: what the callback fetches', () => {
  type Outcome = { type: string; detail: { code?: string; access_token?: string; scope?: string } };
  type ElementPage = Window & { outcomes?: Outcome[] };
  const windows: Window[] = [];
  afterEach(() => windows.splice(0).forEach((w) => w.close()));

  /** A fresh `/cdn-logged/<id>/` prefix: its files are never cached, and the server logs each one fetched there. */
  const loggedPrefix = (name: string) =>
    new URL(`/cdn-logged/${name}-${Math.random().toString(36).slice(2)}/`, location.origin).href;
  const requestsAt = async (prefix: string): Promise<string[]> => (await fetch(`${prefix}requests`)).json();
  const read = <T>(win: Window, what: (w: ElementPage) => T): T | undefined => {
    try {
      return what(win as ElementPage);
    } catch {
      return undefined; // on Aries' page
    }
  };

  /** Starts a sign-in from the element's page under `app`, whose callback is the same page under `callback`. */
  async function startSignIn(mode: 'popup' | 'redirect', { coop = false } = {}) {
    const app = loggedPrefix('app');
    const callback = loggedPrefix('callback');
    const redirect = `${callback}cdn-element.html`;
    const clientId = await createEmulatorClient({ redirectUris: [redirect], coop });
    const url = `${app}cdn-element.html?${new URLSearchParams({ client: clientId, emulator, redirect, mode })}`;
    const win = (await inUserGesture(() => window.open(url, '_blank')))!;
    windows.push(win);
    const button = await waitFor(
      () => read(win, (w) => w.document.querySelector('aries-login')?.shadowRoot?.querySelector('button')),
      'the CDN element on the app page',
    );
    const popups = trackPopups(win);
    await userClick(button);
    return { win, callback, popups };
  }

  it('finishes a popup sign-in without the flow on the callback page (the opener reads the answer first, or the relay file hands it over)', async () => {
    const { win, callback, popups } = await startSignIn('popup');
    try {
      const outcomes = await waitFor(() => read(win, (w) => w.outcomes?.length && w.outcomes), 'the sign-in');
      expect(outcomes.map((o) => o.type)).to.deep.equal(['aries-login-success']);
      expect(outcomes[0].detail.scope).to.equal('user:information account:information');
      await waitFor(() => popups.popups[0]?.closed, 'the popup to be closed');
      const fetched = await requestsAt(callback);
      expect(fetched[0]).to.equal('cdn-element.html');
      expect(fetched.filter((file) => /flow/.test(file))).to.deep.equal([], String(fetched));
    } finally {
      popups.restore();
    }
  });

  it('relays a popup’s answer with the relay file alone when COOP severed the link: never the flow', async () => {
    const { win, callback, popups } = await startSignIn('popup', { coop: true });
    try {
      const outcomes = await waitFor(() => read(win, (w) => w.outcomes?.length && w.outcomes), 'the sign-in');
      expect(outcomes.map((o) => o.type)).to.deep.equal(['aries-login-success']);
      // The opener cannot read a severed window: the answer came from the callback page, through the channel.
      const fetched = await requestsAt(callback);
      expect(fetched.some((file) => /^aries-login-relay-[\w-]+\.min\.js$/.test(file))).to.equal(true, String(fetched));
      expect(fetched).to.include('aries-login.min.js');
      expect(fetched.filter((file) => /flow/.test(file))).to.deep.equal([]);
    } finally {
      popups.restore();
    }
  });

  it('fetches the flow on a redirect sign-in’s callback, which exchanges the code itself', async () => {
    const { win, callback, popups } = await startSignIn('redirect');
    try {
      const outcomes = await waitFor(
        () =>
          read(win, (w) => w.location.pathname.includes('/cdn-logged/callback-') && w.outcomes?.length && w.outcomes),
        'the sign-in to end on the callback page',
      );
      expect(outcomes.map((o) => o.type)).to.deep.equal(['aries-login-success']);
      expect(read(win, (w) => w.location.search)).to.equal('');
      const fetched = await requestsAt(callback);
      expect(fetched.filter((file) => /^aries-login-(relay|flow)-[\w-]+\.min\.js$/.test(file)).length).to.equal(
        2,
        String(fetched),
      );
      expect(popups.popups).to.have.length(0);
    } finally {
      popups.restore();
    }
  });
});

describe('CDN element on its callback page whose relay file cannot be fetched', () => {
  it('reports load_failed with a readable message', async () => {
    const prefix = new URL(`/cdn-logged/without-relay-${Math.random().toString(36).slice(2)}/`, location.origin).href;
    const win = (await inUserGesture(() =>
      window.open(`${prefix}cdn-element.html?code=abc&state=xyz`, '_blank'),
    ))! as Window & {
      outcomes?: { type: string; detail: { code: string; message: string } }[];
    };
    try {
      const outcomes = await waitFor(() => win.outcomes?.length && win.outcomes, 'the outcome');
      expect(outcomes).to.deep.equal([
        {
          type: 'aries-login-error',
          detail: { code: 'load_failed', message: 'Sign-in could not load. Check your connection and try again.' },
        },
      ]);
      const fetched: string[] = await (await fetch(`${prefix}requests`)).json();
      expect(fetched.some((file) => file.startsWith('aries-login-relay-'))).to.equal(true, String(fetched));
    } finally {
      win.close();
    }
  });
});

describe('npm build and CDN file on one page', () => {
  for (const order of ['npm,cdn', 'cdn,npm']) {
    it(`loads both without an error, the first one registering <aries-login> (${order})`, async () => {
      const page = await openPage(`both-builds.html?order=${order}`);
      const result = await waitFor(() => page.result as Record<string, unknown> | undefined, 'both builds to load');
      expect(result).to.deep.equal({
        errors: [],
        loaded: order.split(','),
        registered: order.split(',')[0],
        distinctClasses: true,
        button: 'Sign in with Aries',
      });
    });
  }
});
