import { expect } from '@open-wc/testing';
import { ariesFetch } from '../src/aries-fetch.js';
import type { AriesLoginError } from '../src/errors.js';
import { createCodeChallenge, createCodeVerifier } from '../src/pkce.js';
import { createBackendClient, emulator, inUserGesture, queueApiFaults, requestsOf, waitFor } from './helpers.js';

// ariesFetch against the real reference backend with its API proxy (the test runner's /__backend) and the emulator's
// API; the mapping of the wire contract's statuses alone with a fake fetch at the end.

const redirectUri = new URL('/test/fixtures/blank.html', location.origin).href;
const ORDER = { accountId: 'A-1001', symbol: 'AAPL', side: 'buy', quantity: 1 };

/** A confidential client at the emulator and a full-BFF backend for it (the secret stays in the test runner). */
const createProxyBackend = () => createBackendClient({ redirectUris: [redirectUri], rateLimit: 1000, apiProxy: true });

/**
 * Signs in as the element would (Aries' page in a window opened by a click, then the code through the backend), without
 * the element: the backend's session cookie is set, and no token comes back.
 */
async function signIn(clientId: string, basePath: string, scope: string) {
  const verifier = createCodeVerifier(crypto);
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state: 'aries-fetch-test',
    code_challenge: await createCodeChallenge(crypto, verifier),
    code_challenge_method: 'S256',
  });
  const popup = (await inUserGesture(() => window.open(`${emulator}/oauth2/authorize?${query}`, '_blank')))!;
  let code: string | null = null;
  try {
    await waitFor(() => {
      try {
        code = new URL(popup.location.href).searchParams.get('code');
      } catch {
        // still on Aries' page
      }
      return code !== null;
    }, 'the code in the window');
  } finally {
    popup.close();
  }
  const response = await fetch(`${basePath}/token`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'aries-login' },
    body: JSON.stringify({ code, redirect_uri: redirectUri, code_verifier: verifier }),
  });
  expect(response.status).to.equal(200);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).to.include({ token_held_by: 'backend', scope });
  expect(body).not.to.have.property('access_token');
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('resolved'),
    (error: AriesLoginError) => error,
  );

