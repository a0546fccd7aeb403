// expect TS2345: Argument of type 'string | undefined' is not assignable to parameter of type 'string'.
import { Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import 'aries-login';

// With a backend that keeps the tokens there is none: an app must check before it uses one.
@Component({
  selector: 'app-unchecked',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `<aries-login (aries-login-success)="use($event.detail.accessToken)"></aries-login>`,
})
export class UncheckedComponent {
  use(token: string) {
    console.log(token.length);
  }
}
