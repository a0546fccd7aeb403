/** One sign-in's transaction: its one-time `state`, PKCE verifier and return address, kept until its callback, at most once. */
import type { SignInConfig } from './config.js';
import { AriesLoginError } from './errors.js';
import { createCodeVerifier, createRandomString } from './pkce.js';

export interface Transaction {
  /** 256 random bits: the CSRF defence and the key the callback is matched on. */
  state: string;
  codeVerifier: string;
  clientId: string;
  redirectUri: string;
  tokenUrl: string;
  /** Epoch ms. */
  createdAt: number;
  /** Redirect mode: where the user started, to return there afterwards. */
  returnTo?: string;
}

/** An authorize step older than this is refused: Aries' codes are short-lived and a user does not take longer. */
export const TRANSACTION_LIFETIME = 10 * 60_000;

export const createTransaction = (
  crypto: Crypto,
  { clientId, redirectUri, tokenUrl }: SignInConfig,
  now: number,
  returnTo?: string,
): Transaction => ({
  state: createRandomString(crypto),
  codeVerifier: createCodeVerifier(crypto),
  clientId,
  redirectUri,
  tokenUrl,
  createdAt: now,
  returnTo,
});

export function assertFresh(transaction: Transaction, now: number): void {
  if (now - transaction.createdAt > TRANSACTION_LIFETIME) throw new AriesLoginError('expired_transaction');
}
