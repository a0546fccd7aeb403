// The backend demo page's script: sign-in through the app's backend, refreshes, sign-out.
import '../src/index.js';
import type { AriesTokens } from '../src/index.js';

const element = document.querySelector('aries-login')!;
// This page is its own redirect URI (registered for demo-backend): the element finishes the popup's callback here.
element.redirectUri = new URL('backend.html', location.href).href;
const show = (id: string, text: string) => (document.getElementById(id)!.textContent = text);
let refreshes = 0;

async function signedIn(tokens: AriesTokens) {
  show('scopes', tokens.scope);
  show('expires', new Date(tokens.expiresAt).toLocaleTimeString());
  const profile = await fetch('http://127.0.0.1:4010/v1/users/me/profile', {
    headers: { Authorization: `${tokens.tokenType} ${tokens.accessToken}` },
  }).then((r) => r.json());
  show('name', profile.name ?? `(${profile.error})`);
  document.getElementById('result')!.hidden = false;
  show('status', '');
}

element.addEventListener('aries-login-start', () => show('status', ''));
element.addEventListener('aries-login-success', ({ detail }) => signedIn(detail));
element.addEventListener('aries-token-refresh', ({ detail }) => {
  show('refreshes', String(++refreshes));
  void signedIn(detail);
});
element.addEventListener('aries-logout', () => {
  document.getElementById('result')!.hidden = true;
  show('status', 'Signed out.');
});
element.addEventListener('aries-login-error', ({ detail }) => show('status', `${detail.message} (${detail.code})`));
