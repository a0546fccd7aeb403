// expect TS2551: Property 'acessToken' does not exist
import 'aries-login/callback.js';

document.addEventListener('aries-login-success', (e) => console.log(e.detail.acessToken));
