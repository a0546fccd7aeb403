/** Builds the URL of Aries' authorize page for one sign-in, and prepares a sign-in's transaction with it. */
import type { SignInConfig } from './config.js';
import { createCodeChallenge } from './pkce.js';
import { createTransaction, type Transaction } from './transaction.js';
import { waitingLockName } from './waiting-lock.js';

export interface AuthorizeRequest {
  state: string;
  codeChallenge: string;
}

/** A sign-in ready to start: its transaction (one-time `state`, PKCE verifier) and the authorize URL that carries it. */
export interface PreparedSignIn {
  transaction: Transaction;
  url: string;
  /** The name of its waiting lock (waiting-lock.ts), held by a popup sign-in until it ends. */
  lock: string;
}

export function buildAuthorizeUrl(config: SignInConfig, { state, codeChallenge }: AuthorizeRequest): string {
  const url = new URL(config.authorizeUrl);
  const params = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scope,
    state,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/** A fresh transaction and its authorize URL; hashing (the challenge, the lock's name) is the only asynchronous step. */
export async function prepareSignIn(crypto: Crypto, config: SignInConfig, now: number): Promise<PreparedSignIn> {
  const transaction = createTransaction(crypto, config, now);
  const [codeChallenge, lock] = await Promise.all([
    createCodeChallenge(crypto, transaction.codeVerifier),
    waitingLockName(crypto, transaction.state),
  ]);
  return { transaction, url: buildAuthorizeUrl(config, { state: transaction.state, codeChallenge }), lock };
}
