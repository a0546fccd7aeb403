// The popup's hard cases end to end: COOP severing the opener, cancel, element removal, a cross-origin frame.
import { expect, oneEvent } from '@open-wc/testing';
import type { AriesLoginErrorDetail } from '../../src/errors.js';
import type { AriesTokens } from '../../src/token-client.js';
import {
  buttonOf,
  createClient,
  emulator,
  inUserGesture,
  mountElement,
  onAriesPage,
  recordPopups,
  requestsOf,
  sleep,
  userClick,
  userClickInFrame,
  waitFor,
} from '../helpers.js';

let recorder: ReturnType<typeof recordPopups>;
beforeEach(() => (recorder = recordPopups()));
afterEach(() => recorder.restore());

describe('popup hard cases against the emulator', () => {
  it('signs in through a popup whose opener link Aries severed with COOP, with no error before success', async () => {
    const clientId = await createClient({ coop: true });
    const element = await mountElement(clientId);
    const events: string[] = [];
    element.addEventListener('aries-login-error', (e) => events.push(e.detail.code));
    const success = oneEvent(element, 'aries-login-success');
    await userClick(buttonOf(element));
    const { detail } = (await success) as CustomEvent<AriesTokens>;
    expect(detail.accessToken).to.be.a('string');
    expect(events).to.deep.equal([]);
    expect(recorder.popups[0]!.closed).to.equal(true);
    expect(await requestsOf(clientId, 'token')).to.have.length(1);
  });

  it('waits on the channel after COOP, until the user cancels: cancelled, nothing left behind', async () => {
    const clientId = await createClient({ coop: true, consent: 'manual' });
    const element = await mountElement(clientId);
    const failure = oneEvent(element, 'aries-login-error');
    await userClick(buttonOf(element));
    // The severed popup reads as closed to the opener while it still shows Aries' consent page, undecided.
    await waitFor(() => recorder.popups[0]!.closed, 'the opener link to be severed');
    expect((await requestsOf(clientId, 'authorize')).map((r) => r.method)).to.deep.equal(['GET']);
    await sleep(600);
    await element.updateComplete;
    const cancel = element.shadowRoot!.querySelector<HTMLButtonElement>('[part=cancel]')!;
    // The opener cannot tell a severed window from one closed unseen: the button offers Aries again, the wait goes on.
    expect(buttonOf(element).textContent!.trim()).to.equal('Sign in with Aries');
    expect(buttonOf(element).getAttribute('aria-busy')).to.equal('false');
    cancel.click();
    const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
    expect(detail.code).to.equal('cancelled');
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part=cancel]')).to.equal(null);
    expect(buttonOf(element).getAttribute('aria-busy')).to.equal('false');
  });

  it('cancels from the button beside it: cancelled, and the Aries window closes', async () => {
    const clientId = await createClient({ consent: 'manual' });
    const element = await mountElement(clientId);
    const failure = oneEvent(element, 'aries-login-error');
    await userClick(buttonOf(element));
    await onAriesPage(recorder.popups[0]!);
    await element.updateComplete;
    element.shadowRoot!.querySelector<HTMLButtonElement>('[part=cancel]')!.click();
    expect(((await failure) as CustomEvent<AriesLoginErrorDetail>).detail.code).to.equal('cancelled');
    expect(recorder.popups[0]!.closed).to.equal(true);
    expect(await requestsOf(clientId, 'token')).to.have.length(0);
  });

  it('focuses the open popup when the button is clicked again', async () => {
    const clientId = await createClient({ consent: 'manual' });
    const element = await mountElement(clientId);
    let focused = 0;
    // Both clicks in one task: the spy on the window's focus lasts only while it is blank, before it goes to Aries.
    await inUserGesture(() => {
      buttonOf(element).click();
      const popup = recorder.popups[0]!;
      const focus = popup.focus.bind(popup);
      popup.focus = () => (focused++, focus());
      buttonOf(element).click();
    });
    expect(focused).to.equal(1);
    expect(recorder.popups).to.have.length(1);
    element.cancel();
    await oneEvent(element, 'aries-login-error');
  });

  it('a window closed before Aries showed in it: the button offers Aries again, and a click signs in afresh', async () => {
    const clientId = await createClient();
    const element = await mountElement(clientId);
    const events: string[] = [];
    element.addEventListener('aries-login-error', (e) => events.push(e.detail.code));
    // The scope changes in the click's own task, so nothing prepared fits it: the window opens blank, and is closed
    // before the flow sends it to Aries.
    const [first] = await inUserGesture(() => {
      element.scope = 'user:information account:information';
      const signIn = element.signIn();
      recorder.popups[0]!.close();
      return [signIn];
    });
    // (Whether the button still says "Continue in the Aries window" now depends on how soon the window's check ran: a
    // loaded machine may already be past it. What must follow is the button offering Aries again.)
    await waitFor(
      () => buttonOf(element).textContent!.trim() === 'Sign in with Aries',
      'the button to offer Aries again',
    );
    expect(buttonOf(element).getAttribute('aria-busy')).to.equal('false');
    expect(element.shadowRoot!.querySelector('[part=cancel]')).to.not.equal(null);
    expect(await requestsOf(clientId, 'authorize')).to.have.length(0);
    // A click starts a fresh sign-in in a new window; the old attempt ends quietly.
    const success = oneEvent(element, 'aries-login-success');
    await userClick(buttonOf(element));
    expect(recorder.popups).to.have.length(2);
    expect(await first).to.equal(null);
    const { detail } = (await success) as CustomEvent<AriesTokens>;
    expect(detail.accessToken).to.be.a('string');
    expect(events).to.deep.equal([]);
    expect(await requestsOf(clientId, 'token')).to.have.length(1);
  });

  it('fails at once with popup_blocked inside a sandboxed frame that may not open popups', async () => {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin');
    const clientId = await createClient();
    frame.src = `/test/fixtures/redirect-app.html?${new URLSearchParams({ client: clientId, emulator, redirect: new URL('/test/fixtures/callback.html', location.origin).href, mode: 'popup' })}`;
    document.body.append(frame);
    try {
      const win = frame.contentWindow as Window & { outcomes: { detail: AriesLoginErrorDetail }[] };
      await waitFor(
        () => win.document?.readyState === 'complete' && !!win.customElements?.get('aries-login'),
        'the frame',
      );
      await userClick(win.document.querySelector('aries-login')!.shadowRoot!.querySelector('button')!);
      await waitFor(() => win.outcomes.length > 0, 'an outcome');
      expect(win.outcomes[0].detail.code).to.equal('popup_blocked');
    } finally {
      frame.remove();
    }
  });

  describe('inside a frame of another site', () => {
    const frameOrigin = location.origin.replace('localhost', '127.0.0.1');
    const redirectUri = `${frameOrigin}/test/fixtures/callback.html`;

    /** Runs a popup sign-in in a cross-site frame, clicked as a person does; resolves with its first outcome. */
    async function signInFramed(clientId: string) {
      const frame = document.createElement('iframe');
      const query = new URLSearchParams({ client: clientId, emulator, redirect: redirectUri, mode: 'popup' });
      frame.src = `${frameOrigin}/test/fixtures/redirect-app.html?${query}`;
      /** The frame's first message that carries `key`. */
      const fromFrame = <T>(key: string) =>
        new Promise<T>((resolve) => {
          const onMessage = (event: MessageEvent) => {
            if (event.origin !== frameOrigin || !event.data?.[key]) return;
            window.removeEventListener('message', onMessage);
            resolve(event.data[key] as T);
          };
          window.addEventListener('message', onMessage);
        });
      const button = fromFrame<{ x: number; y: number; width: number; height: number }>('fixtureButton');
      const outcome = fromFrame<{ type: string; code?: string }>('fixtureOutcome');
      document.body.append(frame);
      try {
        await userClickInFrame(frame, await button);
        return await outcome;
      } finally {
        frame.remove();
      }
    }

    it('signs in through the popup while the opener link holds', async () => {
      const clientId = await createClient({ redirectUris: [redirectUri] });
      expect((await signInFramed(clientId)).type).to.equal('aries-login-success');
    });

    it('fails at once with popup_unreachable when COOP severs the link, instead of waiting', async () => {
      const clientId = await createClient({ redirectUris: [redirectUri], coop: true, consent: 'manual' });
      const started = Date.now();
      expect(await signInFramed(clientId)).to.deep.equal({ type: 'aries-login-error', code: 'popup_unreachable' });
      expect(Date.now() - started).to.be.below(5000);
    });
  });
});
