// The reference backend against the real emulator: the wire contract, CSRF, cookies, refresh and rotation.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../../emulator/server.mjs';
import { createBackend } from '../../server/backend.mjs';

const REDIRECT = 'http://localhost:9999/app/callback';
let emulator, server, base, clientId;

/** Runs the OAuth authorize step at the emulator the way a browser would, and returns a fresh code. */
async function authorize() {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: 'user:information',
    state: 's',
  });
  const page = await fetch(`${emulator.origin}/oauth2/authorize?${query}`).then((r) => r.text());
  const [, field, value] = page.match(/<input type="hidden" name="([^"]+)" value="([^"]+)"/);
  const decision = await fetch(`${emulator.origin}/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ [field]: value, decision: 'approve' }),
  });
  return new URL(decision.headers.get('location')).searchParams.get('code');
}

const post = (route, { cookie, csrf = true, body } = {}) =>
  fetch(`${base}/auth/${route}`, {
    method: 'POST',
    headers: {
      ...(csrf ? { 'X-Requested-With': 'aries-login' } : {}),
      ...(cookie ? { Cookie: cookie } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body && JSON.stringify(body),
  });

const signIn = async () => {
  const response = await post('token', { body: { code: await authorize(), redirect_uri: REDIRECT } });
  return { response, json: await response.json(), cookie: response.headers.get('set-cookie')?.split(';')[0] };
};
const ariesRequests = async () =>
  (await fetch(`${emulator.origin}/__emulator/clients/${clientId}/requests`).then((r) => r.json())).filter(
    (r) => r.endpoint === 'token',
  );

before(async () => {
  emulator = await startEmulator({ port: 0 });
  const created = await fetch(`${emulator.origin}/__emulator/clients`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'confidential', redirectUris: [REDIRECT], tokenLifetime: 4, rateLimit: 1000 }),
  }).then((r) => r.json());
  clientId = created.clientId;
  const backend = createBackend({
    basePath: '/auth',
    tokenUrl: `${emulator.origin}/v1/oauth2/token`,
    clientId,
    clientSecret: created.clientSecret,
  });
  server = http.createServer(async (req, res) => {
    if (!(await backend(req, res))) res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(async () => {
  server.close();
  await emulator.close();
});

describe('reference backend', () => {
  it('refuses to start without a client secret', () => {
    assert.throws(
      () => createBackend({ basePath: '/auth', tokenUrl: 'http://x', clientId: 'c', clientSecret: '' }),
      /ARIES_CLIENT_SECRET/,
    );
  });

  for (const route of ['token', 'refresh', 'logout']) {
    it(`refuses POST /${route} without X-Requested-With: 403 csrf_check_failed`, async () => {
      const response = await post(route, { csrf: false, body: {} });
      assert.equal(response.status, 403);
      assert.equal((await response.json()).error, 'csrf_check_failed');
    });
  }

  it('answers only POST, and 404 outside its routes', async () => {
    assert.equal((await fetch(`${base}/auth/token`)).status, 405);
    assert.equal((await post('nope')).status, 404);
  });

  it('exchanges a code with the secret, sets a strict HttpOnly cookie, and never returns the refresh token', async () => {
    const { response, json } = await signIn();
    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys(json).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    const cookie = response.headers.get('set-cookie');
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/auth'])
      assert.match(cookie, new RegExp(attribute));
    const [exchange] = (await ariesRequests()).slice(-1);
    assert.equal(exchange.body.grant_type, 'code');
    assert.equal(typeof exchange.body.client_secret, 'string');
  });

  it('passes Aries errors on: a used code is invalid_grant', async () => {
    const code = await authorize();
    await post('token', { body: { code, redirect_uri: REDIRECT } });
    const again = await post('token', { body: { code, redirect_uri: REDIRECT } });
    assert.equal(again.status, 400);
    assert.equal((await again.json()).error, 'invalid_grant');
  });

  it('serves its fresh token on refresh without asking Aries, and refreshes with rotation when it is near expiry', async () => {
    const { json, cookie } = await signIn();
    const before = (await ariesRequests()).length;
    const fresh = await post('refresh', { cookie });
    assert.equal((await fresh.json()).access_token, json.access_token);
    assert.equal((await ariesRequests()).length, before, 'no request to Aries');

    await new Promise((r) => setTimeout(r, 2100)); // past half of the 4 s lifetime
    const renewed = await (await post('refresh', { cookie })).json();
    assert.notEqual(renewed.access_token, json.access_token);
    const grants = (await ariesRequests()).filter((r) => r.body.grant_type === 'refresh_token');
    assert.equal(grants.at(-1).body.redirect_uri, REDIRECT);

    // Rotation: the next refresh uses the newest refresh token, which Aries accepts.
    await new Promise((r) => setTimeout(r, 2100));
    const third = await post('refresh', { cookie });
    assert.equal(third.status, 200);
    assert.equal((await ariesRequests()).filter((r) => r.body.grant_type === 'refresh_token').at(-1).status, 200);
  });

  it('answers 401 session_expired without a session, and after logout', async () => {
    assert.equal((await post('refresh')).status, 401);
    const { cookie } = await signIn();
    const logout = await post('logout', { cookie });
    assert.equal(logout.status, 204);
    assert.match(logout.headers.get('set-cookie'), /Max-Age=0/);
    const refresh = await post('refresh', { cookie });
    assert.equal(refresh.status, 401);
    assert.equal((await refresh.json()).error, 'session_expired');
  });
});
