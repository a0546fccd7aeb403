// expect TS2322: Type 'string | undefined' is not assignable to type 'string'.
import 'aries-login';

// With a backend that keeps the tokens there is none: an app must check before it uses one.
const element = document.querySelector('aries-login')!;
export const token: string = element.tokens!.accessToken;
