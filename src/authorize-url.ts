/** Builds the URL of Aries' authorize page for one sign-in. */
import type { SignInConfig } from './config.js';

export interface AuthorizeRequest {
  state: string;
  codeChallenge: string;
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
