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

/** `text`'s SHA-256, base64url: the S256 challenge of a verifier, and the name of a sign-in's waiting lock (waiting-lock.ts). */
export const sha256Base64url = async (crypto: Crypto, text: string): Promise<string> =>
  base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));

export const createCodeChallenge = sha256Base64url;
