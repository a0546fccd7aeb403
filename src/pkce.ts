/** PKCE (RFC 7636), S256 only: a random verifier and its SHA-256 challenge, from the Web Crypto API it is given. */
export const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** `bytes` random bytes, base64url: 32 bytes give 43 characters (256 bits). */
export const createRandomString = (crypto: Crypto, bytes = 32): string =>
  base64url(crypto.getRandomValues(new Uint8Array(bytes)));

export const createCodeVerifier = createRandomString;

export const createCodeChallenge = async (crypto: Crypto, verifier: string): Promise<string> =>
  base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
