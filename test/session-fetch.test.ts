// ariesFetch of the package and of the element, on the page's real app sessions: through the real reference backend
// with its API proxy (the test runner's /__backend) to the emulator's API; every refusal a coded error.
import { expect } from '@open-wc/testing';
import { appSessions, type AppSession, type Member } from '../src/app-sessions.js';
import { resolveBackendUrl } from '../src/config.js';
import { AriesLoginError } from '../src/errors.js';
import { redeemCallback } from '../src/redeem-callback.js';
import { ariesFetch, elementAriesFetch } from '../src/session-fetch.js';
import { authorizeAtEmulator, blankPageUrl, emulatorConfig } from './emulator-code.js';
import { createBackendClient, requestsOf, waitFor } from './helpers.js';

const ended: unknown[] = [];
const member: Member = {
  notice: 0,
  renewed: () => {},
  troubled: () => {},
  ended: (reason) => ended.push(reason),
  expiring: () => {},
  signedInElsewhere: () => {},
};
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('resolved'),
    (error: unknown) => {
      expect(error).to.be.instanceOf(AriesLoginError);
      return error as AriesLoginError;
    },
  );
const afterTheGrace = () =>
  new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve, 10))));

/** A full-BFF backend at the emulator, signed in through it (its cookie set here), and its app's session on the page. */
async function signedInBackendApp() {
  const { clientId, basePath } = await createBackendClient({ redirectUris: [blankPageUrl], apiProxy: true });
  const backendUrl = resolveBackendUrl(basePath, document.baseURI)!;
  const config = { ...emulatorConfig(clientId, 'user:information account:information'), backendUrl };
  const { transaction, params } = await authorizeAtEmulator(config);
  const session = await redeemCallback(fetch, transaction, Object.fromEntries(params), { timeout: 10_000 });
  expect(session.tokenHeldBy).to.equal('backend');
  const app = appSessions.join(
    window,
    { clientId, backendUrl, tokenUrl: config.tokenUrl, requestTimeout: 10_000 },
    member,
  );
  joined.push(app);
  await waitFor(() => !!app.session.tokens, 'the session restored from the backend');
  return { clientId, basePath, app };
}
const joined: AppSession[] = [];

describe('ariesFetch (the package’s)', () => {
  afterEach(async () => {
    joined.splice(0).forEach((app) => app.leave(member));
    ended.length = 0;
    await afterTheGrace();
  });

  it('with no app backend on the page: login_required, with the English message', async () => {
    const error = await refusal(ariesFetch('/v1/users/me/accounts'));
    expect(error.code).to.equal('login_required');
    expect(error.message).to.equal('You are not signed in, or your sign-in has ended. Please sign in.');
  });

  it('Aries’ API through the only backend on the page: its answer, Aries called by the backend with the token', async () => {
    const { clientId } = await signedInBackendApp();
    const response = await ariesFetch('/v1/users/me/accounts');
    expect(response.status).to.equal(200);
    const { accounts } = (await response.json()) as { accounts: { id: string }[] };
    expect(accounts.map((account) => account.id)).to.deep.equal(['A-1001', 'A-1002']);
    const [call] = (await requestsOf(clientId, 'api')).slice(-1);
    expect(call).to.include({ path: '/v1/users/me/accounts', hasAuthorization: true, hasCookie: false });
  });

  it('several backends: backendUrl (relative, as in the attribute) picks one; without it, invalid_config naming backendUrl', async () => {
    const first = await signedInBackendApp();
    const second = await signedInBackendApp();
    const response = await ariesFetch('/v1/users/me/profile', undefined, { backendUrl: second.basePath });
    expect(response.status).to.equal(200);
    expect(await requestsOf(second.clientId, 'profile')).to.have.length(1);
    expect(await requestsOf(first.clientId, 'profile')).to.have.length(0);
    const error = await refusal(ariesFetch('/v1/users/me/profile'));
    expect(error).to.include({ code: 'invalid_config', attribute: 'backendUrl' });
    expect(error.message).to.contain('backendUrl');
  });

  it('the backend’s session gone: session_expired, and the app’s session ends on the page', async () => {
    const { basePath, app } = await signedInBackendApp();
    // Signed out at the backend behind the page's back (another device, an operator): the cookie names no session.
    const logout = await fetch(`${basePath}/logout`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'X-Requested-With': 'aries-login' },
    });
    expect(logout.ok).to.equal(true);
    const error = await refusal(ariesFetch('/v1/users/me/accounts'));
    expect(error.code).to.equal('session_expired');
    expect(app.session.tokens).to.equal(null);
    expect(ended.map((reason) => (reason as AriesLoginError).code)).to.deep.equal(['session_expired']);
  });
});

describe('elementAriesFetch', () => {
  it('an element with no signed-in state: login_required, and no request', async () => {
    const before = performance.getEntriesByType('resource').length;
    expect((await refusal(elementAriesFetch(undefined, '/v1/users/me/accounts'))).code).to.equal('login_required');
    expect(performance.getEntriesByType('resource').slice(before)).to.deep.equal([]);
  });
});
