import { expect } from '@open-wc/testing';
import { assertSecureContext } from '../src/config.js';
import { base64url, createCodeChallenge, createCodeVerifier } from '../src/pkce.js';

describe('pkce', () => {
  it('derives the RFC 7636 Appendix B challenge with S256', async () => {
    const challenge = await createCodeChallenge(crypto, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(challenge).to.equal('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character base64url verifiers, different every time', () => {
    const verifiers = Array.from({ length: 50 }, () => createCodeVerifier(crypto));
    for (const verifier of verifiers) expect(verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(verifiers).size).to.equal(50);
  });

  const base64urlCases: [number[], string][] = [
    [[], ''],
    [[0xfb], '-w'],
    [[0xff, 0xff], '__8'],
    [[0x66, 0x6f, 0x6f], 'Zm9v'],
  ];
  for (const [bytes, encoded] of base64urlCases) {
    it(`encodes [${bytes}] as "${encoded}" (no padding, URL alphabet)`, () => {
      expect(base64url(new Uint8Array(bytes))).to.equal(encoded);
    });
  }

  it('refuses to run without crypto.subtle: insecure_context, never a plain fallback', () => {
    expect(() => assertSecureContext({ getRandomValues: crypto.getRandomValues } as unknown as Crypto))
      .to.throw()
      .with.property('code', 'insecure_context');
    expect(() => assertSecureContext(undefined))
      .to.throw()
      .with.property('code', 'insecure_context');
    expect(() => assertSecureContext(crypto)).not.to.throw();
  });
});
