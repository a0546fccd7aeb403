import { expect } from '@open-wc/testing';
import { readBackendSession, readTokenResponse } from '../src/token-response.js';

const valid = { access_token: 'at', token_type: 'Bearer', expires_in: 3600 };

describe('token response (RFC 6749 §5.1)', () => {
  it('reads a complete answer, and normalises the token type', () => {
    expect(
      readTokenResponse({
        ...valid,
        token_type: 'bearer',
        refresh_token: 'rt',
        scope: 'user:information order:execution',
      }),
    ).to.deep.equal({
      ok: true,
      tokens: {
        accessToken: 'at',
        tokenType: 'Bearer',
        expiresIn: 3600,
        refreshToken: 'rt',
        scope: 'user:information order:execution',
      },
    });
  });

  it("takes Aries' documented hour when expires_in is absent, and leaves absent fields out", () => {
    expect(readTokenResponse({ access_token: 'at', token_type: 'BEARER' })).to.deep.equal({
      ok: true,
      tokens: { accessToken: 'at', tokenType: 'Bearer', expiresIn: 3600 },
    });
  });

  const invalid: [string, unknown, string][] = [
    ['not an object', 'text', 'access_token'],
    ['null', null, 'access_token'],
    ['an array', [valid], 'access_token'],
    ['no access token', { token_type: 'Bearer' }, 'access_token'],
    ['an empty access token', { ...valid, access_token: '' }, 'access_token'],
    ['a numeric access token', { ...valid, access_token: 42 }, 'access_token'],
    ['a line break in the access token', { ...valid, access_token: 'a\nb' }, 'access_token'],
    ['no token type', { access_token: 'at', expires_in: 60 }, 'token_type'],
    ['a mac token', { ...valid, token_type: 'mac' }, 'token_type'],
    ['expires_in 0', { ...valid, expires_in: 0 }, 'expires_in'],
    ['expires_in negative', { ...valid, expires_in: -100 }, 'expires_in'],
    ['expires_in true', { ...valid, expires_in: true }, 'expires_in'],
    ['expires_in "0x10"', { ...valid, expires_in: '0x10' }, 'expires_in'],
    ['expires_in "soon"', { ...valid, expires_in: 'soon' }, 'expires_in'],
    ['expires_in "3600" (a string)', { ...valid, expires_in: '3600' }, 'expires_in'],
    ['expires_in 1.5', { ...valid, expires_in: 1.5 }, 'expires_in'],
    [
      'expires_in 1e400 (Infinity)',
      JSON.parse('{"access_token":"a","token_type":"Bearer","expires_in":1e400}'),
      'expires_in',
    ],
    ['expires_in null', { ...valid, expires_in: null }, 'expires_in'],
    ['a numeric refresh token', { ...valid, refresh_token: 7 }, 'refresh_token'],
    ['an empty refresh token', { ...valid, refresh_token: '' }, 'refresh_token'],
    ['a scope list', { ...valid, scope: ['user:information'] }, 'scope'],
    ['a scope with a double space', { ...valid, scope: 'a  b' }, 'scope'],
  ];
  for (const [name, json, field] of invalid) {
    it(`refuses ${name}, naming \`${field}\``, () => {
      const result = readTokenResponse(json);
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.field).to.equal(field);
      expect(result.message).to.be.a('string').and.include(`\`${field}\``);
    });
  }

  it('reads only own properties: a prototype-named key is data', () => {
    const json = JSON.parse('{"__proto__": {"access_token": "inherited", "token_type": "Bearer"}}') as unknown;
    expect(readTokenResponse(json).ok).to.equal(false);
    const inherited = Object.create({ access_token: 'at', token_type: 'Bearer' }) as object;
    expect(readTokenResponse(inherited).ok).to.equal(false);
  });
});

describe('a backend’s answer when it keeps the tokens (apiProxy)', () => {
  const held = { expires_in: 3600, scope: 'user:information account:information', token_held_by: 'backend' };

  it('reads the session’s lifetime and scope, and nothing else', () => {
    expect(readBackendSession({ ...held, session_expires_in: 1800 })).to.deep.equal({
      ok: true,
      tokens: { tokenHeldBy: 'backend', expiresIn: 3600, scope: 'user:information account:information' },
    });
    expect(readBackendSession({ expires_in: 60, token_held_by: 'backend' })).to.deep.equal({
      ok: true,
      tokens: { tokenHeldBy: 'backend', expiresIn: 60 },
    });
  });

  const invalid: [string, unknown, string][] = [
    ['not an object', 'text', 'token_held_by'],
    ['null', null, 'token_held_by'],
    ['an array', [held], 'token_held_by'],
    ['no token_held_by', { expires_in: 60, scope: '' }, 'token_held_by'],
    ['token_held_by "browser"', { ...held, token_held_by: 'browser' }, 'token_held_by'],
    ['token_held_by true', { ...held, token_held_by: true }, 'token_held_by'],
    ['an access token beside it', { ...held, access_token: 'at' }, 'access_token'],
    ['an empty access token beside it', { ...held, access_token: '' }, 'access_token'],
    ['a refresh token beside it', { ...held, refresh_token: 'rt' }, 'refresh_token'],
    ['a token type beside it', { ...held, token_type: 'Bearer' }, 'token_type'],
    // Its own backend always says how long the session's token lasts: no default is taken for it.
    ['no expires_in', { token_held_by: 'backend', scope: '' }, 'expires_in'],
    ['expires_in 0', { ...held, expires_in: 0 }, 'expires_in'],
    ['expires_in "3600"', { ...held, expires_in: '3600' }, 'expires_in'],
    ['expires_in 1.5', { ...held, expires_in: 1.5 }, 'expires_in'],
    ['expires_in null', { ...held, expires_in: null }, 'expires_in'],
    ['a scope list', { ...held, scope: ['user:information'] }, 'scope'],
    ['a scope with a line break', { ...held, scope: 'a\nb' }, 'scope'],
  ];
  for (const [name, json, field] of invalid) {
    it(`refuses ${name}, naming \`${field}\``, () => {
      const result = readBackendSession(json);
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.field).to.equal(field);
      expect(result.message).to.include(`\`${field}\``).and.include('The backend sent');
    });
  }

  it('reads only own properties: an inherited token_held_by is not the backend saying so', () => {
    expect(readBackendSession(JSON.parse('{"__proto__": {"token_held_by": "backend"}, "expires_in": 60}')).ok).to.equal(
      false,
    );
    expect(readBackendSession(Object.create({ token_held_by: 'backend', expires_in: 60 }) as object).ok).to.equal(
      false,
    );
  });

  it('Aries’ own reader never takes it: without an access token it is no token response', () => {
    const result = readTokenResponse(held);
    expect(result).to.include({ ok: false, field: 'access_token' });
  });
});
