// An Angular standalone component under CUSTOM_ELEMENTS_SCHEMA, compiled by ngc with strictTemplates: `$event` is typed.
import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import 'aries-login';
import type { AriesBackendSession, AriesLoginErrorDetail, AriesTokens } from 'aries-login';

@Component({
  selector: 'app-sign-in',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <aries-login
      client-id="demo-spa"
      [redirectUri]="redirectUri"
      (aries-login-start)="mode.set($event.detail.mode)"
      (aries-login-success)="
        tokens.set($event.detail); $event.detail.accessToken && accessToken.set($event.detail.accessToken)
      "
      (aries-login-error)="error.set($event.detail)"
      (aries-token-refresh)="tokens.set($event.detail)"
      (aries-token-expired)="expiredAt.set($event.detail.expiredAt)"
      (aries-token-expiring)="expiredAt.set($event.detail.expiresAt)"
      (aries-logout)="tokens.set(null)"
    ></aries-login>
  `,
})
export class SignInComponent {
  redirectUri = 'https://myapp.example/oauth/callback';
  readonly mode = signal('');
  readonly tokens = signal<AriesTokens | AriesBackendSession | null>(null);
  readonly accessToken = signal('');
  readonly error = signal<AriesLoginErrorDetail | null>(null);
  readonly expiredAt = signal(0);
}
