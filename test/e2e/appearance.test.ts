// How <aries-login> looks and behaves for people: variants, sizes and shapes, each state's markup and announcement,
// axe in every state and variant, reduced motion, forced colours and keyboard use. Real browsers, the real emulator
// and real popups.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';

type MediaFeature = { name: string; value: string };
import type { AriesLoginElement } from '../../src/aries-login-element.js';
import type { AriesLoginErrorDetail } from '../../src/errors.js';
import {
  callbackUrl,
  clickToSignIn,
  createClient,
  emulator,
  mountElement,
  onAriesPage,
  queueTokenFaults,
  recordPopups,
  skipBecause,
  sleep,
  updateClient,
  userClick,
  waitFor,
} from '../helpers.js';

const part = (element: AriesLoginElement, name: string) =>
  element.shadowRoot!.querySelector<HTMLElement>(`[part~='${name}']`);
const button = (element: AriesLoginElement) => part(element, 'button') as HTMLButtonElement;
const labelOf = (element: AriesLoginElement) => button(element).textContent!.trim();
const messageOf = (element: AriesLoginElement) => part(element, 'message')!;
const style = (node: Element) => getComputedStyle(node);

/** The attributes that point an element at the emulator for `clientId`. */
const configured = (clientId: string) => ({
  'client-id': clientId,
  'redirect-uri': callbackUrl,
  'authorize-url': `${emulator}/oauth2/authorize`,
  'token-url': `${emulator}/v1/oauth2/token`,
});

/**
 * An <aries-login> with `attributes`, in a wrapper with the page background a user would see around it and, when
 * given, the page's own `color-scheme` (which the element inherits).
 */
async function mount(attributes: Record<string, string> = {}, background = '#ffffff', colorScheme = '') {
  const wrapper = await fixture<HTMLDivElement>(html`<div><aries-login></aries-login></div>`);
  // A page that declares its scheme has text in it (CanvasText), as a dark page's text is light.
  const color = colorScheme && 'CanvasText';
  Object.assign(wrapper.style, { background, color, padding: '12px', width: '480px', colorScheme });
  const element = wrapper.querySelector('aries-login')!;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  await element.updateComplete;
  return element;
}

