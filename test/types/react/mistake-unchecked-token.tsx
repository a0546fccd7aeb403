// expect TS2345: Argument of type 'string | undefined' is not assignable to parameter of type 'string'.
/// <reference types="aries-login/jsx" />
import 'aries-login';

// With a backend that keeps the tokens there is none: an app must check before it uses one.
const useToken = (token: string) => console.log(token.length);

export const SignIn = () => (
  <aries-login client-id="demo-spa" onaries-login-success={(e) => useToken(e.detail.accessToken)} />
);
