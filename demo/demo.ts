// The demo page's own script: what a host app writes around <aries-login>.
import '../src/index.js';

const element = document.querySelector('aries-login')!;
// The redirect URI, on whichever host name the demo was opened (localhost or 127.0.0.1): in popup mode the callback
// page without a button; in redirect mode this very page, whose element finishes the sign-in.
element.redirectUri = new URL(element.mode === 'redirect' ? 'redirect.html' : 'callback.html', location.href).href;
const apiOrigin = new URL(element.tokenUrl).origin;
const show = (id: string, text: string) => (document.getElementById(id)!.textContent = text);

const hide = (id: string) => (document.getElementById(id)!.hidden = true);

// A new attempt clears the last one's error; signing out clears what the sign-in showed.
element.addEventListener('aries-login-start', () => hide('failure'));
element.addEventListener('aries-logout', () => hide('result'));

element.addEventListener('aries-login-success', async ({ detail }) => {
  hide('failure');
  show('scopes', detail.scope);
  show('expires', new Date(detail.expiresAt).toLocaleTimeString());
  const response = await fetch(`${apiOrigin}/v1/users/me/profile`, {
    headers: { Authorization: `${detail.tokenType} ${detail.accessToken}` },
  });
  const profile = await response.json();
  show('name', profile.name ?? `(${profile.error})`);
  show('email', profile.email ?? '');
  document.getElementById('result')!.hidden = false;
});

element.addEventListener('aries-login-error', ({ detail }) => {
  show('code', detail.code);
  show('message', detail.message);
  document.getElementById('failure')!.hidden = false;
});
