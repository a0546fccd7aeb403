// The element's events as the page gets them: `dispatch` makes each one bubble out of any shadow root, with its detail,
// cancelable only when asked, and says whether a listener prevented it.
import { expect } from '@open-wc/testing';
import { dispatch } from '../src/events.js';

/** A target inside a shadow root inside the document, as the element's own parts are. */
function shadowTarget() {
  const host = document.createElement('div');
  document.body.append(host);
  const inner = document.createElement('span');
  host.attachShadow({ mode: 'open' }).append(inner);
  return { host, inner, remove: () => host.remove() };
}

describe('dispatch', () => {
  it('fires the named event with its detail, bubbling and composed: the document hears it from inside a shadow root', () => {
    const { inner, remove } = shadowTarget();
    const heard: Event[] = [];
    const listener = (event: Event) => heard.push(event);
    document.addEventListener('aries-login-success', listener);
    try {
      const detail = {
        accessToken: 'at',
        tokenType: 'Bearer',
        expiresIn: 60,
        expiresAt: Date.now() + 60_000,
        scope: '',
      };
      expect(dispatch(inner, 'aries-login-success', detail)).to.equal(true);
      expect(heard).to.have.length(1);
      const [event] = heard as CustomEvent[];
      expect(event).to.be.instanceOf(CustomEvent);
      expect(event.detail).to.equal(detail);
      expect(event).to.include({ bubbles: true, composed: true, cancelable: false });
    } finally {
      document.removeEventListener('aries-login-success', listener);
      remove();
    }
  });

  it('is not cancelable unless asked: a listener’s preventDefault() changes nothing, and it reports true', () => {
    const target = new EventTarget();
    target.addEventListener('aries-logout', (event) => event.preventDefault());
    expect(dispatch(target, 'aries-logout', {})).to.equal(true);
  });

  it('cancelable when asked: false once a listener prevented it, true when none did', () => {
    const target = new EventTarget();
    expect(dispatch(target, 'aries-login-start', { mode: 'popup' }, true)).to.equal(true);
    target.addEventListener('aries-login-start', (event) => event.preventDefault());
    expect(dispatch(target, 'aries-login-start', { mode: 'popup' }, true)).to.equal(false);
  });
});