/** WCAG contrast ratio of two computed `rgb()`/`rgba()` colours (opaque ones). */
function contrast(a: string, b: string) {
  const luminance = (color: string) => {
    const [r, g, b] = color
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}
/** `color` drawn at `opacity` over the opaque `under`, as an `rgb()`. */
function blend(color: string, under: string, opacity: number) {
  const [r, g, b, a = 1] = color.match(/[\d.]+/g)!.map(Number);
  const [ur, ug, ub] = under.match(/[\d.]+/g)!.map(Number);
  const alpha = a * opacity;
  const mix = (c: number, u: number) => Math.round(c * alpha + u * (1 - alpha));
  return `rgb(${mix(r, ur)}, ${mix(g, ug)}, ${mix(b, ub)})`;
}
const transparent = (color: string) => color === 'transparent' || /^rgba\(.*,\s*0\)$/.test(color);

let recorder: ReturnType<typeof recordPopups>;
beforeEach(() => (recorder = recordPopups()));
afterEach(() => recorder.restore());

/** Ends a running sign-in with a cancel and waits for its error, so that nothing is left behind. */
async function cancelRunning(element: AriesLoginElement) {
  const failure = oneEvent(element, 'aries-login-error');
  element.cancel();
  const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
  expect(detail.code).to.equal('cancelled');
  await element.updateComplete;
}

/** Clicks and waits for the busy state: Aries approved, the code exchange held open by the emulator. */
async function toBusy(element: AriesLoginElement, clientId: string) {
  await queueTokenFaults(clientId, [{ hang: true }]);
  await userClick(button(element));
  await waitFor(() => !!part(element, 'spinner'), 'the spinner');
  await element.updateComplete;
  return part(element, 'spinner')!;
}

/**
 * Emulates media features through the test runner's `emulate-media-features` command (web-test-runner.config.mjs):
 * false where the launcher cannot (the command needs CDP: Firefox runs over WebDriver BiDi, WebKit over WebDriver),
 * without the stack trace @web/test-runner-commands' emulateMedia would log for it.
 */
async function emulate(media: { reducedMotion?: string; colorScheme?: string }): Promise<boolean> {
  const features: MediaFeature[] = [];
  if (media.reducedMotion) features.push({ name: 'prefers-reduced-motion', value: media.reducedMotion });
  if (media.colorScheme) features.push({ name: 'prefers-color-scheme', value: media.colorScheme });
  return executeServerCommand<boolean, MediaFeature[]>('emulate-media-features', features);
}
const noMediaEmulation =
  'this launcher cannot emulate media features (it needs CDP: Firefox runs over WebDriver BiDi, WebKit over WebDriver)';

describe('looks', () => {
  describe('variants and colour schemes: colours as specified, readable, axe clean', () => {
    const blue = 'rgb(11, 61, 145)';
    const white = 'rgb(255, 255, 255)';
    const light = 'rgb(168, 199, 250)';
    const cases: [string, Record<string, string>, string, { bg: string; fg: string; border?: string }][] = [
      ['filled (the default)', {}, '#ffffff', { bg: blue, fg: white }],
      ['filled', { variant: 'filled' }, '#ffffff', { bg: blue, fg: white }],
      ['outline', { variant: 'outline' }, '#ffffff', { bg: 'transparent', fg: blue, border: blue }],
      ['dark', { variant: 'dark' }, '#ffffff', { bg: 'rgb(27, 27, 31)', fg: white }],
      [
        'filled, color-scheme dark, on a dark page',
        { 'color-scheme': 'dark' },
        '#121212',
        { bg: light, fg: 'rgb(6, 46, 111)' },
      ],
      [
        'outline, color-scheme dark, on a dark page',
        { variant: 'outline', 'color-scheme': 'dark' },
        '#121212',
        { bg: 'transparent', fg: light, border: light },
      ],
      [
        'dark, color-scheme dark, on a dark page',
        { variant: 'dark', 'color-scheme': 'dark' },
        '#121212',
        { bg: white, fg: 'rgb(27, 27, 31)' },
      ],
    ];
    for (const [name, attributes, page, expected] of cases) {
      it(name, async () => {
        const element = await mount(attributes, page);
        const computed = style(button(element));
        if (expected.bg === 'transparent') expect(transparent(computed.backgroundColor), 'transparent').to.equal(true);
        else expect(computed.backgroundColor).to.equal(expected.bg);
        expect(computed.color).to.equal(expected.fg);
        if (expected.border) expect(computed.borderTopColor).to.equal(expected.border);
        else {
          // Filled buttons: the border is part of the face (transparent over it, or its colour).
          const border = computed.borderTopColor;
          expect(transparent(border) || border === computed.backgroundColor, `border ${border}`).to.equal(true);
        }
        // The mark is drawn in the text colour.
        expect(style(part(element, 'mark')!).color).to.equal(expected.fg);
        const behind = transparent(computed.backgroundColor)
          ? style(element.parentElement!).backgroundColor
          : computed.backgroundColor;
        expect(contrast(computed.color, behind), 'label contrast').to.be.at.least(4.5);
        await expect(element).to.be.accessible();
      });
    }
  });

  it('sizes: small < medium (the default) < large, each accessible', async () => {
    const measured: { font: number; height: number }[] = [];
    for (const size of ['small', 'medium', 'large']) {
      const element = await mount({ size });
      const rect = button(element).getBoundingClientRect();
      measured.push({ font: parseFloat(style(button(element)).fontSize), height: rect.height });
      await expect(element).to.be.accessible();
    }
    const standard = await mount();
    expect(parseFloat(style(button(standard)).fontSize)).to.equal(measured[1].font);
    expect(measured.map((m) => m.font)).to.deep.equal([14, 16, 18]);
    expect(measured[0].height).to.be.below(measured[1].height);
    expect(measured[1].height).to.be.below(measured[2].height);
  });

  it('shapes: rectangular (the default) has small corners, pill is fully rounded', async () => {
    const rectangular = await mount({ shape: 'rectangular' });
    expect(style(button(rectangular)).borderTopLeftRadius).to.equal('6px');
    expect(style(button(await mount())).borderTopLeftRadius).to.equal('6px');
    await expect(rectangular).to.be.accessible();

    const pill = await mount({ shape: 'pill' });
    const height = button(pill).getBoundingClientRect().height;
    expect(parseFloat(style(button(pill)).borderTopLeftRadius)).to.be.at.least(height / 2);
    expect(parseFloat(style(button(pill)).borderBottomRightRadius)).to.be.at.least(height / 2);
    await expect(pill).to.be.accessible();
  });

  it('full-width: the button is as wide as its container; without it, only as wide as its label', async () => {
    const wide = await mount({ 'full-width': '' });
    const container = wide.parentElement!;
    const inner = container.getBoundingClientRect().width - 24; // the wrapper's padding
    expect(button(wide).getBoundingClientRect().width).to.be.closeTo(inner, 1);
    await expect(wide).to.be.accessible();

    const narrow = await mount();
    expect(button(narrow).getBoundingClientRect().width).to.be.below(inner * 0.8);
  });

  it('hide-mark: no mark, the label stays', async () => {
    const element = await mount({ 'hide-mark': '' });
    expect(part(element, 'mark')).to.equal(null);
    expect(labelOf(element)).to.equal('Sign in with Aries');
    await expect(element).to.be.accessible();
    const marked = await mount();
    expect(button(marked).querySelector('[part=mark]')).to.be.ok;
    expect(part(marked, 'mark')!.getAttribute('aria-hidden')).to.equal('true');
  });

  it('takes the host’s --aries-login-* custom properties and ::part(button) styles', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <style>
          aries-login.branded::part(button) {
            border-radius: 0;
            text-transform: uppercase;
          }
        </style>
        <aries-login class="branded" style="--aries-login-background: #004d40; --aries-login-radius: 3px"></aries-login>
      </div>`,
    );
    const element = wrapper.querySelector('aries-login')!;
    const computed = style(button(element));
    expect(computed.backgroundColor).to.equal('rgb(0, 77, 64)');
    expect(computed.borderTopLeftRadius).to.equal('0px'); // ::part wins over the custom property
    expect(computed.textTransform).to.equal('uppercase');
    await expect(element).to.be.accessible();
  });

  it(':host([hidden]) hides it', async () => {
    const element = await mount({ hidden: '' });
    const rect = element.getBoundingClientRect();
    expect(rect.width * rect.height).to.equal(0);
    expect(button(element).offsetParent).to.equal(null);
    element.hidden = false;
    await element.updateComplete;
    expect(button(element).getBoundingClientRect().width).to.be.above(0);
  });
});

describe('states: markup, announcement, axe', () => {
  it('idle: "Sign in with Aries", not busy, mark shown, an empty alert region', async () => {
    const element = await mount();
    const control = button(element);
    expect(control.tagName).to.equal('BUTTON');
    expect(control.form).to.equal(null);
    expect(control.disabled).to.equal(false);
    expect(labelOf(element)).to.equal('Sign in with Aries');
    expect(control.getAttribute('aria-busy')).to.equal('false');
    expect(control.querySelector('[part=mark]')).to.be.ok;
    expect(part(element, 'spinner')).to.equal(null);
    expect(part(element, 'cancel')).to.equal(null);
    expect(part(element, 'status')).to.equal(null);
    expect(messageOf(element).getAttribute('role')).to.equal('alert');
    expect(messageOf(element).textContent).to.equal('');
    await expect(element).to.be.accessible();
  });

  it('waiting: "Continue in the Aries window", busy, a Cancel button; Cancel announces "Sign-in was cancelled."', async () => {
    const clientId = await createClient({ consent: 'manual' });
    const element = await mountElement(clientId);
    const region = messageOf(element);
    await userClick(button(element));
    expect(recorder.popups).to.have.length(1);
    await onAriesPage(recorder.popups[0]!);
    await element.updateComplete;

    expect(labelOf(element)).to.equal('Continue in the Aries window');
    expect(button(element).getAttribute('aria-busy')).to.equal('true');
    expect(button(element).querySelector('[part=mark]')).to.be.ok;
    const cancel = part(element, 'cancel') as HTMLButtonElement;
    expect(cancel.tagName).to.equal('BUTTON');
    expect(cancel.textContent!.trim()).to.equal('Cancel');
    await expect(element).to.be.accessible();

    const failure = oneEvent(element, 'aries-login-error');
    cancel.click();
    expect(((await failure) as CustomEvent<AriesLoginErrorDetail>).detail.code).to.equal('cancelled');
    await element.updateComplete;
    // Announced in the live region that was there all along (a new region would not be read out).
    expect(messageOf(element)).to.equal(region);
    expect(region.getAttribute('role')).to.equal('alert');
    expect(region.textContent).to.equal('Sign-in was cancelled.');
    expect(labelOf(element)).to.equal('Sign in with Aries');
    expect(button(element).getAttribute('aria-busy')).to.equal('false');
    expect(part(element, 'cancel')).to.equal(null);
    await waitFor(() => recorder.popups[0]!.closed, 'the popup to close');
    await expect(element).to.be.accessible();
  });

  it('waiting on a dark page (color-scheme dark): the label and Cancel stay readable', async () => {
    const clientId = await createClient({ consent: 'manual' });
    const element = await mount({ ...configured(clientId), 'color-scheme': 'dark' }, '#121212');
    await userClick(button(element));
    await onAriesPage(recorder.popups[0]!);
    await element.updateComplete;
    const cancel = style(part(element, 'cancel')!);
    expect(transparent(cancel.backgroundColor)).to.equal(true);
    expect(contrast(cancel.color, 'rgb(18, 18, 18)'), 'Cancel on the page').to.be.at.least(4.5);
    await expect(element).to.be.accessible();
    await cancelRunning(element);
  });

  it('busy: a spinner and "Signing in…" while the code is exchanged', async () => {
    const clientId = await createClient();
    const element = await mountElement(clientId);
    const spinner = await toBusy(element, clientId);
    expect(button(element).contains(spinner)).to.equal(true);
    expect(spinner.getAttribute('aria-hidden')).to.equal('true');
    expect(labelOf(element)).to.equal('Signing in…');
    expect(button(element).getAttribute('aria-busy')).to.equal('true');
    expect(button(element).querySelector('[part=mark]')).to.equal(null);
    expect(part(element, 'cancel')).to.equal(null);
    await expect(element).to.be.accessible();
    await cancelRunning(element);
    expect(part(element, 'spinner')).to.equal(null);
    expect(labelOf(element)).to.equal('Sign in with Aries');
  });

  it('signed in: a status "Signed in with Aries" instead of the button', async () => {
    const element = await mountElement(await createClient());
    await clickToSignIn(element);
    await element.updateComplete;
    const status = part(element, 'status')!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(status.textContent!.trim()).to.equal('Signed in with Aries');
    expect(status.querySelector('[part=mark]')).to.be.ok;
    expect(part(element, 'button')).to.equal(null);
    expect(part(element, 'sign-out')).to.equal(null);
    expect(messageOf(element).textContent).to.equal('');
    await expect(element).to.be.accessible();
  });

  it('signed in with show-user: "Signed in as Ada Lovelace"', async () => {
    const element = await mountElement(await createClient(), { 'show-user': '' });
    await clickToSignIn(element);
    await waitFor(() => part(element, 'status')?.textContent?.trim() === 'Signed in as Ada Lovelace', 'the user name');
    expect(part(element, 'status')!.getAttribute('role')).to.equal('status');
    await expect(element).to.be.accessible();
  });

  it('signed in with sign-out: a "Sign out" button that brings the sign-in button back', async () => {
    const element = await mountElement(await createClient(), { 'sign-out': '' });
    await clickToSignIn(element);
    await element.updateComplete;
    const signOut = part(element, 'sign-out') as HTMLButtonElement;
    expect(signOut.tagName).to.equal('BUTTON');
    expect(signOut.textContent!.trim()).to.equal('Sign out');
    expect(part(element, 'button')).to.equal(null);
    await expect(element).to.be.accessible();

    const logout = oneEvent(element, 'aries-logout');
    signOut.click();
    await logout;
    await element.updateComplete;
    expect(part(element, 'status')).to.equal(null);
    expect(part(element, 'sign-out')).to.equal(null);
    expect(labelOf(element)).to.equal('Sign in with Aries');
  });

  it('error (denied at Aries): announced, button usable, message gone on the next attempt', async () => {
    const clientId = await createClient({ consent: 'deny' });
    const element = await mountElement(clientId);
    const failure = oneEvent(element, 'aries-login-error');
    await userClick(button(element));
    const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
    expect(detail.code).to.equal('access_denied');
    await element.updateComplete;
    expect(messageOf(element).getAttribute('role')).to.equal('alert');
    expect(messageOf(element).textContent).to.equal('Sign-in was cancelled at Aries.');
    expect(button(element).disabled).to.equal(false);
    expect(button(element).getAttribute('aria-busy')).to.equal('false');
    expect(labelOf(element)).to.equal('Sign in with Aries');
    await expect(element).to.be.accessible();

    await updateClient(clientId, { consent: 'manual' });
    await userClick(button(element));
    await element.updateComplete;
    expect(messageOf(element).textContent).to.equal('');
    expect(labelOf(element)).to.equal('Continue in the Aries window');
    await cancelRunning(element);
  });

  it('error (no client-id): invalid_config announced at once, and cleared by the next attempt', async () => {
    const element = await mountElement('');
    const failure = oneEvent(element, 'aries-login-error');
    button(element).click();
    const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
    expect(detail.code).to.equal('invalid_config');
    await element.updateComplete;
    expect(messageOf(element).textContent).to.equal(detail.message);
    expect(detail.message).to.match(/client-id/);
    expect(button(element).disabled).to.equal(false);
    expect(recorder.popups).to.have.length(0);
    await expect(element).to.be.accessible();

    element.setAttribute('client-id', await createClient({ consent: 'manual' }));
    await userClick(button(element));
    await element.updateComplete;
    expect(messageOf(element).textContent).to.equal('');
    expect(recorder.popups).to.have.length(1);
    await cancelRunning(element);
  });

  it('error on a dark page (color-scheme dark): the message stays readable', async () => {
    const element = await mount({ 'color-scheme': 'dark' }, '#121212');
    const failure = oneEvent(element, 'aries-login-error');
    button(element).click(); // no client-id: invalid_config
    await failure;
    await element.updateComplete;
    const message = messageOf(element);
    expect(message.textContent).not.to.equal('');
    expect(contrast(style(message).color, 'rgb(18, 18, 18)')).to.be.at.least(4.5);
    await expect(element).to.be.accessible();
  });

  it('disabled: the button is disabled and a click starts nothing', async () => {
    const element = await mountElement(await createClient(), { disabled: '' });
    const starts: Event[] = [];
    element.addEventListener('aries-login-start', (e) => starts.push(e));
    expect(button(element).disabled).to.equal(true);
    button(element).click();
    element.shadowRoot!.querySelector('.base')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await sleep(100);
    expect(starts).to.have.length(0);
    expect(recorder.popups).to.have.length(0);
    expect(button(element).getAttribute('aria-busy')).to.equal('false');
    await expect(element).to.be.accessible();
  });

  it('rate-limited: the message, a disabled button counting down "Try again in N s", enabled again after', async () => {
    const clientId = await createClient();
    await queueTokenFaults(clientId, [{ status: 429, error: 'rate_limited', headers: { 'X-RateLimit-Reset': '2' } }]);
    const element = await mountElement(clientId);
    const failure = oneEvent(element, 'aries-login-error');
    await userClick(button(element));
    const { detail } = (await failure) as CustomEvent<AriesLoginErrorDetail>;
    expect(detail.code).to.equal('rate_limited');
    await element.updateComplete;
    expect(messageOf(element).textContent).to.equal('Too many sign-in attempts. Please wait and try again.');
    expect(button(element).disabled).to.equal(true);
    const seconds = () => Number(/^Try again in (\d+) s$/.exec(labelOf(element))?.[1]);
    const first = seconds();
    expect(first, labelOf(element)).to.be.within(1, 2);
    // Dimmed, yet readable: axe leaves disabled controls out, so the contrast is checked here, opacity included.
    const dimmed = style(button(element));
    const opacity = Number(dimmed.opacity);
    const page = 'rgb(255, 255, 255)';
    expect(contrast(blend(dimmed.color, page, opacity), blend(dimmed.backgroundColor, page, opacity))).to.be.at.least(
      4.5,
    );
    await expect(element).to.be.accessible();

    await sleep(1100);
    const second = seconds();
    expect(second, labelOf(element)).to.be.within(1, first - 1);
    expect(button(element).disabled).to.equal(true);

    await waitFor(() => !button(element).disabled, 'the button to be enabled again', 3000);
    expect(labelOf(element)).to.equal('Sign in with Aries');
  });

  it('the spinner turns without a reduced-motion preference', async () => {
    const clientId = await createClient();
    const element = await mountElement(clientId);
    const spinner = await toBusy(element, clientId);
    expect(style(spinner).animationName).to.equal('spin');
    const before = style(spinner).transform;
    await sleep(150);
    expect(style(spinner).transform).not.to.equal(before);
    await cancelRunning(element);
  });

  it('prefers-reduced-motion: reduce: the spinner stands still', async function () {
    if (!(await emulate({ reducedMotion: 'reduce' }))) skipBecause(this, noMediaEmulation);
    try {
      expect(matchMedia('(prefers-reduced-motion: reduce)').matches).to.equal(true);
      const clientId = await createClient();
      const element = await mountElement(clientId);
      const spinner = await toBusy(element, clientId);
      expect(style(spinner).animationName).to.equal('none');
      const before = style(spinner).transform;
      await sleep(150);
      expect(style(spinner).transform).to.equal(before);
      await expect(element).to.be.accessible();
      await emulate({ reducedMotion: 'no-preference' });
      expect(style(spinner).animationName).to.equal('spin');
      await cancelRunning(element);
    } finally {
      await emulate({ reducedMotion: 'no-preference' });
    }
  });

  it('forced colours: every button keeps a visible border', async function () {
    const forcedColors = (value: string) =>
      executeServerCommand<boolean, MediaFeature[]>('emulate-media-features', [{ name: 'forced-colors', value }]);
    if (!(await forcedColors('active')) || !matchMedia('(forced-colors: active)').matches) {
      skipBecause(this, noMediaEmulation);
    }
    try {
      for (const variant of ['filled', 'outline', 'dark']) {
        const element = await mount({ variant });
        const computed = style(button(element));
        expect(computed.borderTopStyle, variant).to.equal('solid');
        expect(parseFloat(computed.borderTopWidth), variant).to.be.at.least(1);
        expect(transparent(computed.borderTopColor), variant).to.equal(false);
        await expect(element).to.be.accessible();
      }
    } finally {
      await forcedColors('');
    }
  });

  it('color-scheme auto follows prefers-color-scheme: dark', async function () {
    if (!(await emulate({ colorScheme: 'dark' }))) skipBecause(this, noMediaEmulation);
    try {
      const element = await mount({ 'color-scheme': 'auto' }, '#121212');
      expect(style(button(element)).backgroundColor).to.equal('rgb(168, 199, 250)');
      await expect(element).to.be.accessible();
      await emulate({ colorScheme: 'light' });
      expect(style(button(element)).backgroundColor).to.equal('rgb(11, 61, 145)');
    } finally {
      await emulate({ colorScheme: 'light' });
    }
  });
});

describe("the page's color-scheme", () => {
  const blue = 'rgb(11, 61, 145)';
  const light = 'rgb(168, 199, 250)';
  const night = '#121212';

  it('a dark page (color-scheme: dark): the dark palette without any attribute', async () => {
    const element = await mount({}, night, 'dark');
    expect(style(button(element)).backgroundColor).to.equal(light);
    expect(style(button(element)).color).to.equal('rgb(6, 46, 111)');
    await expect(element).to.be.accessible();
  });

  it('a light page (color-scheme: light, or none): the light palette', async () => {
    expect(style(button(await mount({}, '#ffffff', 'light'))).backgroundColor).to.equal(blue);
    expect(style(button(await mount({}, '#ffffff'))).backgroundColor).to.equal(blue);
  });

  it('the color-scheme attribute wins over the page: light on a dark page, dark on a light one', async () => {
    const onDark = await mount({ 'color-scheme': 'light' }, '#ffffff', 'dark');
    expect(style(button(onDark)).backgroundColor).to.equal(blue);
    const onLight = await mount({ 'color-scheme': 'dark' }, night, 'light');
    expect(style(button(onLight)).backgroundColor).to.equal(light);
  });

  it('a page that declares "light dark" follows the user: dark when prefers-color-scheme is dark', async function () {
    if (!(await emulate({ colorScheme: 'dark' }))) skipBecause(this, noMediaEmulation);
    try {
      const element = await mount({}, night, 'light dark');
      expect(style(button(element)).backgroundColor).to.equal(light);
      await emulate({ colorScheme: 'light' });
      expect(style(button(element)).backgroundColor).to.equal(blue);
    } finally {
      await emulate({ colorScheme: 'light' });
    }
  });

  // The gallery's states on a light and on a dark page: every variant idle, an error message, signed in with Sign out.
  for (const [page, background, scheme] of [
    ['light', '#ffffff', 'light'],
    ['dark', night, 'dark'],
  ]) {
    it(`every variant and state on a ${page} page is axe clean, with 4.5:1 text`, async () => {
      for (const variant of ['filled', 'outline', 'dark']) {
        const element = await mount({ variant }, background, scheme);
        const computed = style(button(element));
        const behind = transparent(computed.backgroundColor)
          ? style(element.parentElement!).backgroundColor
          : computed.backgroundColor;
        expect(contrast(computed.color, behind), `${variant} label`).to.be.at.least(4.5);
        await expect(element).to.be.accessible();
      }
      const failing = await mount({}, background, scheme);
      const failure = oneEvent(failing, 'aries-login-error');
      button(failing).click(); // no client-id: invalid_config
      await failure;
      await failing.updateComplete;
      const page = style(failing.parentElement!).backgroundColor;
      expect(contrast(style(messageOf(failing)).color, page), 'error message').to.be.at.least(4.5);
      await expect(failing).to.be.accessible();

      const clientId = await createClient();
      const signedIn = await mount({ ...configured(clientId), 'sign-out': '' }, background, scheme);
      await clickToSignIn(signedIn);
      await signedIn.updateComplete;
      const signOut = style(part(signedIn, 'sign-out')!);
      expect(contrast(signOut.color, page), 'Sign out').to.be.at.least(4.5);
      await expect(signedIn).to.be.accessible();
    });
  }
});

describe('keyboard', () => {
  /** An element after a focusable button, reached with Tab as a keyboard user does. */
  async function tabTo(attributes: Record<string, string>, background = '#ffffff') {
    const wrapper = await fixture<HTMLDivElement>(html`<div><button>Before</button><aries-login></aries-login></div>`);
    Object.assign(wrapper.style, { background, padding: '12px' });
    const element = wrapper.querySelector('aries-login')!;
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    await element.updateComplete;
    wrapper.querySelector('button')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement).to.equal(button(element));
    return element;
  }

  it('Tab focuses the button, with a visible focus ring', async () => {
    const element = await tabTo({});
    const control = button(element);
    expect(control.matches(':focus-visible')).to.equal(true);
    const computed = style(control);
    expect(computed.outlineStyle).not.to.equal('none');
    expect(parseFloat(computed.outlineWidth)).to.be.at.least(2);
    expect(transparent(computed.outlineColor)).to.equal(false);
    await expect(element).to.be.accessible();
  });

  describe('the focus ring stands out from the page (3:1) in every variant and colour scheme', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['filled', {}, '#ffffff'],
      ['outline', { variant: 'outline' }, '#ffffff'],
      ['dark', { variant: 'dark' }, '#ffffff'],
      ['filled, color-scheme dark', { 'color-scheme': 'dark' }, '#121212'],
      ['outline, color-scheme dark', { variant: 'outline', 'color-scheme': 'dark' }, '#121212'],
      ['dark, color-scheme dark', { variant: 'dark', 'color-scheme': 'dark' }, '#121212'],
    ];
    for (const [name, attributes, page] of cases) {
      it(name, async () => {
        const element = await tabTo(attributes, page);
        const computed = style(button(element));
        expect(button(element).matches(':focus-visible')).to.equal(true);
        expect(parseFloat(computed.outlineWidth)).to.be.at.least(2);
        const pageColor = style(element.parentElement!).backgroundColor;
        expect(contrast(computed.outlineColor, pageColor), `${computed.outlineColor} on ${pageColor}`).to.be.at.least(
          3,
        );
      });
    }
  });

  for (const [key, name] of [
    ['Enter', 'Enter'],
    [' ', 'Space'],
  ]) {
    it(`${name} starts a sign-in`, async () => {
      const clientId = await createClient({ consent: 'manual' });
      const element = await tabTo(configured(clientId));
      const start = oneEvent(element, 'aries-login-start');
      await sendKeys({ press: key });
      await start;
      expect(recorder.popups).to.have.length(1);
      await element.updateComplete;
      expect(button(element).getAttribute('aria-busy')).to.equal('true');
      expect(labelOf(element)).to.equal('Continue in the Aries window');
      await cancelRunning(element);
    });
  }

  /** Whether Enter activates a button of this page while another window holds the focus: tried on one of its own. */
  async function enterActivatesUnfocused() {
    const probe = document.createElement('button');
    let pressed = false;
    probe.addEventListener('click', () => (pressed = true));
    document.body.append(probe);
    probe.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => pressed, 'the probe', 1000).catch(() => undefined);
    probe.remove();
    return pressed;
  }

  it('Tab reaches Cancel while the Aries window is open, and Enter on it ends the sign-in', async function () {
    const clientId = await createClient({ consent: 'manual' });
    const element = await tabTo(configured(clientId));
    await sendKeys({ press: 'Enter' });
    expect(recorder.popups).to.have.length(1);
    await onAriesPage(recorder.popups[0]!);
    await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement).to.equal(part(element, 'cancel'));
    if (!document.hasFocus() && !(await enterActivatesUnfocused())) {
      // Firefox gives the popup the window focus; keys still reach the page but activate nothing until a person
      // comes back to it (a click or Alt+Tab), which this runner cannot do. (WebKit activates them.)
      await cancelRunning(element);
      skipBecause(this, 'the Aries window holds the focus, and this browser activates nothing in an unfocused page');
    }
    part(element, 'cancel')!.focus(); // back from the probe, where Tab had put it
    const failure = oneEvent(element, 'aries-login-error');
    await sendKeys({ press: 'Enter' });
    expect(((await failure) as CustomEvent<AriesLoginErrorDetail>).detail.code).to.equal('cancelled');
    await waitFor(() => recorder.popups[0]!.closed, 'the popup to close');
  });
});
