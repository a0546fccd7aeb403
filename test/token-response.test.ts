import { expect } from '@open-wc/testing';
import { readTokenResponse } from '../src/token-response.js';

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
