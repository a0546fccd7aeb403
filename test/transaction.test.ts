// A sign-in's transaction, made before the click: one-time state, PKCE verifier, the configuration's addresses.
import { expect } from '@open-wc/testing';
import { createTransaction } from '../src/transaction.js';

const config = {
  clientId: 'demo-spa',
  redirectUri: 'https://app.example/cb',
  scope: 'user:information',
  authorizeUrl: 'https://app.aries.com/oauth2/authorize',
  tokenUrl: 'https://api.aries.com/v1/oauth2/token',
};

describe('transactions', () => {
  it('are fresh: 256-bit state, 43-character verifier, the config’s addresses, no scope or secret', () => {
    const a = createTransaction(crypto, config, 1000);
    const b = createTransaction(crypto, config, 1000);
    expect(a.state).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(a.codeVerifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(a.state).not.to.equal(b.state);
    expect(a.codeVerifier).not.to.equal(b.codeVerifier);
    expect(a).to.include({
      clientId: 'demo-spa',
      redirectUri: config.redirectUri,
      tokenUrl: config.tokenUrl,
      createdAt: 1000,
    });
    expect(a).not.to.have.property('scope');
  });
});
