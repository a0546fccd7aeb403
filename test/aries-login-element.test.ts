import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../src/index.js';
import { AriesLoginElement } from '../src/aries-login-element.js';
import type { AriesLoginErrorDetail } from '../src/errors.js';
import { buttonOf, callbackUrl, emulator, inUserGesture, recordPopups, skipBecause, userClick } from './helpers.js';

// Aries at the emulator, never reached with this client (a port nothing listens on would do, but Firefox bans the
// usual ones: its popup then fails at once, before a test that clicks as a person does can look at the waiting state).
const configured = () =>
  fixture<AriesLoginElement>(
    html`<aries-login
      client-id="demo-spa"
      redirect-uri=${callbackUrl}
      authorize-url=${`${emulator}/oauth2/authorize`}
      token-url=${`${emulator}/v1/oauth2/token`}
    ></aries-login>`,
  );

/** Clicks and returns the error that the click reported synchronously, with what was opened. */
async function clickForError(element: AriesLoginElement) {
  const recorder = recordPopups();
  try {
    const event = oneEvent(element, 'aries-login-error');
    buttonOf(element).click();
    const { detail } = (await event) as CustomEvent<AriesLoginErrorDetail>;
    return { detail, opened: recorder.popups.length };
  } finally {
    recorder.restore();
  }
}

const storageSnapshot = () => JSON.stringify([{ ...sessionStorage }, { ...localStorage }]);

