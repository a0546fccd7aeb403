// The registration entry, imported on a page where nothing has defined <aries-login> yet (each test file has its own
// page): it defines the tag once, and a second copy of it on the same page does nothing.
import { expect } from '@open-wc/testing';

describe('aries-login-define', () => {
  it('registers <aries-login> as AriesLoginElement: the tag in markup is the element', async () => {
    expect(customElements.get('aries-login'), 'nothing defines it before the import').to.equal(undefined);
    await import('../src/aries-login-define.js');
    const { AriesLoginElement } = await import('../src/aries-login-element.js');
    expect(customElements.get('aries-login')).to.equal(AriesLoginElement);
    const host = document.createElement('div');
    host.innerHTML = '<aries-login client-id="app"></aries-login>';
    expect(host.firstElementChild).to.be.instanceOf(AriesLoginElement);
  });

  it('a second copy on the page (the npm and the CDN build both loaded) does not throw, and the first definition stays', async () => {
    await import('../src/aries-login-define.js');
    const first = customElements.get('aries-login');
    // The same file under another URL is another module: its code runs again, as a second build's would.
    await import('../src/aries-login-define.js?second-copy');
    expect(customElements.get('aries-login')).to.equal(first);
  });
});
