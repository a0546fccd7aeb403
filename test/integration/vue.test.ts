// Vue 3 hosting <aries-login> (npm build): a template compiled in the browser, a property binding, a custom event.
import { expect } from '@open-wc/testing';
import { createApp, type App } from 'vue/dist/vue.esm-browser.js';
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

const template = `
  <aries-login
    ref="login"
    :client-id="clientId"
    :redirectUri.prop="redirectUri"
    :authorize-url="authorizeUrl"
    :token-url="tokenUrl"
    @aries-login-success="onSignedIn"
  ></aries-login>
  <p v-if="tokens" class="signed-in">Signed in with {{ tokens.scope }}</p>`;

describe('Vue 3 host', () => {
  let app: App | undefined;
  hostHooks(() => app?.unmount());

  it('binds attributes and a .prop property, and receives the tokens in @aries-login-success', async () => {
    const clientId = await createClient();
    const warnings: string[] = [];
    const received: AriesTokens[] = [];
    const container = document.createElement('div');
    document.body.append(container);
    app = createApp({
      template,
      data: () => ({ clientId, redirectUri: callbackUrl, authorizeUrl, tokenUrl, tokens: null as AriesTokens | null }),
      methods: {
        onSignedIn(this: { tokens: AriesTokens | null }, event: CustomEvent<AriesTokens>) {
          received.push(event.detail);
          this.tokens = event.detail;
        },
      },
    });
    app.config.compilerOptions.isCustomElement = (tag) => tag === 'aries-login';
    app.config.warnHandler = (message) => warnings.push(message);
    app.mount(container);

    const element = container.querySelector('aries-login') as AriesLoginElement;
    expect(element.clientId).to.equal(clientId);
    // `.prop` sets the property itself: no attribute appears.
    expect(element.redirectUri).to.equal(callbackUrl);
    expect(element.hasAttribute('redirect-uri')).to.equal(false);

    const shown = await signInThroughHost(element, 'Vue');
    expect(received).to.have.length(1);
    expect(received[0].accessToken).to.be.a('string').and.not.empty;
    expect(shown.textContent).to.equal(`Signed in with ${received[0].scope}`);
    expect(await profileName(received[0])).to.equal('Ada Lovelace');
    // isCustomElement told the compiler: no "failed to resolve component" warning.
    expect(warnings).to.deep.equal([]);
  });
});
