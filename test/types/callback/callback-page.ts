// A bundler's callback page: it imports only the callback entry, which brings the typed events.
import 'aries-login/callback.js';

document.addEventListener('aries-login-success', (e) => console.log(e.detail.accessToken, e.detail.returnTo));
document.addEventListener('aries-login-error', (e) => console.log(e.detail.code, e.detail.message));
