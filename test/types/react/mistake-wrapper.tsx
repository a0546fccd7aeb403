// expect TS2551: Property 'acessToken' does not exist
import { AriesLogin } from 'aries-login/react';

export const SignIn = () => (
  <AriesLogin clientId="demo-spa" onAriesLoginSuccess={(e) => console.log(e.detail.acessToken)} />
);
