// expect TS2322: Type '"blue"' is not assignable
/// <reference types="aries-login/jsx" />
import 'aries-login';

export const SignIn = () => <aries-login client-id="demo-spa" variant="blue" />;
