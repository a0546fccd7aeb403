// <aries-login> in the page's language: where `lang` comes from, region tags and fallback to English, right-to-left
// layout, the host's own wording (`strings`), and error messages in the element's language. Real browsers, the real
// emulator and real popups.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { AriesLoginElement } from '../src/aries-login-element.js';
import type { AriesLoginErrorDetail } from '../src/errors.js';
import ar from '../src/i18n/ar.js';
import de from '../src/i18n/de.js';
import es from '../src/i18n/es.js';
import fr from '../src/i18n/fr.js';
import it_ from '../src/i18n/it.js';
import ja from '../src/i18n/ja.js';
import pt from '../src/i18n/pt.js';
import zh from '../src/i18n/zh.js';
import { loadStrings } from '../src/strings.js';
import {
  clickToSignIn,
  createClient,
  mountElement,
  onAriesPage,
  recordPopups,
  sleep,
  userClick,
  waitFor,
} from './helpers.js';

const bundled = { de, fr, es, it: it_, pt, ja, zh, ar };

const part = (element: AriesLoginElement, name: string) =>
  element.shadowRoot!.querySelector<HTMLElement>(`[part~='${name}']`);
const button = (element: AriesLoginElement) => part(element, 'button') as HTMLButtonElement;
const labelOf = (element: AriesLoginElement) => button(element)?.textContent?.trim() ?? '';
const baseOf = (element: AriesLoginElement) => element.shadowRoot!.querySelector<HTMLElement>('.base')!;

/** Waits for the label a person would read (a language's file is fetched on first use). */
const labelReads = (element: AriesLoginElement, text: string, timeout?: number) =>
  waitFor(() => labelOf(element) === text, `the label "${text}" (it reads "${labelOf(element)}")`, timeout);

/** Waits until the language file of `language` has loaded and the element has rendered once more. */
async function settled(element: AriesLoginElement, language: string) {
  await loadStrings(language);
  await sleep(50);
  await element.updateComplete;
}

let recorder: ReturnType<typeof recordPopups>;
let documentLang: string | null;
beforeEach(() => {
  recorder = recordPopups();
  documentLang = document.documentElement.getAttribute('lang');
});
afterEach(() => {
  recorder.restore();
  if (documentLang === null) document.documentElement.removeAttribute('lang');
  else document.documentElement.setAttribute('lang', documentLang);
});

/** Clicks, waits for Aries' page in the popup, and presses the element's Cancel button; resolves with the error. */
async function cancelAtAries(element: AriesLoginElement, cancelLabel: string) {
  const failure = oneEvent(element, 'aries-login-error');
  await userClick(button(element));
  await onAriesPage(recorder.popups.at(-1)!);
  await element.updateComplete;
  const cancel = part(element, 'cancel')!;
  expect(cancel.textContent!.trim()).to.equal(cancelLabel);
  cancel.click();
  const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
  await element.updateComplete;
  return detail;
}

