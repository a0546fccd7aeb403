// The Angular demo: a standalone component around <aries-login>, compiled just in time in the browser (hence the
// compiler import first, and the decorator called as a function: this file is only stripped of its types by esbuild).
import '@angular/compiler';
import { DatePipe } from '@angular/common';
import {
  Component,
  CUSTOM_ELEMENTS_SCHEMA,
  enableProdMode,
  provideZonelessChangeDetection,
  signal,
} from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import '../src/index.js';
import type { AriesLoginErrorDetail, AriesTokens } from '../src/index.js';

const api = 'http://127.0.0.1:4010';

class DemoApp {
  readonly clientId = 'demo-spa';
  readonly authorizeUrl = `${api}/oauth2/authorize`;
  readonly tokenUrl = `${api}/v1/oauth2/token`;
  // The callback page beside this one, on whichever host name the demo was opened (localhost or 127.0.0.1).
  readonly redirectUri = new URL('callback.html', location.href).href;
  readonly tokens = signal<AriesTokens | null>(null);
  readonly name = signal<string | null>(null);
  readonly error = signal<AriesLoginErrorDetail | null>(null);

  async onSignedIn(event: Event) {
    const tokens = (event as CustomEvent<AriesTokens>).detail;
    this.error.set(null);
    this.tokens.set(tokens);
    const response = await fetch(`${api}/v1/users/me/profile`, {
      headers: { Authorization: `${tokens.tokenType} ${tokens.accessToken}` },
    });
    this.name.set(((await response.json()) as { name?: string }).name ?? null);
  }

  onError(event: Event) {
    this.error.set((event as CustomEvent<AriesLoginErrorDetail>).detail);
  }
}

Component({
  selector: 'demo-app',
  imports: [DatePipe],
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <aries-login
      [clientId]="clientId"
      [redirectUri]="redirectUri"
      [authorizeUrl]="authorizeUrl"
      [tokenUrl]="tokenUrl"
      scope="user:information account:information"
      sign-out
      (aries-login-start)="error.set(null)"
      (aries-login-success)="onSignedIn($event)"
      (aries-login-error)="onError($event)"
      (aries-logout)="tokens.set(null); name.set(null)"
    ></aries-login>
    @if (tokens(); as tokens) {
      <section>
        <h2>Signed in</h2>
        <dl>
          <dt>Name</dt><dd>{{ name() ?? '…' }}</dd>
          <dt>Granted scopes</dt><dd>{{ tokens.scope }}</dd>
          <dt>Token expires</dt><dd>{{ tokens.expiresAt | date: 'mediumTime' }}</dd>
        </dl>
      </section>
    }
    @if (error(); as error) {
      <section>
        <h2>Sign-in failed</h2>
        <p><code>{{ error.code }}</code>: {{ error.message }}</p>
      </section>
    }
  `,
})(DemoApp);

// Production mode, as an app ships: the demo's console stays quiet.
enableProdMode();
bootstrapApplication(DemoApp, { providers: [provideZonelessChangeDetection()] }).catch((error: unknown) =>
  console.error(error),
);
