// The element's stylesheet on a plain shadow root with the element's parts (no element): each attribute's look, the
// custom properties that theme it, and the states it styles.
import { expect } from '@open-wc/testing';
import { adoptStyles } from 'lit';
import { styles } from '../src/aries-login-styles.js';

/** A host with the stylesheet and the element's markup: the button, the status, the message. */
function styledHost(attributes: Record<string, string> = {}) {
  const host = document.createElement('div');
  for (const [name, value] of Object.entries(attributes)) host.setAttribute(name, value);
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, [styles]);
  root.innerHTML = `<div class="base"><button part="button"><svg part="mark"></svg><span>Sign in with Aries</span></button>
    <span part="message" role="alert"></span></div>`;
  document.body.append(host);
  const part = (name: string) => root.querySelector<HTMLElement>(`[part=${name}]`)!;
  return { host, part, remove: () => host.remove() };
}

const hosts: ReturnType<typeof styledHost>[] = [];
const styled = (attributes?: Record<string, string>) => {
  const host = styledHost(attributes);
  hosts.push(host);
  return host;
};

describe('styles', () => {
  afterEach(() => hosts.splice(0).forEach((host) => host.remove()));

  it('the default button: Aries blue with white text, 6px corners, inline in the text', () => {
    const { host, part } = styled({ 'color-scheme': 'light' });
    const button = getComputedStyle(part('button'));
    expect(button.backgroundColor).to.equal('rgb(11, 61, 145)');
    expect(button.color).to.equal('rgb(255, 255, 255)');
    expect(button.borderTopLeftRadius).to.equal('6px');
    expect(getComputedStyle(host).display).to.equal('inline-block');
  });

  it('variant="outline": transparent, with the accent as text and border; variant="dark": near-black', () => {
    const outline = getComputedStyle(styled({ 'color-scheme': 'light', variant: 'outline' }).part('button'));
    expect(outline.backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    expect(outline.color).to.equal('rgb(11, 61, 145)');
    expect(outline.borderTopColor).to.equal('rgb(11, 61, 145)');
    const dark = getComputedStyle(styled({ 'color-scheme': 'light', variant: 'dark' }).part('button'));
    expect(dark.backgroundColor).to.equal('rgb(27, 27, 31)');
  });

  it('color-scheme="dark": the dark palette', () => {
    const button = getComputedStyle(styled({ 'color-scheme': 'dark' }).part('button'));
    expect(button.backgroundColor).to.equal('rgb(168, 199, 250)');
    expect(button.color).to.equal('rgb(6, 46, 111)');
  });

  it('size and shape: small and large scale the text, pill rounds the corners', () => {
    const medium = parseFloat(getComputedStyle(styled().part('button')).fontSize);
    expect(parseFloat(getComputedStyle(styled({ size: 'small' }).part('button')).fontSize)).to.be.below(medium);
    expect(parseFloat(getComputedStyle(styled({ size: 'large' }).part('button')).fontSize)).to.be.above(medium);
    expect(getComputedStyle(styled({ shape: 'pill' }).part('button')).borderTopLeftRadius).to.equal('999px');
  });

  it('full-width fills the container; hidden hides the host', () => {
    expect(getComputedStyle(styled({ 'full-width': '' }).host).display).to.equal('block');
    expect(getComputedStyle(styled({ hidden: '' }).host).display).to.equal('none');
  });

  it('the --aries-login-* custom properties win over every variant', () => {
    const { host, part } = styled({ variant: 'outline' });
    host.style.setProperty('--aries-login-background', 'rgb(1, 2, 3)');
    host.style.setProperty('--aries-login-color', 'rgb(4, 5, 6)');
    host.style.setProperty('--aries-login-radius', '3px');
    const button = getComputedStyle(part('button'));
    expect(button.backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(button.color).to.equal('rgb(4, 5, 6)');
    expect(button.borderTopLeftRadius).to.equal('3px');
  });

  it('an empty message takes no room; with its text it shows, on its own line', () => {
    const { part } = styled();
    expect(getComputedStyle(part('message')).display).to.equal('none');
    part('message').textContent = 'Sign-in was cancelled.';
    expect(getComputedStyle(part('message')).display).not.to.equal('none');
    expect(getComputedStyle(part('message')).flexBasis).to.equal('100%');
  });

  it('a disabled button is dimmed to 0.75 and says it cannot be used', () => {
    const { part } = styled();
    (part('button') as HTMLButtonElement).disabled = true;
    const button = getComputedStyle(part('button'));
    expect(button.opacity).to.equal('0.75');
    expect(button.cursor).to.equal('not-allowed');
  });
});
