// expect TS2551: Property 'acessToken' does not exist
import { Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import 'aries-login';

@Component({
  selector: 'app-mistake',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `<aries-login (aries-login-success)="use($event.detail.acessToken)"></aries-login>`,
})
export class MistakeComponent {
  use(token: string) {
    console.log(token);
  }
}
