// expect TS2551: Property 'acessToken' does not exist
/// <reference types="aries-login/jsx" />
import 'aries-login';

export const SignIn = () => (
  <aries-login client-id="demo-spa" onaries-login-success={(e) => console.log(e.detail.acessToken)} />
);