describe('ariesFetch through the backend’s API proxy', () => {
  let clientId: string;
  let basePath: string;
  before(async () => {
    ({ clientId, basePath } = await createProxyBackend());
  });
  beforeEach(() => signIn(clientId, basePath, 'user:information account:information order:execution'));

  it('reads the accounts: Aries’ answer as it came, Aries called with the session’s token and no cookie', async () => {
    const response = await ariesFetch(basePath, '/v1/users/me/accounts');
    expect(response.status).to.equal(200);
    const { accounts } = (await response.json()) as { accounts: { id: string }[] };
    expect(accounts.map((a) => a.id)).to.deep.equal(['A-1001', 'A-1002']);
    const [call] = (await requestsOf(clientId, 'api')).slice(-1);
    expect(call).to.include({ path: '/v1/users/me/accounts', hasCookie: false, hasAuthorization: true, status: 200 });
  });

  it('sends the body, its Content-Type and the query; a path without its leading slash works as well', async () => {
    const placed = await ariesFetch(basePath, 'v1/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ORDER),
    });
    expect(placed.status).to.equal(201);
    const { id } = (await placed.json()) as { id: string };
    const cancelled = await ariesFetch(basePath, `/v1/orders?id=${id}`, { method: 'DELETE' });
    expect(((await cancelled.json()) as { status: string }).status).to.equal('cancelled');
    const [post, remove] = (await requestsOf(clientId, 'api')).slice(-2);
    expect(post.body).to.deep.equal(ORDER);
    expect(post.contentType).to.equal('application/json');
    expect(remove.query).to.deep.equal({ id });
  });

  it('adds what the backend requires: without X-Requested-With the same request is refused (403)', async () => {
    const plain = await fetch(`${basePath}/api/v1/users/me/accounts`, { credentials: 'include' });
    expect(plain.status).to.equal(403);
    expect(((await plain.json()) as { error: string }).error).to.equal('csrf_check_failed');
    expect((await ariesFetch(basePath, '/v1/users/me/accounts')).status).to.equal(200);
  });

  it('401 → session_expired once the backend’s session is gone', async () => {
    await fetch(`${basePath}/logout`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'X-Requested-With': 'aries-login' },
    });
    const error = await failure(ariesFetch(basePath, '/v1/users/me/accounts'));
    expect(error).to.include({ code: 'session_expired', status: 401 });
  });

  it('403 → insufficient_scope, naming the scope, and Aries never called', async () => {
    const before = (await requestsOf(clientId, 'api')).length;
    const error = await failure(ariesFetch(basePath, '/v2/accounts/A-1001/orders'));
    expect(error).to.include({ code: 'insufficient_scope', status: 403 });
    expect(error.description).to.include('order:information');
    expect((await requestsOf(clientId, 'api')).length).to.equal(before);
  });

  it('429 → rate_limited with retryAt from X-RateLimit-Reset (readable through the proxy)', async () => {
    await queueApiFaults(clientId, [
      { status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '30' } },
    ]);
    const before = Date.now();
    const error = await failure(ariesFetch(basePath, '/v1/users/me/accounts'));
    expect(error).to.include({ code: 'rate_limited', status: 429 });
    expect(error.message, 'about requests, not sign-in attempts').to.equal(
      'Too many requests to Aries. Please wait and try again.',
    );
    expect(error.retryAt).to.be.within(before + 29_000, Date.now() + 30_000);
    const held = await failure(ariesFetch(basePath, '/v1/users/me/profile'));
    expect(held.code, 'held by the backend for this session').to.equal('rate_limited');
  });

  it('other statuses resolve with the Response: Aries’ 4xx, and the backend’s 502 when Aries failed', async () => {
    const refused = await ariesFetch(basePath, '/v1/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...ORDER, quantity: 0 }),
    });
    expect(refused.status).to.equal(400);
    await queueApiFaults(clientId, [{ status: 500 }]);
    const failed = await ariesFetch(basePath, '/v1/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ORDER),
    });
    expect(failed.status).to.equal(502);
    expect(((await failed.json()) as { error_description: string }).error_description).to.include('is unknown');
  });

  it('no answer → network_error; an aborted signal rejects with its reason, not network_error', async () => {
    const unreachable = await failure(ariesFetch('http://127.0.0.1:1/auth', '/v1/users/me/accounts'));
    expect(unreachable.code).to.equal('network_error');
    const controller = new AbortController();
    const call = ariesFetch(basePath, '/v1/users/me/accounts', { signal: controller.signal });
    controller.abort(new DOMException('left the page', 'AbortError'));
    const aborted = (await call.catch((error: unknown) => error)) as DOMException;
    expect(aborted.name).to.equal('AbortError');
  });
});

describe('ariesFetch: the statuses of the wire contract', () => {
  const answering = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchFn = ((url: string, init: RequestInit) => {
      calls.push({ url, init });
      return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status, headers }));
    }) as unknown as typeof fetch;
    return { calls, fetchFn };
  };

  it('calls {backendUrl}/api{path} with the cookie and the CSRF header, keeping the caller’s headers', async () => {
    const { calls, fetchFn } = answering(200, {});
    await ariesFetch('/auth/', '/v1/news?x=1', { headers: { Accept: 'application/json' } }, fetchFn);
    expect(calls[0].url).to.equal('/auth/api/v1/news?x=1');
    expect(calls[0].init.credentials).to.equal('include');
    const headers = new Headers(calls[0].init.headers);
    expect(headers.get('X-Requested-With')).to.equal('aries-login');
    expect(headers.get('Accept')).to.equal('application/json');
  });

  const cases: [number, unknown, string][] = [
    [401, { error: 'session_expired' }, 'session_expired'],
    [401, undefined, 'session_expired'],
    [403, { error: 'insufficient_scope', error_description: 'needs x' }, 'insufficient_scope'],
    [403, '<html>', 'insufficient_scope'],
    [403, { error: 'csrf_check_failed' }, 'csrf_check_failed'],
    [429, undefined, 'rate_limited'],
  ];
  for (const [status, body, code] of cases) {
    it(`${status} ${JSON.stringify(body)} → ${code}`, async () => {
      const error = await failure(ariesFetch('/auth', '/v1/news', {}, answering(status, body).fetchFn));
      expect(error).to.include({ code, status });
    });
  }

  it('429 without a readable reset waits a minute', async () => {
    const error = await failure(
      ariesFetch('/auth', '/v1/news', {}, answering(429, {}, { 'X-RateLimit-Reset': 'soon' }).fetchFn),
    );
    expect(error.retryAt! - Date.now()).to.be.within(59_000, 60_000);
  });
});
