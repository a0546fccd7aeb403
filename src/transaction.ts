/** One sign-in's transaction: its one-time `state`, PKCE verifier and return address, made before the click (in the first file: no await between click and popup). */
import type { SignInConfig } from './config.js';
import { createCodeVerifier, createRandomString } from './pkce.js';

export interface Transaction {
  /** 256 random bits: the CSRF defence and the key the callback is matched on. */
  state: string;
  codeVerifier: string;
  clientId: string;
  redirectUri: string;
  tokenUrl: string;
  backendUrl?: string;
  /** Epoch ms. */
  createdAt: number;
  /** Redirect mode: where the user started, to return there afterwards. */
  returnTo?: string;
}

export const createTransaction = (
  crypto: Crypto,
  { clientId, redirectUri, tokenUrl, backendUrl }: SignInConfig,
  now: number,
): Transaction => ({
  state: createRandomString(crypto),
  codeVerifier: createCodeVerifier(crypto),
  clientId,
  redirectUri,
  tokenUrl,
  backendUrl,
  createdAt: now,
});
