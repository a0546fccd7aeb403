import { expect } from '@open-wc/testing';
import { buildAuthorizeUrl } from '../src/authorize-url.js';

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
