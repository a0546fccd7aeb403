// Angular hosting <aries-login> (npm build): a standalone component with CUSTOM_ELEMENTS_SCHEMA, compiled just in time.
import '@angular/compiler';
import { expect } from '@open-wc/testing';
import {
  Component,
  CUSTOM_ELEMENTS_SCHEMA,
  provideZonelessChangeDetection,
  signal,
  type ApplicationRef,
} from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import {
  authorizeUrl,
  callbackUrl,
  createClient,
  hostHooks,
  profileName,
  signInThroughHost,
  tokenUrl,
  type AriesLoginElement,
  type AriesTokens,
} from './support.js';

/** The emulator clients of the running test, read as the component is created. */
let testClientIds = { property: '', attribute: '' };

/**
 * Two buttons: one configured through properties (`[clientId]`), one through attributes (`[attr.client-id]`). Each is
 * an app of its own: two elements of one app would show one session, and both tell of a sign-in through either.
 */
class SignInHost {
  clientId = testClientIds.property;
  attributeClientId = testClientIds.attribute;
  redirectUri = callbackUrl;
  authorizeUrl = authorizeUrl;
  tokenUrl = tokenUrl;
  readonly tokens = signal<{ by: string; tokens: AriesTokens } | null>(null);

  onSignedIn(by: string, event: Event) {
    this.tokens.set({ by, tokens: (event as CustomEvent<AriesTokens>).detail });
  }
}
// The decorator, called as a function: the test files are plain TypeScript, stripped by esbuild, without Angular's compiler.
Component({
  selector: 'sign-in-host',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <aries-login
      id="by-property"
      [clientId]="clientId"
      [redirectUri]="redirectUri"
      [authorizeUrl]="authorizeUrl"
      [tokenUrl]="tokenUrl"
      (aries-login-success)="onSignedIn('property', $event)"
    ></aries-login>
    <aries-login
      id="by-attribute"
      [attr.client-id]="attributeClientId"
      [attr.redirect-uri]="redirectUri"
      [attr.authorize-url]="authorizeUrl"
      [attr.token-url]="tokenUrl"
      (aries-login-success)="onSignedIn('attribute', $event)"
    ></aries-login>
    @if (tokens(); as signedIn) {
      <p class="signed-in">Signed in ({{ signedIn.by }}) with {{ signedIn.tokens.scope }}</p>
    }
  `,
})(SignInHost);

describe('Angular host', () => {
  let app: ApplicationRef | undefined;
  hostHooks(() => app?.destroy());

  const start = async (clientIds: typeof testClientIds) => {
    document.body.append(document.createElement('sign-in-host'));
    testClientIds = clientIds;
    app = await bootstrapApplication(SignInHost, { providers: [provideZonelessChangeDetection()] });
    await app.whenStable();
  };

  for (const by of ['property', 'attribute']) {
    it(`binds [${by === 'property' ? 'clientId' : 'attr.client-id'}] and receives the tokens in (aries-login-success)`, async () => {
      const [property, attribute] = await Promise.all([createClient(), createClient()]);
      await start({ property, attribute });
      const clientId = by === 'property' ? property : attribute;
      const element = document.getElementById(`by-${by}`) as AriesLoginElement;
      expect(element.clientId).to.equal(clientId);
      expect(element.redirectUri).to.equal(callbackUrl);
      expect(element.hasAttribute('client-id')).to.equal(by === 'attribute');

      const shown = await signInThroughHost(element, 'Angular');
      const component = app!.components[0].instance as SignInHost;
      const signedIn = component.tokens()!;
      expect(signedIn.by).to.equal(by);
      expect(signedIn.tokens.accessToken).to.be.a('string').and.not.empty;
      expect(shown.textContent).to.equal(`Signed in (${by}) with ${signedIn.tokens.scope}`);
      expect(await profileName(signedIn.tokens)).to.equal('Ada Lovelace');
    });
  }
});
