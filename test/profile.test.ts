// Who signed in, from the emulator's profile API: with the page's token, or through the backend that keeps it; any
// failure is no name, never a failed sign-in.
import { expect } from '@open-wc/testing';
import { resolveBackendUrl } from '../src/config.js';
import { fetchUserName } from '../src/profile.js';
import { redeemCallback } from '../src/redeem-callback.js';
import type { AriesTokens } from '../src/token-client.js';
import { authorizeAtEmulator, blankPageUrl, createBlankPageClient, emulatorConfig } from './emulator-code.js';
import { control, createBackendClient, requestsOf } from './helpers.js';

/** A real sign-in at the emulator without a backend: the client and the tokens the page holds. */
async function signedIn(scope = 'user:information') {
  const clientId = await createBlankPageClient();
  const config = emulatorConfig(clientId, scope);
  const { transaction, params } = await authorizeAtEmulator(config);
  const tokens = (await redeemCallback(fetch, transaction, Object.fromEntries(params), {
    timeout: 10_000,
  })) as AriesTokens;
  return { clientId, tokenUrl: config.tokenUrl, tokens };
}

describe('fetchUserName', () => {
  it('the name from Aries’ profile API, asked with the page’s token and no cookie', async () => {
    const { clientId, tokenUrl, tokens } = await signedIn();
    expect(await fetchUserName(fetch, { tokenUrl }, tokens)).to.equal('Ada Lovelace');
    const [request] = await requestsOf(clientId, 'profile');
    expect(request).to.include({ hasAuthorization: true, hasCookie: false, status: 200 });
  });

  it('a session without user:information: no name, and Aries is not asked', async () => {
    const { clientId, tokenUrl, tokens } = await signedIn('user:information account:information');
    expect(await fetchUserName(fetch, { tokenUrl }, { ...tokens, scope: 'account:information' })).to.equal(undefined);
    expect(await requestsOf(clientId, 'profile')).to.deep.equal([]);
  });

  it('no scope in the token response (all that was asked for was granted): the name is asked for', async () => {
    const { tokenUrl, tokens } = await signedIn();
    expect(await fetchUserName(fetch, { tokenUrl }, { ...tokens, scope: '' })).to.equal('Ada Lovelace');
  });

  it('Aries failing, or answering without a usable name: no name, and no error', async () => {
    const { clientId, tokenUrl, tokens } = await signedIn();
    const answers = [
      { status: 500, body: { error: 'server_error' } },
      { status: 200, body: { name: '' } },
      { status: 200, body: { name: 42 } },
      { status: 200, body: '<html>not JSON</html>' },
      { error: 'invalid_token', status: 401 },
      // Unreadable here (no CORS headers): fetch fails as with a network error. (A dropped connection is retried by
      // Firefox on its own, and so does not reach the page.)
      { noCors: true, status: 200, body: { name: 'Mallory' } },
    ];
    await control.queueFaults(clientId, { profile: answers });
    for (const answer of answers) {
      expect(await fetchUserName(fetch, { tokenUrl }, tokens), JSON.stringify(answer)).to.equal(undefined);
    }
  });

  it('a backend that keeps the token: the name through its API proxy, Aries asked by the backend', async () => {
    const { clientId, basePath } = await createBackendClient({ redirectUris: [blankPageUrl], apiProxy: true });
    const backendUrl = resolveBackendUrl(basePath, document.baseURI)!;
    const config = { ...emulatorConfig(clientId), backendUrl };
    const { transaction, params } = await authorizeAtEmulator(config);
    const session = await redeemCallback(fetch, transaction, Object.fromEntries(params), { timeout: 10_000 });
    expect(session.tokenHeldBy).to.equal('backend');
    expect(await fetchUserName(fetch, { tokenUrl: config.tokenUrl, backendUrl }, session)).to.equal('Ada Lovelace');
    const [request] = await requestsOf(clientId, 'profile');
    expect(request).to.include({ hasAuthorization: true, hasCookie: false, status: 200 });
    expect(request.origin ?? null, 'from the backend, not a page').to.equal(null);
  });
});
