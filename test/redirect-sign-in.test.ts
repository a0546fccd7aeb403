// The full-page sign-in without the element: what it keeps in this tab's session storage for the callback, and where it
// sends the tab. The tab itself is a stand-in (a real navigation would end the test page); the storage is the real one.
import { expect } from '@open-wc/testing';
import { prepareSignIn } from '../src/authorize-url.js';
import type { AriesLoginError } from '../src/errors.js';
import { createCodeChallenge } from '../src/pkce.js';
import { startRedirectSignIn } from '../src/redirect-sign-in.js';
import { takeTransaction } from '../src/transaction-store.js';

const config = {
  clientId: 'demo-spa',
  redirectUri: `${location.origin}/callback.html`,
  scope: 'user:information',
  authorizeUrl: 'https://app.aries.com/oauth2/authorize',
  tokenUrl: 'https://api.aries.com/v1/oauth2/token',
};

/** A tab at `href` that records where it is sent, with this page's session storage (or `storage`). */
function tab(href: string, storage: () => Storage = () => sessionStorage) {
  const assigned: string[] = [];
  const win = {
    get sessionStorage() {
      return storage();
    },
    location: { href, assign: (url: string) => assigned.push(url) },
  } as unknown as Window;
  return { win, assigned };
}

const storedKeys = () => Object.keys(sessionStorage).filter((key) => key.startsWith('aries-login:'));

describe('startRedirectSignIn', () => {
  beforeEach(() => storedKeys().forEach((key) => sessionStorage.removeItem(key)));

  it('redirect mode: a prepared sign-in is saved for the callback, with the address at the click, and the tab goes to its URL', async () => {
    const prepared = await prepareSignIn(crypto, config, Date.now());
    const { win, assigned } = tab(`${location.origin}/app/#at-the-click`);
    await startRedirectSignIn(win, crypto, config, undefined, prepared);
    expect(assigned).to.deep.equal([prepared.url]);
    const saved = takeTransaction(sessionStorage, prepared.transaction.state, Date.now());
    // As stored: JSON, so a field left undefined is absent.
    expect(saved).to.deep.equal(
      JSON.parse(JSON.stringify({ ...prepared.transaction, returnTo: `${location.origin}/app/#at-the-click` })),
    );
  });

  it('without a prepared sign-in makes one: the tab goes to Aries with the saved state and its verifier’s S256 challenge', async () => {
    const { win, assigned } = tab(`${location.origin}/app/`);
    await startRedirectSignIn(win, crypto, config);
    expect(assigned).to.have.length(1);
    const url = new URL(assigned[0]);
    expect(url.origin + url.pathname).to.equal(config.authorizeUrl);
    expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
    const state = url.searchParams.get('state')!;
    const saved = takeTransaction(sessionStorage, state, Date.now());
    expect(saved, 'the transaction of the state in the URL').to.include({
      state,
      redirectUri: config.redirectUri,
      returnTo: `${location.origin}/app/`,
    });
    expect(url.searchParams.get('code_challenge')).to.equal(await createCodeChallenge(crypto, saved!.codeVerifier));
  });

  it('abandoned before the tab leaves: rejects with the reason, the tab stays, and no transaction is left behind', async () => {
    const prepared = await prepareSignIn(crypto, config, Date.now());
    const { win, assigned } = tab(`${location.origin}/app/`);
    const abort = new AbortController();
    const reason = new Error('the element left the page');
    abort.abort(reason);
    const outcome = await startRedirectSignIn(win, crypto, config, abort.signal, prepared).catch((error) => error);
    expect(outcome).to.equal(reason);
    expect(assigned).to.deep.equal([]);
    expect(storedKeys()).to.deep.equal([]);
  });

  it('with no session storage: storage_unavailable, and the tab stays', async () => {
    const { win, assigned } = tab(`${location.origin}/app/`, () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    const error = (await startRedirectSignIn(win, crypto, config).catch((e) => e)) as AriesLoginError;
    expect(error.code).to.equal('storage_unavailable');
    expect(assigned).to.deep.equal([]);
  });
});
