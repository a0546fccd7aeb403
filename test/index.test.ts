// The package entry (`aries-login`): importing it defines <aries-login>, and it exports the element, the error class
// and the two functions for code with no element at hand, which load the flow when called.
import { expect } from '@open-wc/testing';
import * as entry from '../src/index.js';
import { AriesLoginElement, AriesLoginError, ariesFetch, getAccessToken } from '../src/index.js';

describe('index (the package entry)', () => {
  it('exports the element, AriesLoginError, getAccessToken and ariesFetch, and nothing else at run time', () => {
    expect(Object.keys(entry).sort()).to.deep.equal([
      'AriesLoginElement',
      'AriesLoginError',
      'ariesFetch',
      'getAccessToken',
    ]);
  });

  it('importing it defines <aries-login> as the exported element', () => {
    expect(customElements.get('aries-login')).to.equal(AriesLoginElement);
    expect(document.createElement('aries-login')).to.be.instanceOf(AriesLoginElement);
  });

  it('getAccessToken with nobody signed in on the page: an AriesLoginError login_required, with a readable message', async () => {
    const error = await getAccessToken().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AriesLoginError);
    expect((error as AriesLoginError).code).to.equal('login_required');
    expect((error as AriesLoginError).message).to.match(/sign/i);
  });

  it('ariesFetch with no app backend on the page: login_required, and no request', async () => {
    const before = performance.getEntriesByType('resource').length;
    const error = await ariesFetch('/v1/users/me/accounts').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AriesLoginError);
    expect((error as AriesLoginError).code).to.equal('login_required');
    const requests = performance.getEntriesByType('resource').slice(before);
    expect(requests.filter((entry) => entry.name.includes('/v1/users/me/accounts'))).to.deep.equal([]);
  });
});