describe('language selection', () => {
  it('lang="de" on the element: "Mit Aries anmelden", marked as German', async () => {
    const element = await fixture<AriesLoginElement>(html`<aries-login lang="de"></aries-login>`);
    await labelReads(element, 'Mit Aries anmelden');
    expect(baseOf(element).lang).to.equal('de');
    expect(baseOf(element).dir).to.equal('ltr'); // the language sets the direction
    await expect(element).to.be.accessible();
  });

  it('takes lang from an ancestor', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<section lang="fr">
        <div><aries-login></aries-login></div>
      </section>`,
    );
    const element = wrapper.querySelector('aries-login')!;
    await labelReads(element, fr.signIn);
    expect(baseOf(element).lang).to.equal('fr');
  });

  it('takes lang from an ancestor across a shadow root', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div lang="es"><div></div></div>`);
    const root = wrapper.firstElementChild!.attachShadow({ mode: 'open' });
    root.innerHTML = '<p><aries-login></aries-login></p>';
    const element = root.querySelector('aries-login')!;
    await labelReads(element, es.signIn);
  });

  it('takes lang from <html lang>, and follows when it changes', async () => {
    document.documentElement.lang = 'it';
    const element = await fixture<AriesLoginElement>(html`<aries-login></aries-login>`);
    await labelReads(element, it_.signIn);
    document.documentElement.lang = 'ja';
    await labelReads(element, ja.signIn);
    document.documentElement.lang = 'en';
    await labelReads(element, 'Sign in with Aries');
  });

  it("its own lang wins over the ancestors'", async () => {
    const wrapper = await fixture<HTMLElement>(html`<div lang="fr"><aries-login lang="pt"></aries-login></div>`);
    await labelReads(wrapper.querySelector('aries-login')!, pt.signIn);
  });

  it('follows lang changes at runtime: on the element, and on an ancestor', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div lang="de"><aries-login></aries-login></div>`);
    const element = wrapper.querySelector('aries-login')!;
    await labelReads(element, de.signIn);
    element.lang = 'fr';
    await labelReads(element, fr.signIn);
    element.removeAttribute('lang');
    await labelReads(element, de.signIn);
    wrapper.lang = 'zh-Hans-CN';
    await labelReads(element, zh.signIn);
    wrapper.lang = 'en-US';
    await labelReads(element, 'Sign in with Aries');
    expect(baseOf(element).lang).to.equal('en');
  });

  it("follows a runtime lang change on an element inside another component's shadow root", async () => {
    // A framework component rendering `<aries-login lang=${language}>` in its own shadow root.
    const host = await fixture<HTMLElement>(html`<div></div>`);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<aries-login lang="de"></aries-login>';
    const element = root.querySelector('aries-login')!;
    await labelReads(element, de.signIn);
    element.lang = 'fr';
    await labelReads(element, fr.signIn, 3000);
  });

  describe('region and script subtags map to the language', () => {
    const cases: [string, string, string][] = [
      ['de-CH', 'de', de.signIn],
      ['de-AT', 'de', de.signIn],
      ['pt-BR', 'pt', pt.signIn],
      ['zh-Hans-CN', 'zh', zh.signIn],
      ['fr-CA', 'fr', fr.signIn],
      ['es-419', 'es', es.signIn],
      ['ar-EG', 'ar', ar.signIn],
      ['JA-jp', 'ja', ja.signIn],
    ];
    for (const [tag, language, label] of cases) {
      it(`${tag} → ${language}`, async () => {
        const element = await fixture<AriesLoginElement>(html`<aries-login lang=${tag}></aries-login>`);
        await labelReads(element, label);
        expect(baseOf(element).lang).to.equal(language);
      });
    }
  });

  describe('a language without a bundled file falls back to English, marked as English', () => {
    for (const tag of ['nl', 'nl-BE', 'sv', 'en-GB', 'x-pig-latin']) {
      it(tag, async () => {
        const wrapper = await fixture<HTMLElement>(html`<div lang="de"><aries-login lang=${tag}></aries-login></div>`);
        const element = wrapper.querySelector('aries-login')!;
        await settled(element, 'de');
        // English, not the German of the ancestor: the element's own language is the one that counts.
        expect(labelOf(element)).to.equal('Sign in with Aries');
        // A screen reader reads the English words as English.
        expect(baseOf(element).lang).to.equal('en');
        await expect(element).to.be.accessible();
      });
    }
  });

  it('a lang that is no language tag ("constructor") reads as English, without an error', async () => {
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.message);
    window.addEventListener('error', onError);
    try {
      const element = await fixture<AriesLoginElement>(html`<aries-login lang="constructor"></aries-login>`);
      await sleep(100);
      expect(errors).to.deep.equal([]);
      expect(labelOf(element)).to.equal('Sign in with Aries');
      // Still follows the page's language afterwards.
      element.lang = 'de';
      await labelReads(element, de.signIn, 3000);
    } finally {
      window.removeEventListener('error', onError);
    }
  });

  describe('every bundled language renders its own label', () => {
    for (const [language, strings] of Object.entries(bundled)) {
      it(language, async () => {
        const element = await fixture<AriesLoginElement>(html`<aries-login lang=${language}></aries-login>`);
        await labelReads(element, strings.signIn);
        expect(strings.signIn).not.to.equal('Sign in with Aries');
        expect(baseOf(element).lang).to.equal(language);
        await expect(element).to.be.accessible();
      });
    }
  });
});

describe('right to left', () => {
  it('Arabic: dir="rtl", a right-to-left button with the mark on the right of the label', async () => {
    const element = await fixture<AriesLoginElement>(html`<aries-login lang="ar"></aries-login>`);
    await labelReads(element, ar.signIn);
    expect(baseOf(element).getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(button(element)).direction).to.equal('rtl');
    const mark = part(element, 'mark')!.getBoundingClientRect();
    const label = button(element).querySelector(':scope > span:not([part])')!.getBoundingClientRect();
    expect(mark.left, 'mark right of the label').to.be.at.least(label.right - 1);
    await expect(element).to.be.accessible();

    element.lang = 'en';
    await labelReads(element, 'Sign in with Aries');
    expect(baseOf(element).dir).to.equal('ltr'); // the language sets the direction
    expect(getComputedStyle(button(element)).direction).to.equal('ltr');
    const markAfter = part(element, 'mark')!.getBoundingClientRect();
    const labelAfter = button(element).querySelector(':scope > span:not([part])')!.getBoundingClientRect();
    expect(markAfter.right, 'mark left of the label').to.be.at.most(labelAfter.left + 1);
  });
});

describe('error messages in the element’s language', () => {
  it('lang="de": a cancelled sign-in says so in German; the code stays `cancelled`', async () => {
    const element = await mountElement(await createClient({ consent: 'manual' }), { lang: 'de' });
    await labelReads(element, de.signIn);
    const failure = oneEvent(element, 'aries-login-error');
    await userClick(button(element));
    await onAriesPage(recorder.popups[0]!);
    await element.updateComplete;
    expect(labelOf(element)).to.equal(de.continueInAries);
    expect(part(element, 'cancel')!.textContent!.trim()).to.equal(de.cancel);
    await expect(element).to.be.accessible();

    part(element, 'cancel')!.click();
    const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
    expect(detail.code).to.equal('cancelled');
    expect(detail.message).to.equal(de.cancelled);
    await element.updateComplete;
    const message = part(element, 'message')!;
    expect(message.getAttribute('role')).to.equal('alert');
    expect(message.textContent).to.equal(de.cancelled);
    expect((message.closest('[lang]') as HTMLElement).lang).to.equal('de');
    expect(labelOf(element)).to.equal(de.signIn);
    await expect(element).to.be.accessible();
  });

  it('lang="fr": a denial at Aries is reported in French as access_denied', async () => {
    const element = await mountElement(await createClient({ consent: 'deny' }), { lang: 'fr' });
    await labelReads(element, fr.signIn);
    const failure = oneEvent(element, 'aries-login-error');
    await userClick(button(element));
    const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
    expect(detail.code).to.equal('access_denied');
    expect(detail.message).to.equal(fr.access_denied);
    await element.updateComplete;
    expect(part(element, 'message')!.textContent).to.equal(fr.access_denied);
  });

  it('lang="ja": a configuration error (no client-id) is reported in Japanese', async () => {
    const element = await mountElement('', { lang: 'ja' });
    await labelReads(element, ja.signIn);
    const failure = oneEvent(element, 'aries-login-error');
    button(element).click();
    const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
    expect(detail.code).to.equal('invalid_config');
    expect(detail.message).to.equal(ja.invalid_config);
    await element.updateComplete;
    expect(part(element, 'message')!.textContent).to.equal(ja.invalid_config);
  });
});

describe("the host's own wording (strings)", () => {
  it('the `strings` property wins over the language, and keeps winning when the language changes', async () => {
    const element = await fixture<AriesLoginElement>(html`<aries-login lang="de"></aries-login>`);
    await labelReads(element, de.signIn);
    element.strings = { signIn: 'Log in' };
    await labelReads(element, 'Log in');
    element.lang = 'fr';
    await settled(element, 'fr');
    expect(labelOf(element)).to.equal('Log in');
    element.strings = undefined;
    await labelReads(element, fr.signIn);
  });

  it('the JSON `strings` attribute wins over the language', async () => {
    const element = await fixture<AriesLoginElement>(html`<aries-login lang="fr"></aries-login>`);
    element.setAttribute('strings', '{"signIn":"Anmelden"}');
    await settled(element, 'fr');
    expect(labelOf(element)).to.equal('Anmelden');
    expect(element.strings).to.deep.equal({ signIn: 'Anmelden' });
  });

  it("overrides an error code's message, in English and over a language", async () => {
    const clientId = await createClient({ consent: 'manual' });
    const element = await mountElement(clientId);
    element.strings = { cancelled: 'You stopped the sign-in.' };
    let detail = await cancelAtAries(element, 'Cancel');
    expect(detail).to.include({ code: 'cancelled', message: 'You stopped the sign-in.' });
    expect(part(element, 'message')!.textContent).to.equal('You stopped the sign-in.');

    element.lang = 'de';
    element.setAttribute('strings', '{"cancelled":"Sie haben abgebrochen."}');
    await labelReads(element, de.signIn);
    detail = await cancelAtAries(element, de.cancel);
    expect(detail).to.include({ code: 'cancelled', message: 'Sie haben abgebrochen.' });
    expect(part(element, 'message')!.textContent).to.equal('Sie haben abgebrochen.');
  });

  it('an override with a placeholder is filled in: signedInAs "Welcome, {name}"', async () => {
    const clientId = await createClient();
    const element = await mountElement(clientId, { 'show-user': '', lang: 'de' });
    element.strings = { signedInAs: 'Welcome, {name}' };
    await clickToSignIn(element);
    await waitFor(() => part(element, 'status')?.textContent?.trim() === 'Welcome, Ada Lovelace', 'the welcome');
  });
});
