// What replaces the button while signed in, drawn alone with lit: the status in the element's wording, the user's name
// when known, and the sign-out button only when asked for.
import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { en, type AriesLoginStrings } from '../src/labels.js';
import { renderStatus } from '../src/signed-in-status.js';

/** The element's wording as the status asks for it: here a table that marks each label, to see which one is used. */
const t = (key: keyof AriesLoginStrings) => `[${en[key as keyof typeof en]}]`;
const mark = html`<svg part="mark"></svg>`;

function drawn(...args: Parameters<typeof renderStatus>) {
  const container = document.createElement('div');
  render(renderStatus(...args), container);
  const status = container.querySelector<HTMLElement>('[part=status]')!;
  const signOut = container.querySelector<HTMLButtonElement>('[part=sign-out]');
  return { container, status, signOut };
}

describe('renderStatus', () => {
  it('without a user: "Signed in with Aries" in the element’s wording, after the mark, announced as a status', () => {
    const { status, signOut } = drawn(undefined, mark, t);
    expect(status.getAttribute('role')).to.equal('status');
    expect(status.textContent).to.equal('[Signed in with Aries]');
    expect(status.firstElementChild?.getAttribute('part')).to.equal('mark');
    expect(signOut).to.equal(null);
  });

  it('with a user (show-user): "Signed in as" the name, filled into the element’s wording', () => {
    const { status } = drawn('Ada Lovelace', mark, t);
    expect(status.textContent).to.equal('[Signed in as Ada Lovelace]');
  });

  it('a name is text, never markup', () => {
    const { status } = drawn('<img src=x onerror=alert(1)>', mark, t);
    expect(status.querySelector('img')).to.equal(null);
    expect(status.textContent).to.equal('[Signed in as <img src=x onerror=alert(1)>]');
  });

  it('with onSignOut (the sign-out attribute): a "Sign out" button that calls it', () => {
    let calls = 0;
    const { signOut } = drawn(undefined, mark, t, () => calls++);
    expect(signOut!.textContent).to.equal('[Sign out]');
    signOut!.click();
    expect(calls).to.equal(1);
  });
});
