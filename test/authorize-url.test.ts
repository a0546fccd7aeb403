import { expect } from '@open-wc/testing';
import { buildAuthorizeUrl, prepareSignIn } from '../src/authorize-url.js';
import { createCodeChallenge } from '../src/pkce.js';

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
});
