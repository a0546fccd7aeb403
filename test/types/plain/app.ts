// A plain TypeScript app (tsc, strict) with no framework: the element, its events and the package's functions, in
// each of the modes: the page holds the token (`AriesTokens`), or the backend keeps it (`AriesBackendSession`).
import { AriesLoginElement, ariesFetch, getAccessToken } from 'aries-login';
import type { AriesBackendSession, AriesFetchOptions, AriesTokens } from 'aries-login';

const element = document.querySelector('aries-login')!;
const use = (token: string) => console.log(token.length);

element.addEventListener('aries-login-success', (e) => {
  // Narrowed by the marker…
  if (e.detail.tokenHeldBy === 'backend') console.log(e.detail.scope, e.detail.expiresAt);
  else use(e.detail.accessToken);
  // …or by the token itself.
  if (e.detail.accessToken) use(e.detail.accessToken);
});
document.addEventListener('aries-token-refresh', (e) => e.detail.accessToken !== undefined && use(e.detail.tokenType));

const session: AriesTokens | AriesBackendSession | null = element.tokens;
if (session && !session.tokenHeldBy) use(session.accessToken);
const signedIn: Promise<AriesTokens | AriesBackendSession | null> = element.signIn();
console.log(signedIn, element instanceof AriesLoginElement);

// The package's and the element's ariesFetch resolve with a Response; getAccessToken with a string.
const options: AriesFetchOptions = { backendUrl: '/auth' };
export const accounts: Promise<Response> = ariesFetch('/v1/users/me/accounts', undefined, options);
export const order: Promise<Response> = element.ariesFetch('/v1/orders', { method: 'POST', body: '{}' });
export const token: Promise<string> = getAccessToken({ minValidity: 60 });
