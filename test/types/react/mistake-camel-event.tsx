// expect TS2322: Property 'onAriesLoginSuccess' does not exist
/// <reference types="aries-login/jsx" />
import 'aries-login';

// React 19 would listen for an event named "AriesLoginSuccess", which never fires: only `onaries-login-success` (or the
// AriesLogin component of `aries-login/react`) listens to `aries-login-success`.
export const SignIn = () => <aries-login client-id="demo-spa" onAriesLoginSuccess={() => {}} />;