describe('<aries-login>', () => {
  afterEach(() => sessionStorage.clear());

  it('is registered and renders a real button labelled "Sign in with Aries"', async () => {
    const element = await fixture<AriesLoginElement>(html`<aries-login></aries-login>`);
    expect(element).to.be.instanceOf(AriesLoginElement);
    const button = buttonOf(element);
    expect(button.getAttribute('part')).to.equal('button');
    expect(button.getAttribute('aria-busy')).to.equal('false');
    expect(button.textContent!.trim()).to.equal('Sign in with Aries');
    expect(element.tokens).to.equal(null);
    expect(element.hasAttribute('signed-in')).to.equal(false);
  });

  it('never submits a form it is placed in: its buttons belong to no form', async () => {
    const form = await fixture<HTMLFormElement>(html`<form><aries-login client-id="x"></aries-login></form>`);
    const element = form.querySelector('aries-login')!;
    let submitted = 0;
    form.addEventListener('submit', (event) => {
      submitted++;
      event.preventDefault();
    });
    // The sign-in itself is stopped before anything opens; only the form matters here.
    element.addEventListener('aries-login-start', (event) => event.preventDefault());
    const button = buttonOf(element);
    expect(button.form).to.equal(null);
    button.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(submitted).to.equal(0);
  });

  it('lets the host replace the label through the default slot', async () => {
    const element = await fixture<AriesLoginElement>(html`<aries-login><b>Connect your brokerage</b></aries-login>`);
    const slot = buttonOf(element).querySelector('slot')!;
    expect(slot.assignedNodes().map((n) => n.textContent)).to.deep.equal(['Connect your brokerage']);
  });

  it('mirrors its attributes in camelCase properties, with Aries defaults', async () => {
    const element = await fixture<AriesLoginElement>(
      html`<aries-login client-id="a" redirect-uri="https://x.example/cb" popup-timeout="12"></aries-login>`,
    );
    expect(element).to.include({
      clientId: 'a',
      redirectUri: 'https://x.example/cb',
      scope: 'user:information',
      mode: 'popup',
      authorizeUrl: 'https://app.aries.com/oauth2/authorize',
      tokenUrl: 'https://api.aries.com/v1/oauth2/token',
      popupTimeout: 12,
      disabled: false,
    });
  });

  it('disables the button with the `disabled` attribute', async () => {
    const element = await fixture<AriesLoginElement>(html`<aries-login disabled></aries-login>`);
    expect(buttonOf(element).disabled).to.equal(true);
  });

  describe('configuration errors, on click, before anything opens', () => {
    const cases: [string, (el: AriesLoginElement) => void, string, RegExp][] = [
      ['no client-id', (el) => el.removeAttribute('client-id'), 'invalid_config', /client-id/],
      ['an empty client-id', (el) => el.setAttribute('client-id', ''), 'invalid_config', /client-id/],
      ['a relative redirect-uri', (el) => el.setAttribute('redirect-uri', '/cb'), 'invalid_config', /redirect-uri/],
      [
        'a redirect-uri with a fragment',
        (el) => el.setAttribute('redirect-uri', `${callbackUrl}#x`),
        'invalid_config',
        /fragment/,
      ],
      [
        'a redirect-uri on http: off localhost',
        (el) => el.setAttribute('redirect-uri', 'http://app.example/cb'),
        'invalid_config',
        /https/,
      ],
      [
        'a redirect-uri on another origin, in popup mode',
        (el) => el.setAttribute('redirect-uri', 'https://app.example/cb'),
        'invalid_config',
        /origin/,
      ],
      ['a client-secret attribute', (el) => el.setAttribute('client-secret', 's3cr3t'), 'invalid_config', /secret/],
      ['a clientSecret property', (el) => Object.assign(el, { clientSecret: 's3cr3t' }), 'invalid_config', /secret/],
      [
        'an unknown scope',
        (el) => el.setAttribute('scope', 'user:information Account:information'),
        'invalid_scope',
        /Account:information/,
      ],
    ];
    for (const [name, misconfigure, code, message] of cases) {
      it(`${name} → ${code}, no popup, nothing stored, button usable`, async () => {
        const element = await configured();
        misconfigure(element);
        await element.updateComplete;
        const before = storageSnapshot();
        const { detail, opened } = await clickForError(element);
        expect(detail.code).to.equal(code);
        expect(detail.message).to.match(message);
        expect(opened).to.equal(0);
        expect(storageSnapshot()).to.equal(before);
        await element.updateComplete;
        expect(buttonOf(element).disabled).to.equal(false);
        expect(buttonOf(element).getAttribute('aria-busy')).to.equal('false');
        expect(element.shadowRoot!.querySelector('[part=message]')!.textContent).to.equal(detail.message);
      });
    }

    it('never sends an offered secret anywhere', async () => {
      const element = await configured();
      element.setAttribute('client-secret', 'never-sent');
      const sent: string[] = [];
      const originalFetch = window.fetch;
      window.fetch = (input, init) => (sent.push(String(input) + String(init?.body)), originalFetch(input, init));
      try {
        await clickForError(element);
      } finally {
        window.fetch = originalFetch;
      }
      expect(sent.join()).not.to.include('never-sent');
    });

    it('insists on crypto.subtle: insecure_context without it, never a plain challenge', async () => {
      const element = await configured();
      // A page outside a secure context has no crypto.subtle; this page is one, so the API is hidden for the test.
      Object.defineProperty(crypto, 'subtle', { value: undefined, configurable: true });
      try {
        const { detail, opened } = await clickForError(element);
        expect(detail.code).to.equal('insecure_context');
        expect(opened).to.equal(0);
      } finally {
        delete (crypto as { subtle?: unknown }).subtle;
      }
      expect(crypto.subtle).to.be.ok;
    });
  });

  it('opens the popup in the click’s own task, before any await', async () => {
    const element = await configured();
    const recorder = recordPopups();
    try {
      // Counted as the click's dispatch ends (a listener on the window hears it last): had the flow awaited anything
      // first, nothing would be open yet.
      let openedInTheClick = -1;
      addEventListener('click', () => (openedInTheClick = recorder.popups.length), { once: true });
      await userClick(buttonOf(element));
      expect(openedInTheClick).to.equal(1);
      expect(recorder.popups[0]).to.be.ok;
    } finally {
      recorder.restore();
    }
  });

  it('opens one popup for a double click, and focuses it on the second', async () => {
    const element = await configured();
    const recorder = recordPopups();
    try {
      const [first, second] = await inUserGesture(() => {
        const calls = [element.signIn(), element.signIn()];
        buttonOf(element).click();
        return calls;
      });
      expect(recorder.popups).to.have.length(1);
      expect(second).to.equal(first);
      await element.updateComplete;
      expect(buttonOf(element).getAttribute('aria-busy')).to.equal('true');
      expect(buttonOf(element).textContent!.trim()).to.equal('Continue in the Aries window');
      first.catch(() => {});
    } finally {
      recorder.restore();
    }
  });

  it('reports a blocked popup as popup_blocked at once', async () => {
    const element = await configured();
    const original = window.open;
    window.open = () => null; // what a popup blocker returns
    try {
      const reported = oneEvent(element, 'aries-login-error');
      // signIn() has already failed when it returns; the event follows once its message is at hand.
      const result = element.signIn().catch((e: { code: string }) => e.code);
      const nextTask = new Promise((resolve) => setTimeout(resolve, 0, 'still pending'));
      expect(await Promise.race([result, nextTask])).to.equal('popup_blocked');
      expect((await reported).detail.code).to.equal('popup_blocked');
      await element.updateComplete;
      expect(buttonOf(element).getAttribute('aria-busy')).to.equal('false');
    } finally {
      window.open = original;
    }
  });

  it('reports a window refused by the browser’s popup blocker as popup_blocked: a script’s click is no gesture', async function () {
    // Where the test browser's blocker is on (WebKit, as Safari), a window opened outside a person's click is refused.
    const probe = window.open('about:blank', '_blank');
    if (probe) {
      probe.close();
      skipBecause(this, 'this launcher turns the popup blocker off');
    }
    const element = await configured();
    const failure = oneEvent(element, 'aries-login-error');
    buttonOf(element).click();
    expect(((await failure) as CustomEvent<AriesLoginErrorDetail>).detail.code).to.equal('popup_blocked');
    await element.updateComplete;
    expect(buttonOf(element).getAttribute('aria-busy')).to.equal('false');
    expect(buttonOf(element).disabled).to.equal(false);
  });

  it('stops before anything opens when aries-login-start is prevented', async () => {
    const element = await configured();
    const recorder = recordPopups();
    try {
      element.addEventListener('aries-login-start', (e) => e.preventDefault(), { once: true });
      const start = oneEvent(element, 'aries-login-start');
      const result = element.signIn();
      const event = await start;
      expect(event.detail).to.deep.equal({ mode: 'popup' });
      expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
      expect(await result).to.equal(null);
      expect(recorder.popups).to.have.length(0);
    } finally {
      recorder.restore();
    }
  });
});
