import { expect } from '@open-wc/testing';
import { normalizeScope, rejectSecrets, validateConfig, type RawConfig } from '../src/config.js';
import { configMessages, describeError } from '../src/error-messages.js';

const base = 'https://myapp.example/app/page.html';
const valid: RawConfig = {
  clientId: 'demo-spa',
  redirectUri: 'https://myapp.example/oauth/callback',
  scope: 'user:information',
  authorizeUrl: 'https://app.aries.com/oauth2/authorize',
  tokenUrl: 'https://api.aries.com/v1/oauth2/token',
};

describe('config', () => {
  it('accepts a complete configuration as it is', () => {
    expect(validateConfig(valid, base)).to.deep.equal({ ...valid, backendUrl: undefined });
  });

  const backends: [string, string][] = [
    ['/auth', 'https://myapp.example/auth'],
    ['/auth/', 'https://myapp.example/auth'],
    ['https://bff.example/session', 'https://bff.example/session'],
  ];
  for (const [backendUrl, resolved] of backends) {
    it(`resolves backend-url ${backendUrl} against the page`, () => {
      expect(validateConfig({ ...valid, backendUrl }, base).backendUrl).to.equal(resolved);
    });
  }

  // The message is written when the error is reported (describeError); the error names the attribute at fault.
  const invalid: [string, RawConfig, string, RegExp][] = [
    ['client-id missing', { ...valid, clientId: undefined }, 'invalid_config', /client-id/],
    ['client-id empty', { ...valid, clientId: '  ' }, 'invalid_config', /client-id/],
    ['redirect-uri missing', { ...valid, redirectUri: null }, 'invalid_config', /redirect-uri/],
    ['redirect-uri relative', { ...valid, redirectUri: '/oauth/callback' }, 'invalid_config', /absolute/],
    ['redirect-uri with a fragment', { ...valid, redirectUri: 'https://a.example/cb#x' }, 'invalid_config', /fragment/],
    [
      'redirect-uri http: off localhost',
      { ...valid, redirectUri: 'http://myapp.example/cb' },
      'invalid_config',
      /https/,
    ],
    ['redirect-uri javascript:', { ...valid, redirectUri: 'javascript:alert(1)' }, 'invalid_config', /https/],
    ['token-url http: off localhost', { ...valid, tokenUrl: 'http://api.aries.com/t' }, 'invalid_config', /token-url/],
    ['authorize-url not a URL', { ...valid, authorizeUrl: 'aries' }, 'invalid_config', /authorize-url/],
    [
      'a client_secret in the token-url',
      { ...valid, tokenUrl: 'https://api.aries.com/t?client_secret=s' },
      'invalid_config',
      /secret/,
    ],
    [
      'an unknown scope',
      { ...valid, scope: 'user:information Account:information' },
      'invalid_scope',
      /Account:information/,
    ],
    ['an empty scope', { ...valid, scope: '   ' }, 'invalid_scope', /at least one scope/],
    [
      'backend-url http: off localhost',
      { ...valid, backendUrl: 'http://bff.example/auth' },
      'invalid_config',
      /backend-url/,
    ],
    [
      'a client_secret in the backend-url',
      { ...valid, backendUrl: '/auth?client_secret=s' },
      'invalid_config',
      /secret/,
    ],
  ];
  for (const [name, raw, code, message] of invalid) {
    it(`refuses ${name} with ${code}`, () => {
      let thrown: unknown;
      try {
        validateConfig(raw, base);
      } catch (error) {
        thrown = error;
      }
      const detail = describeError(thrown, configMessages);
      expect(detail.code).to.equal(code);
      expect(detail.message).to.match(message);
      expect(detail.attribute).to.be.a('string').and.not.equal('');
      // One wording rule: the attribute, then what it must be.
      expect(detail.message).to.match(new RegExp(`^\`${detail.attribute}\` must `));
    });
  }

  const loopback = ['http://localhost:8080/cb', 'http://127.0.0.1/cb', 'http://[::1]:3000/cb'];
  for (const redirectUri of loopback) {
    it(`allows http: on loopback: ${redirectUri}`, () => {
      expect(validateConfig({ ...valid, redirectUri }, base).redirectUri).to.equal(redirectUri);
    });
  }

  // Aries' ten scopes, as its documentation lists them (../shared/aries-api.md), each accepted on its own and all
  // together; near misses (case, plural, a prefix, another API's suffix) are refused.
  const ariesScopes = [
    'user:information',
    'account:information',
    'order:execution',
    'order:information',
    'position:information',
    'market:information',
    'calendar:information',
    'options:information',
    'analytics:information',
    'market:supplemental',
  ];
  for (const scope of ariesScopes) {
    it(`accepts the Aries scope ${scope}`, () => expect(normalizeScope(scope)).to.equal(scope));
  }
  it('accepts all ten Aries scopes at once', () => {
    expect(normalizeScope(ariesScopes.join(' '))).to.equal(ariesScopes.join(' '));
  });
  const nearMisses = [
    'User:information',
    'user:Information',
    'users:information',
    'user:informations',
    'user',
    'user:',
    'order:supplemental',
    'market:execution',
    'calendar:supplemental',
    'xuser:information',
    'user:informationx',
  ];
  for (const scope of nearMisses) {
    it(`refuses the near miss ${scope} with invalid_scope`, () => {
      expect(() => normalizeScope(`user:information ${scope}`))
        .to.throw()
        .that.include({ code: 'invalid_scope', attribute: 'scope', value: scope });
    });
  }

  const scopes: [string, string][] = [
    ['user:information', 'user:information'],
    ['  user:information   account:information ', 'user:information account:information'],
    ['user:information\tuser:information\nmarket:information', 'user:information market:information'],
  ];
  for (const [input, normalised] of scopes) {
    it(`normalises scope ${JSON.stringify(input)}`, () => expect(normalizeScope(input)).to.equal(normalised));
  }

  const secretNames = ['client-secret', 'client_secret', 'clientSecret', 'secret', 'CLIENT-SECRET'];
  for (const name of secretNames) {
    it(`refuses a secret offered as "${name}"`, () => {
      expect(() => rejectSecrets(['client-id', name]))
        .to.throw()
        .that.include({ code: 'invalid_config', attribute: name });
    });
  }
  it('accepts attributes without secrets', () => {
    expect(() => rejectSecrets(['client-id', 'redirect-uri', 'scope', 'class'])).not.to.throw();
  });
});
