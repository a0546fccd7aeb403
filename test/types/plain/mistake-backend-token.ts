// expect TS18048: 'e.detail.accessToken' is possibly 'undefined'.
import 'aries-login';

// The backend keeps it: in that branch there is no token to use.
document.addEventListener('aries-login-success', (e) => {
  if (e.detail.tokenHeldBy === 'backend') console.log(e.detail.accessToken.length);
});
