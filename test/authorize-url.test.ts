import { expect } from '@open-wc/testing';
import { buildAuthorizeUrl, prepareSignIn } from '../src/authorize-url.js';
import { createCodeChallenge } from '../src/pkce.js';
import { startRedirectSignIn } from '../src/redirect-sign-in.js';
import { takeTransaction } from '../src/transaction-store.js';

describe('buildAuthorizeUrl', () => {
  const config = {
    clientId: 'demo-spa',
    redirectUri: 'http://localhost:8080/demo/callback.html',
    scope: 'user:information account:information',
    authorizeUrl: 'https://app.aries.com/oauth2/authorize',
    tokenUrl: 'https://api.aries.com/v1/oauth2/token',
  };

  it('carries exactly the authorize parameters, with S256', () => {
    const url = new URL(buildAuthorizeUrl(config, { state: 'st-1', codeChallenge: 'ch-1' }));
    expect(url.origin + url.pathname).to.equal('https://app.aries.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      response_type: 'code',
      client_id: 'demo-spa',
      redirect_uri: 'http://localhost:8080/demo/callback.html',
      scope: 'user:information account:information',
      state: 'st-1',
      code_challenge: 'ch-1',
      code_challenge_method: 'S256',
    });
  });

  it('keeps query parameters already in authorize-url, and overrides OAuth ones', () => {
    const url = new URL(
      buildAuthorizeUrl(
        { ...config, authorizeUrl: 'https://app.aries.com/oauth2/authorize?locale=de&state=old' },
        { state: 's', codeChallenge: 'c' },
      ),
    );
    expect(url.searchParams.get('locale')).to.equal('de');
    expect(url.searchParams.getAll('state')).to.deep.equal(['s']);
  });
});

describe('prepareSignIn (made ready before the click)', () => {
  const config = {
    clientId: 'demo-spa',
    redirectUri: `${location.origin}/callback.html`,
    scope: 'user:information',
    authorizeUrl: 'https://app.aries.com/oauth2/authorize',
    tokenUrl: 'https://api.aries.com/v1/oauth2/token',
  };

  it("carries the transaction's own state and the S256 challenge of its verifier; each one is new", async () => {
    const first = await prepareSignIn(crypto, config, 1000);
    const second = await prepareSignIn(crypto, config, 1000);
    const url = new URL(first.url);
    expect(url.searchParams.get('state')).to.equal(first.transaction.state);
    expect(url.searchParams.get('code_challenge')).to.equal(
      await createCodeChallenge(crypto, first.transaction.codeVerifier),
    );
    expect(first.transaction.createdAt).to.equal(1000);
    expect(second.transaction.state).to.not.equal(first.transaction.state);
    expect(second.transaction.codeVerifier).to.not.equal(first.transaction.codeVerifier);
  });

  it('redirect mode: a prepared sign-in is saved for the callback, with the address at the click, and the tab goes to its URL', async () => {
    const prepared = await prepareSignIn(crypto, config, Date.now());
    const assigned: string[] = [];
    const win = {
      sessionStorage,
      location: { href: `${location.origin}/app/#at-the-click`, assign: (url: string) => assigned.push(url) },
    } as unknown as Window;
    await startRedirectSignIn(win, crypto, config, undefined, prepared);
    expect(assigned).to.deep.equal([prepared.url]);
    const saved = takeTransaction(sessionStorage, prepared.transaction.state, Date.now());
    // As stored: JSON, so a field left undefined is absent.
    expect(saved).to.deep.equal(
      JSON.parse(JSON.stringify({ ...prepared.transaction, returnTo: `${location.origin}/app/#at-the-click` })),
    );
  });
});
