// The Vue demo: what a Vue 3 app writes around <aries-login> (the template is compiled in the browser).
// Vue's production build (with its template compiler): the demo's console stays quiet.
import { createApp } from 'vue/dist/vue.esm-browser.prod.js';
import '../src/index.js';
import type { AriesLoginErrorDetail, AriesTokens } from '../src/index.js';

const api = 'http://127.0.0.1:4010';

const app = createApp({
  template: `
    <aries-login
      client-id="demo-spa"
      sign-out
      scope="user:information account:information"
      :redirectUri.prop="redirectUri"
      :authorize-url="api + '/oauth2/authorize'"
      :token-url="api + '/v1/oauth2/token'"
      @aries-login-start="error = null"
      @aries-login-success="onSignedIn"
      @aries-login-error="onError"
      @aries-logout="tokens = profile = null"
    ></aries-login>
    <section v-if="tokens">
      <h2>Signed in</h2>
      <dl>
        <dt>Name</dt><dd>{{ profile?.name ?? '…' }}</dd>
        <dt>Granted scopes</dt><dd>{{ tokens.scope }}</dd>
        <dt>Token expires</dt><dd>{{ new Date(tokens.expiresAt).toLocaleTimeString() }}</dd>
      </dl>
    </section>
    <section v-if="error">
      <h2>Sign-in failed</h2>
      <p><code>{{ error.code }}</code>: {{ error.message }}</p>
    </section>`,
  data: () => ({
    api,
    // The callback page beside this one, on whichever host name the demo was opened (localhost or 127.0.0.1).
    redirectUri: new URL('callback.html', location.href).href,
    tokens: null as AriesTokens | null,
    profile: null as { name?: string } | null,
    error: null as AriesLoginErrorDetail | null,
  }),
  methods: {
    async onSignedIn(event: CustomEvent<AriesTokens>) {
      this.error = null;
      this.tokens = event.detail;
      const response = await fetch(`${api}/v1/users/me/profile`, {
        headers: { Authorization: `${event.detail.tokenType} ${event.detail.accessToken}` },
      });
      this.profile = (await response.json()) as { name?: string };
    },
    onError(event: CustomEvent<AriesLoginErrorDetail>) {
      this.error = event.detail;
    },
  },
});
app.config.compilerOptions.isCustomElement = (tag) => tag === 'aries-login';
app.mount('#app');
