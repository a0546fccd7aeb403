// Tests for the Aries emulator (emulator/server.mjs): each endpoint, its error paths and the control API, over real HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { consentRequestId, emulatorControl } from '../../emulator/control-client.mjs';
import { startEmulator } from '../../emulator/server.mjs';

const SERVER_PATH = fileURLToPath(new URL('../../emulator/server.mjs', import.meta.url));
// RFC 7636 Appendix B (checked below with node:crypto).
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const OTHER_VERIFIER = 'x'.repeat(43);
const APP = 'http://localhost:9999';
const REDIRECT = `${APP}/callback`;
const REDIRECT_2 = `${APP}/other-callback`;

/** @type {{ origin: string, close(): Promise<void> }} */
let emulator;
/** @type {string} */
let origin;
before(async () => {
  emulator = await startEmulator({ port: 0 });
  origin = emulator.origin;
});
after(() => emulator.close());

/** Calls the control API and returns status and parsed body. */
async function control(method, path, body, base = origin) {
  const res = await emulatorControl(base).request(method, path, body);
  return { status: res.status, body: await res.json() };
}

/** Registers a fresh client (one per test keeps state apart). */
async function createClient(settings = {}, base = origin) {
  const { status, body } = await control(
    'POST',
    '/clients',
    { redirectUris: [REDIRECT, REDIRECT_2], ...settings },
    base,
  );
  assert.equal(status, 201, JSON.stringify(body));
  return body;
}

/** Authorize URL with valid PKCE defaults; a param set to undefined is left out. */
function authorizeUrl(clientId, params = {}, base = origin) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: 'user:information',
    state: 'st-1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
  });
  for (const [key, value] of Object.entries(params)) value === undefined ? q.delete(key) : q.set(key, value);
  return `${base}/oauth2/authorize?${q}`;
}

const authorize = (clientId, params, base) => fetch(authorizeUrl(clientId, params, base), { redirect: 'manual' });
const requestId = consentRequestId;
const decide = (id, decision, base = origin) => emulatorControl(base).decide(id, decision);

/** Authorize and approve; returns the callback's query parameters. */
const approve = (clientId, params, base = origin) =>
  emulatorControl(base).answerConsent(authorizeUrl(clientId, params, base));

function tokenRequest(
  body,
  { from = APP, contentType = 'application/json', raw, headers = {}, base = origin, signal } = {},
) {
  return fetch(`${base}/v1/oauth2/token`, {
    method: 'POST',
    signal,
    headers: { 'content-type': contentType, origin: from, ...headers },
    body: raw ?? JSON.stringify(body),
  });
}

const exchange = (clientId, code, extra = {}, options) =>
  tokenRequest(
    { client_id: clientId, grant_type: 'code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER, ...extra },
    options,
  );

/** A public client plus a fresh code for it. */
async function clientWithCode(settings = {}, params = {}) {
  const { clientId } = await createClient(settings);
  const code = /** @type {string} */ ((await approve(clientId, params)).get('code'));
  return { clientId, code };
}

/** A confidential client and its first tokens. */
async function confidentialTokens(settings = {}) {
  const { clientId, clientSecret } = await createClient({ type: 'confidential', ...settings });
  const code = (await approve(clientId, { code_challenge: undefined, code_challenge_method: undefined })).get('code');
  const res = await tokenRequest({
    client_id: clientId,
    client_secret: clientSecret,
    grant_type: 'code',
    code,
    redirect_uri: REDIRECT,
  });
  assert.equal(res.status, 200);
  return { clientId, clientSecret, tokens: await res.json() };
}

const refresh = (clientId, clientSecret, refreshToken, extra = {}) =>
  tokenRequest({
    client_id: clientId,
    client_secret: clientSecret,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    redirect_uri: REDIRECT,
    ...extra,
  });

async function assertOAuthError(res, status, error) {
  const body = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(body.error, error);
  assert.equal(typeof body.error_description, 'string');
  assert.equal(res.headers.get('cache-control'), 'no-store');
}

describe('startEmulator', () => {
  test('port 0 gives a real port in the origin; unknown routes are 404 and wrong methods 405', async () => {
    assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(origin).port, '0');
    await assertOAuthError(await fetch(`${origin}/nowhere`), 404, 'not_found');
    await assertOAuthError(await fetch(`${origin}/v1/oauth2/token`), 405, 'invalid_request');
    await assertOAuthError(await fetch(`${origin}/__emulator/nowhere`), 404, 'not_found');
  });

  test('close() returns promptly even with a hanging request', async () => {
    const own = await startEmulator({ port: 0 });
    const { clientId } = await createClient({}, own.origin);
    await control('POST', `/clients/${clientId}/faults`, { token: [{ hang: true }] }, own.origin);
    const pending = tokenRequest({ client_id: clientId }, { base: own.origin }).then(
      () => 'answered',
      () => 'failed',
    );
    while ((await control('GET', `/clients/${clientId}/requests`, undefined, own.origin)).body.length === 0) {
      /* wait for it */
    }
    const started = Date.now();
    await own.close();
    assert.ok(Date.now() - started < 1000);
    assert.equal(await pending, 'failed');
  });

  test('run directly: prints one line, and one clear line when the port is taken', async () => {
    const child = spawn(process.execPath, [SERVER_PATH], { env: { ...process.env, ARIES_EMULATOR_PORT: '0' } });
    const [line] = await once(child.stdout, 'data');
    assert.match(String(line), /^Aries emulator on http:\/\/127\.0\.0\.1:\d+\n$/);
    child.kill('SIGTERM');
    assert.deepEqual(await once(child, 'exit'), [0, null]);

    const taken = spawn(process.execPath, [SERVER_PATH], {
      env: { ...process.env, ARIES_EMULATOR_PORT: new URL(origin).port },
    });
    let stderr = '';
    taken.stderr.on('data', (chunk) => (stderr += chunk));
    assert.deepEqual(await once(taken, 'exit'), [1, null]);
    assert.match(stderr, /^Aries emulator: port \d+ is already in use.*\n$/);
  });
});

describe('clients.json', () => {
  for (const host of ['localhost', '127.0.0.1']) {
    for (const path of ['/demo/callback.html', '/demo/redirect.html', '/demo/']) {
      test(`demo-spa accepts http://${host}:8080${path} and asks the user (consent "manual")`, async () => {
        const res = await authorize('demo-spa', { redirect_uri: `http://${host}:8080${path}` });
        const html = await res.text();
        assert.equal(res.status, 200);
        assert.ok(!html.includes('<script'));
      });
    }
  }

  test('demo-backend is confidential; its secret comes from ARIES_CLIENT_SECRET, else the dev default', async () => {
    const run = async (base, secret) => {
      const params = {
        redirect_uri: 'http://localhost:8080/demo/backend.html',
        code_challenge: undefined,
        code_challenge_method: undefined,
      };
      const code = (await approve('demo-backend', params, base)).get('code');
      return tokenRequest(
        {
          client_id: 'demo-backend',
          client_secret: secret,
          grant_type: 'code',
          code,
          redirect_uri: params.redirect_uri,
        },
        { base },
      );
    };
    const saved = process.env.ARIES_CLIENT_SECRET;
    try {
      delete process.env.ARIES_CLIENT_SECRET;
      const plain = await startEmulator({ port: 0 });
      process.env.ARIES_CLIENT_SECRET = 'from-the-environment';
      const fromEnv = await startEmulator({ port: 0 });
      try {
        assert.equal((await run(plain.origin, 'dev-only-secret-change-me')).status, 200);
        assert.equal((await run(fromEnv.origin, 'from-the-environment')).status, 200);
        await assertOAuthError(await run(fromEnv.origin, 'dev-only-secret-change-me'), 401, 'invalid_client');
      } finally {
        await plain.close();
        await fromEnv.close();
      }
    } finally {
      if (saved === undefined) delete process.env.ARIES_CLIENT_SECRET;
      else process.env.ARIES_CLIENT_SECRET = saved;
    }
  });
});

describe('GET /oauth2/authorize', () => {
  const pageErrors = [
    { name: 'missing client_id', params: { client_id: undefined }, error: 'invalid_client' },
    { name: 'unknown client_id', params: { client_id: 'nobody' }, error: 'invalid_client' },
    { name: 'missing redirect_uri', params: { redirect_uri: undefined }, error: 'redirect_uri_mismatch' },
    { name: 'extra trailing slash', params: { redirect_uri: `${REDIRECT}/` }, error: 'redirect_uri_mismatch' },
    { name: 'other host', params: { redirect_uri: 'http://127.0.0.1:9999/callback' }, error: 'redirect_uri_mismatch' },
    {
      name: 'https instead of http',
      params: { redirect_uri: 'https://localhost:9999/callback' },
      error: 'redirect_uri_mismatch',
    },
    { name: 'different case', params: { redirect_uri: `${APP}/Callback` }, error: 'redirect_uri_mismatch' },
    { name: 'added query', params: { redirect_uri: `${REDIRECT}?x=1` }, error: 'redirect_uri_mismatch' },
    {
      name: 'registered for another client',
      params: { redirect_uri: 'http://localhost:8080/demo/' },
      error: 'redirect_uri_mismatch',
    },
  ];
  for (const { name, params, error } of pageErrors) {
    test(`${name} → 400 page showing ${error}, no redirect`, async () => {
      const { clientId } = await createClient();
      const res = await authorize(clientId, params);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.ok((await res.text()).includes(error));
    });
  }

  const redirectErrors = [
    { name: 'response_type token', params: { response_type: 'token' }, error: 'unsupported_response_type' },
    { name: 'missing response_type', params: { response_type: undefined }, error: 'unsupported_response_type' },
    { name: 'missing scope', params: { scope: undefined }, error: 'invalid_scope' },
    { name: 'empty scope', params: { scope: '' }, error: 'invalid_scope' },
    { name: 'wrong case scope', params: { scope: 'Account:information' }, error: 'invalid_scope' },
    { name: 'unknown scope', params: { scope: 'user:information openid' }, error: 'invalid_scope' },
    {
      name: 'comma-separated scopes',
      params: { scope: 'user:information,account:information' },
      error: 'invalid_scope',
    },
    {
      name: 'double space between scopes',
      params: { scope: 'user:information  account:information' },
      error: 'invalid_scope',
    },
    {
      name: 'scope not enabled',
      settings: { scopes: ['user:information'] },
      params: { scope: 'account:information' },
      error: 'invalid_scope',
    },
    { name: 'missing code_challenge', params: { code_challenge: undefined }, error: 'invalid_request' },
    { name: 'method plain', params: { code_challenge_method: 'plain' }, error: 'invalid_request' },
    { name: 'missing method', params: { code_challenge_method: undefined }, error: 'invalid_request' },
    { name: 'method in lower case', params: { code_challenge_method: 's256' }, error: 'invalid_request' },
    { name: '42-char challenge', params: { code_challenge: CHALLENGE.slice(1) }, error: 'invalid_request' },
    { name: 'padded challenge', params: { code_challenge: `${CHALLENGE}=` }, error: 'invalid_request' },
    {
      name: 'base64 (not url) challenge',
      params: { code_challenge: `+${CHALLENGE.slice(1)}` },
      error: 'invalid_request',
    },
    {
      name: 'confidential client with plain PKCE',
      settings: { type: 'confidential' },
      params: { code_challenge_method: 'plain' },
      error: 'invalid_request',
    },
  ];
  for (const { name, settings, params, error } of redirectErrors) {
    test(`${name} → redirect with ${error} and the state`, async () => {
      const { clientId } = await createClient(settings);
      const res = await authorize(clientId, params);
      assert.equal(res.status, 302);
      const location = new URL(/** @type {string} */ (res.headers.get('location')));
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
      assert.equal(location.searchParams.get('error'), error);
      assert.ok(location.searchParams.get('error_description'));
      assert.equal(location.searchParams.get('state'), 'st-1');
      assert.equal(location.searchParams.get('code'), null);
    });
  }

  test('an error redirect carries no state when none was sent', async () => {
    const { clientId } = await createClient();
    const res = await authorize(clientId, { scope: 'nope', state: undefined });
    const location = new URL(/** @type {string} */ (res.headers.get('location')));
    assert.equal(location.searchParams.get('error'), 'invalid_scope');
    assert.equal(location.searchParams.has('state'), false);
  });

  test('consent page: app name (escaped), scopes in plain words, demo user, Approve/Deny form with only a request id', async () => {
    const { clientId } = await createClient({ name: 'Ada <Trading> App', consent: 'manual' });
    const res = await authorize(clientId, { scope: 'user:information account:information', state: 'state-marker-42' });
    const html = await res.text();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cross-origin-opener-policy'), null);
    assert.ok(html.includes('Ada &lt;Trading&gt; App'));
    assert.ok(html.includes('See your account balances, positions and history'));
    assert.ok(html.includes('See your profile and personal details'));
    assert.ok(html.includes('Signed in as Ada Lovelace'));
    assert.ok(html.includes('<form method="post" action="/oauth2/authorize">'));
    assert.ok(html.includes('<button name="decision" value="approve">Approve</button>'));
    assert.ok(html.includes('<button name="decision" value="deny">Deny</button>'));
    assert.ok(requestId(html));
    assert.ok(!html.includes('state-marker-42') && !html.includes(CHALLENGE) && !html.includes('<script'));
  });

  for (const consent of ['approve', 'deny']) {
    test(`consent "${consent}" renders the page with a script that clicks ${consent}`, async () => {
      const { clientId } = await createClient({ consent });
      const html = await (await authorize(clientId)).text();
      assert.ok(html.includes(`<script>document.querySelector('button[value="${consent}"]').click();</script>`));
      assert.ok(requestId(html));
    });
  }

  test('a confidential client may skip PKCE', async () => {
    const { clientId } = await createClient({ type: 'confidential' });
    const res = await authorize(clientId, { code_challenge: undefined, code_challenge_method: undefined });
    assert.equal(res.status, 200);
  });

  test('coop: true adds Cross-Origin-Opener-Policy to the page and to the decision redirect', async () => {
    const { clientId } = await createClient({ coop: true });
    const page = await authorize(clientId);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    const res = await decide(requestId(await page.text()), 'approve');
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
  });
});

describe('POST /oauth2/authorize', () => {
  test('approve → 302 with a base64url code and the state', async () => {
    const { clientId } = await createClient();
    const params = await approve(clientId);
    assert.match(params.get('code') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(params.get('state'), 'st-1');
  });

  test('deny → 302 with access_denied, a description and the state', async () => {
    const { clientId } = await createClient();
    const page = await authorize(clientId);
    const res = await decide(requestId(await page.text()), 'deny');
    const params = new URL(/** @type {string} */ (res.headers.get('location'))).searchParams;
    assert.equal(res.status, 302);
    assert.equal(params.get('error'), 'access_denied');
    assert.ok(params.get('error_description'));
    assert.equal(params.get('state'), 'st-1');
    assert.equal(params.get('code'), null);
  });

  test('no state sent → none returned; a query in the registered redirect URI is kept', async () => {
    const withQuery = `${APP}/cb?tenant=7`;
    const { clientId } = await createClient({ redirectUris: [withQuery] });
    const params = await approve(clientId, { redirect_uri: withQuery, state: undefined });
    assert.equal(params.get('tenant'), '7');
    assert.ok(params.get('code'));
    assert.equal(params.has('state'), false);
  });

  test('an unknown or already answered request id → 400 page', async () => {
    const { clientId } = await createClient();
    const id = requestId(await (await authorize(clientId)).text());
    assert.equal((await decide(id, 'approve')).status, 302);
    for (const again of [id, 'made-up-id', '']) {
      const res = await decide(again, 'approve');
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.match(await res.text(), /invalid_request/);
    }
  });
});

describe('POST /v1/oauth2/token (grant_type "code")', () => {
  test('the RFC 7636 Appendix B vector holds', () => {
    assert.equal(createHash('sha256').update(VERIFIER).digest('base64url'), CHALLENGE);
  });

  test('a valid PKCE exchange → 200 tokens, Bearer, granted scope, no-store', async () => {
    const { clientId, code } = await clientWithCode(
      { tokenLifetime: 120 },
      { scope: 'user:information account:information user:information' },
    );
    const res = await exchange(clientId, code);
    const body = await res.json();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 120);
    assert.equal(body.scope, 'user:information account:information');
    assert.notEqual(body.access_token, body.refresh_token);
  });

  test('expires_in defaults to 3600', async () => {
    const { clientId, code } = await clientWithCode();
    assert.equal((await (await exchange(clientId, code)).json()).expires_in, 3600);
  });

  // Rows get a client and a valid code; each sends one wrong request.
  const requestErrors = [
    {
      name: 'form-encoded body',
      send: (id, code) =>
        tokenRequest(null, {
          contentType: 'application/x-www-form-urlencoded',
          raw: new URLSearchParams({
            client_id: id,
            grant_type: 'code',
            code,
            redirect_uri: REDIRECT,
            code_verifier: VERIFIER,
          }).toString(),
        }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'JSON sent as text/plain',
      send: (id, code) =>
        tokenRequest(
          { client_id: id, grant_type: 'code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER },
          { contentType: 'text/plain' },
        ),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'malformed JSON',
      send: () => tokenRequest(null, { raw: '{"client_id":' }),
      status: 400,
      error: 'invalid_request',
    },
    { name: 'a JSON array', send: () => tokenRequest([]), status: 400, error: 'invalid_request' },
    { name: 'JSON null', send: () => tokenRequest(null), status: 400, error: 'invalid_request' },
    { name: 'an empty body', send: () => tokenRequest(null, { raw: '' }), status: 400, error: 'invalid_request' },
    {
      name: 'grant_type authorization_code',
      send: (id, code) => exchange(id, code, { grant_type: 'authorization_code' }),
      status: 400,
      error: 'unsupported_grant_type',
    },
    {
      name: 'grant_type password',
      send: (id, code) => exchange(id, code, { grant_type: 'password' }),
      status: 400,
      error: 'unsupported_grant_type',
    },
    {
      name: 'missing grant_type',
      send: (id, code) => exchange(id, code, { grant_type: undefined }),
      status: 400,
      error: 'invalid_request',
    },
    { name: 'a numeric code', send: (id) => exchange(id, 12345), status: 400, error: 'invalid_request' },
    { name: 'missing client_id', send: (_, code) => exchange(undefined, code), status: 400, error: 'invalid_request' },
    { name: 'unknown client_id', send: (_, code) => exchange('nobody', code), status: 401, error: 'invalid_client' },
    {
      name: 'a public client sending client_secret',
      send: (id, code) => exchange(id, code, { client_secret: 'x' }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'missing code_verifier',
      send: (id, code) => exchange(id, code, { code_verifier: undefined }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'missing redirect_uri',
      send: (id, code) => exchange(id, code, { redirect_uri: undefined }),
      status: 400,
      error: 'invalid_request',
    },
    { name: 'missing code', send: (id) => exchange(id, undefined), status: 400, error: 'invalid_request' },
    { name: 'an unknown code', send: (id) => exchange(id, 'not-a-code'), status: 400, error: 'invalid_grant' },
    {
      name: 'a wrong code_verifier',
      send: (id, code) => exchange(id, code, { code_verifier: OTHER_VERIFIER }),
      status: 400,
      error: 'invalid_grant',
    },
    {
      name: 'the challenge sent as verifier',
      send: (id, code) => exchange(id, code, { code_verifier: CHALLENGE }),
      status: 400,
      error: 'invalid_grant',
    },
    {
      name: 'a too short verifier',
      send: (id, code) => exchange(id, code, { code_verifier: VERIFIER.slice(1) }),
      status: 400,
      error: 'invalid_grant',
    },
    {
      name: 'another redirect_uri than at authorize',
      send: (id, code) => exchange(id, code, { redirect_uri: REDIRECT_2 }),
      status: 400,
      error: 'redirect_uri_mismatch',
    },
    {
      name: 'the code of another client',
      send: async (_, code) => exchange((await createClient()).clientId, code),
      status: 400,
      error: 'invalid_grant',
    },
  ];
  for (const { name, send, status, error } of requestErrors) {
    test(`${name} → ${status} ${error}`, async () => {
      const { clientId, code } = await clientWithCode();
      await assertOAuthError(await send(clientId, code), status, error);
    });
  }

  test('an expired code → invalid_grant', async () => {
    const { clientId, code } = await clientWithCode({ codeLifetime: 0 });
    await assertOAuthError(await exchange(clientId, code), 400, 'invalid_grant');
  });

  test('a code works once: a second identical exchange → invalid_grant', async () => {
    const { clientId, code } = await clientWithCode();
    assert.equal((await exchange(clientId, code)).status, 200);
    await assertOAuthError(await exchange(clientId, code), 400, 'invalid_grant');
  });

  test('a failed attempt burns the code: the correct retry → invalid_grant', async () => {
    const { clientId, code } = await clientWithCode();
    await assertOAuthError(await exchange(clientId, code, { code_verifier: OTHER_VERIFIER }), 400, 'invalid_grant');
    await assertOAuthError(await exchange(clientId, code), 400, 'invalid_grant');
  });

  test('another client presenting the code does not burn it', async () => {
    const { clientId, code } = await clientWithCode();
    await assertOAuthError(await exchange((await createClient()).clientId, code), 400, 'invalid_grant');
    assert.equal((await exchange(clientId, code)).status, 200);
  });

  test('confidential client: the secret authenticates; wrong or missing secret → 401 invalid_client', async () => {
    const { clientId, clientSecret } = await createClient({ type: 'confidential' });
    const noPkce = { code_challenge: undefined, code_challenge_method: undefined };
    const send = async (secret) =>
      tokenRequest({
        client_id: clientId,
        client_secret: secret,
        grant_type: 'code',
        code: (await approve(clientId, noPkce)).get('code'),
        redirect_uri: REDIRECT,
      });
    await assertOAuthError(await send(`${clientSecret}x`), 401, 'invalid_client');
    await assertOAuthError(await send(undefined), 401, 'invalid_client');
    assert.equal((await send(clientSecret)).status, 200);
  });

  test('confidential client that used PKCE must also send the matching verifier', async () => {
    const { clientId, clientSecret } = await createClient({ type: 'confidential' });
    const base = { client_id: clientId, client_secret: clientSecret, grant_type: 'code', redirect_uri: REDIRECT };
    await assertOAuthError(
      await tokenRequest({ ...base, code: (await approve(clientId)).get('code') }),
      400,
      'invalid_grant',
    );
    assert.equal(
      (await tokenRequest({ ...base, code: (await approve(clientId)).get('code'), code_verifier: VERIFIER })).status,
      200,
    );
  });
});

describe('POST /v1/oauth2/token (grant_type "refresh_token")', () => {
  test('rotation: each refresh returns a new refresh token and the old one stops working', async () => {
    const { clientId, clientSecret, tokens } = await confidentialTokens({
      scopes: ['user:information', 'order:information'],
    });
    const res = await refresh(clientId, clientSecret, tokens.refresh_token);
    const next = await res.json();
    assert.equal(res.status, 200);
    assert.equal(next.token_type, 'Bearer');
    assert.equal(next.scope, 'user:information');
    assert.notEqual(next.refresh_token, tokens.refresh_token);
    assert.notEqual(next.access_token, tokens.access_token);
    await assertOAuthError(await refresh(clientId, clientSecret, tokens.refresh_token), 400, 'invalid_grant');
    assert.equal((await refresh(clientId, clientSecret, next.refresh_token)).status, 200);
  });

  const refreshErrors = [
    {
      name: 'a wrong secret',
      change: (c) => ({ client_secret: `${c.clientSecret}!` }),
      status: 401,
      error: 'invalid_client',
    },
    { name: 'no secret', change: () => ({ client_secret: undefined }), status: 401, error: 'invalid_client' },
    {
      name: 'an unknown refresh token',
      change: () => ({ refresh_token: 'nope' }),
      status: 400,
      error: 'invalid_grant',
    },
    {
      name: 'missing refresh_token',
      change: () => ({ refresh_token: undefined }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'a different redirect_uri',
      change: () => ({ redirect_uri: REDIRECT_2 }),
      status: 400,
      error: 'redirect_uri_mismatch',
    },
    {
      name: 'missing redirect_uri',
      change: () => ({ redirect_uri: undefined }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'another client’s refresh token',
      change: async (c) => {
        const other = await confidentialTokens();
        return { client_id: other.clientId, client_secret: other.clientSecret, refresh_token: c.tokens.refresh_token };
      },
      status: 400,
      error: 'invalid_grant',
    },
  ];
  for (const { name, change, status, error } of refreshErrors) {
    test(`${name} → ${status} ${error}, and the token still works afterwards`, async () => {
      const c = await confidentialTokens();
      await assertOAuthError(
        await refresh(c.clientId, c.clientSecret, c.tokens.refresh_token, await change(c)),
        status,
        error,
      );
      assert.equal((await refresh(c.clientId, c.clientSecret, c.tokens.refresh_token)).status, 200);
    });
  }

  test('a public client cannot refresh (no secret) → 401 invalid_client', async () => {
    const { clientId, code } = await clientWithCode();
    const tokens = await (await exchange(clientId, code)).json();
    await assertOAuthError(await refresh(clientId, undefined, tokens.refresh_token), 401, 'invalid_client');
  });
});

describe('rate limit', () => {
  /** Sends n cheap token requests for the client; returns the last response. */
  async function burst(clientId, n) {
    let res;
    for (let i = 0; i < n; i++) res = await tokenRequest({ client_id: clientId, grant_type: 'code' });
    return /** @type {Response} */ (res);
  }

  test('the 11th request in a minute → 429 rate_limited with X-RateLimit-Reset (epoch seconds) and Retry-After', async () => {
    const { clientId } = await createClient();
    assert.equal((await burst(clientId, 10)).status, 400);
    const res = await burst(clientId, 1);
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    const retryAfter = Number(res.headers.get('retry-after'));
    await assertOAuthError(res, 429, 'rate_limited');
    assert.ok(Math.abs(reset - (Date.now() / 1000 + 60)) < 3, `reset ${reset}`);
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /X-RateLimit-Reset/);
  });

  test('rateLimitReset "delay" sends seconds to wait; rateLimit overrides the limit', async () => {
    const { clientId } = await createClient({ rateLimit: 3, rateLimitReset: 'delay' });
    assert.equal((await burst(clientId, 3)).status, 400);
    const res = await burst(clientId, 1);
    assert.equal(res.status, 429);
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    assert.ok(reset >= 1 && reset <= 60, `reset ${reset}`);
  });

  test('preflights do not count, and each client has its own window', async () => {
    const { clientId } = await createClient({ rateLimit: 2 });
    const other = await createClient({ rateLimit: 2 });
    for (let i = 0; i < 5; i++)
      await fetch(`${origin}/v1/oauth2/token`, { method: 'OPTIONS', headers: { origin: APP } });
    assert.equal((await burst(clientId, 2)).status, 400);
    assert.equal((await burst(clientId, 1)).status, 429);
    assert.equal((await burst(other.clientId, 1)).status, 400);
  });
});

describe('CORS', () => {
  const preflight = (path, from, method = 'POST') =>
    fetch(`${origin}${path}`, {
      method: 'OPTIONS',
      headers: { origin: from, 'access-control-request-method': method },
    });

  test('token: a registered origin is allowed, without credentials; Vary: Origin', async () => {
    await createClient();
    for (const from of [APP, 'http://localhost:8080', 'http://127.0.0.1:8080']) {
      const res = await tokenRequest({}, { from });
      assert.equal(res.headers.get('access-control-allow-origin'), from);
      assert.equal(res.headers.get('access-control-allow-credentials'), null);
      assert.match(res.headers.get('vary') ?? '', /Origin/);
      assert.equal(res.headers.get('access-control-expose-headers'), 'X-RateLimit-Reset, Retry-After');
    }
  });

  test('token: an unregistered origin gets no Access-Control-Allow-Origin', async () => {
    for (const from of ['http://evil.test', 'http://localhost:8081', 'null']) {
      const res = await tokenRequest({}, { from });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.match(res.headers.get('vary') ?? '', /Origin/);
      assert.equal((await preflight('/v1/oauth2/token', from)).headers.get('access-control-allow-origin'), null);
    }
  });

  test('preflights: token allows POST + content-type, profile allows GET + authorization', async () => {
    await createClient();
    const cases = [
      ['/v1/oauth2/token', 'POST', 'content-type'],
      ['/v1/users/me/profile', 'GET', 'authorization'],
    ];
    for (const [path, method, header] of cases) {
      const res = await preflight(path, APP, method);
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), APP);
      assert.equal(res.headers.get('access-control-allow-methods'), method);
      assert.equal(res.headers.get('access-control-allow-headers'), header);
      assert.equal(res.headers.get('access-control-allow-credentials'), null);
    }
  });

  test('control API: open to any origin', async () => {
    const res = await preflight('/__emulator/clients', 'http://anywhere.test');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    assert.equal(res.headers.get('access-control-allow-headers'), 'content-type');
    const created = await fetch(`${origin}/__emulator/clients`, {
      method: 'POST',
      headers: { origin: 'http://anywhere.test' },
      body: JSON.stringify({ redirectUris: [REDIRECT] }),
    });
    assert.equal(created.headers.get('access-control-allow-origin'), '*');
  });
});

describe('faults', () => {
  const html = '<html><body>Bad gateway</body></html>';
  const faultCases = [
    {
      name: 'raw 502 with an HTML body, still readable cross-origin',
      fault: { status: 502, body: html, contentType: 'text/html' },
      check: async (res) => {
        assert.equal(res.status, 502);
        assert.equal(res.headers.get('content-type'), 'text/html');
        assert.equal(res.headers.get('access-control-allow-origin'), APP);
        assert.equal(await res.text(), html);
      },
    },
    {
      name: 'raw JSON body with headers',
      fault: { status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '5' } },
      check: async (res) => {
        assert.equal(res.status, 429);
        assert.equal(res.headers.get('x-ratelimit-reset'), '5');
        assert.deepEqual(await res.json(), { error: 'rate_limited' });
      },
    },
    {
      name: 'error shorthand, default 400',
      fault: { error: 'invalid_grant' },
      check: (res) => assertOAuthError(res, 400, 'invalid_grant'),
    },
    {
      name: 'error shorthand with status',
      fault: { error: 'invalid_client', status: 401 },
      check: (res) => assertOAuthError(res, 401, 'invalid_client'),
    },
    { name: 'drop → network error', fault: { drop: true }, check: async (res) => assert.ok(res instanceof TypeError) },
    {
      name: 'noCors → a normal answer without CORS headers',
      fault: { noCors: true },
      check: async (res) => {
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('access-control-allow-origin'), null);
        assert.ok((await res.json()).access_token);
      },
    },
    {
      name: 'delayMs → a normal answer, later',
      fault: { delayMs: 300 },
      check: async (res, elapsed) => {
        assert.equal(res.status, 200);
        assert.ok(elapsed >= 290, `elapsed ${elapsed}`);
      },
    },
    {
      name: 'hang → no answer until the caller gives up',
      fault: { hang: true },
      options: () => ({ signal: AbortSignal.timeout(300) }),
      check: async (res, elapsed) => {
        assert.equal(res.name, 'TimeoutError');
        assert.ok(elapsed >= 290, `elapsed ${elapsed}`);
      },
    },
  ];
  for (const { name, fault, options, check } of faultCases) {
    test(name, async () => {
      const { clientId, code } = await clientWithCode();
      assert.equal((await control('POST', `/clients/${clientId}/faults`, { token: [fault] })).status, 200);
      const started = Date.now();
      const res = await exchange(clientId, code, {}, options?.()).catch((error) => error);
      await check(res, Date.now() - started);
    });
  }

  test('an unsendable fault (bad header name) → 500 JSON, logged, and the server carries on', async (t) => {
    const logged = t.mock.method(console, 'error', () => {});
    const { clientId, code } = await clientWithCode();
    await control('POST', `/clients/${clientId}/faults`, { token: [{ status: 200, headers: { 'bad header': 'x' } }] });
    await assertOAuthError(await exchange(clientId, code), 500, 'server_error');
    assert.equal(logged.mock.callCount(), 1);
    assert.equal((await exchange(clientId, code)).status, 200);
  });

  test('API responses close their connection, so a dropped socket is never silently retried by a browser', async () => {
    const res = await tokenRequest({});
    assert.equal(res.headers.get('connection'), 'close');
  });

  test('faults form a queue, one per request, then normal answers; other clients are untouched', async () => {
    const { clientId, code } = await clientWithCode();
    const other = await clientWithCode();
    await control('POST', `/clients/${clientId}/faults`, {
      token: [{ error: 'temporarily_unavailable', status: 503 }],
    });
    const { body } = await control('POST', `/clients/${clientId}/faults`, { token: [{ status: 502 }] });
    assert.deepEqual(body, { queued: { token: 2, profile: 0, api: 0 } });
    assert.equal((await exchange(other.clientId, other.code)).status, 200);
    await assertOAuthError(await exchange(clientId, code), 503, 'temporarily_unavailable');
    assert.equal((await exchange(clientId, code)).status, 502);
    assert.equal((await exchange(clientId, code)).status, 200);
  });

  test('profile faults apply to profile requests', async () => {
    const { clientId, code } = await clientWithCode();
    const { access_token: accessToken } = await (await exchange(clientId, code)).json();
    await control('POST', `/clients/${clientId}/faults`, { profile: [{ status: 503, body: 'down' }] });
    const res = await fetch(`${origin}/v1/users/me/profile`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(res.status, 503);
  });

  const invalidFaults = [
    { token: {} },
    { token: [{}] },
    { token: [{ boom: true }] },
    { token: [{ status: 42 }] },
    { token: ['x'] },
    { other: [] },
  ];
  for (const input of invalidFaults) {
    test(`rejects the fault list ${JSON.stringify(input)}`, async () => {
      const { clientId } = await createClient();
      assert.equal((await control('POST', `/clients/${clientId}/faults`, input)).status, 400);
    });
  }
});

describe('request log', () => {
  test('records each endpoint call of the client, oldest first, with what was sent', async () => {
    const { clientId } = await createClient();
    const page = await fetch(authorizeUrl(clientId), { headers: { cookie: 'session=1' } });
    await decide(requestId(await page.text()), 'approve');
    const code = (await approve(clientId)).get('code');
    await fetch(`${origin}/v1/oauth2/token`, { method: 'OPTIONS', headers: { origin: APP } });
    const sent = { client_id: clientId, grant_type: 'code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER };
    const { access_token: accessToken } = await (await tokenRequest(sent)).json();
    await fetch(`${origin}/v1/users/me/profile`, { headers: { authorization: `Bearer ${accessToken}` } });

    const { status, body: log } = await control('GET', `/clients/${clientId}/requests`);
    assert.equal(status, 200);
    assert.deepEqual(
      log.map((r) => `${r.endpoint} ${r.method} ${r.status}`),
      [
        'authorize GET 200',
        'authorize POST 302',
        'authorize GET 200',
        'authorize POST 302',
        'token OPTIONS 204',
        'token POST 200',
        'profile GET 200',
      ],
    );
    assert.equal(log[0].hasCookie, true);
    assert.equal(log[0].body.client_id, clientId);
    assert.equal(log[0].body.code_challenge, CHALLENGE);
    const tokenEntry = log[5];
    assert.deepEqual(tokenEntry.body, sent);
    assert.equal(tokenEntry.contentType, 'application/json');
    assert.equal(tokenEntry.origin, APP);
    assert.equal(tokenEntry.hasCookie, false);
    assert.ok(!Number.isNaN(Date.parse(tokenEntry.time)));
    assert.equal(log.filter((r) => r.endpoint === 'token' && r.method === 'POST').length, 1);
  });

  test('logs wrong requests too (form body, unanswered hang) and leaves other clients’ logs alone', async () => {
    const { clientId } = await createClient();
    const other = await createClient({ redirectUris: ['http://localhost:7777/cb'] });
    await tokenRequest(null, {
      contentType: 'application/x-www-form-urlencoded',
      raw: `client_id=${clientId}&client_secret=s`,
    });
    await fetch(`${origin}/v1/oauth2/token`, { method: 'OPTIONS', headers: { origin: APP } });
    await control('POST', `/clients/${clientId}/faults`, { token: [{ hang: true }] });
    await tokenRequest({ client_id: clientId }, { signal: AbortSignal.timeout(100) }).catch(() => {});
    const { body: log } = await control('GET', `/clients/${clientId}/requests`);
    assert.deepEqual(
      log.map((r) => [r.method, r.contentType, r.status]),
      [
        ['POST', 'application/x-www-form-urlencoded', 400],
        ['OPTIONS', null, 204],
        ['POST', 'application/json', null],
      ],
    );
    assert.deepEqual(log[0].body, { client_id: clientId, client_secret: 's' });
    assert.deepEqual((await control('GET', `/clients/${other.clientId}/requests`)).body, []);
  });
});

describe('GET /v1/users/me/profile', () => {
  /** Tokens for a fresh client with the given settings and scope. */
  async function accessToken(settings, scope = 'user:information') {
    const { clientId, code } = await clientWithCode(settings, { scope });
    return (await (await exchange(clientId, code)).json()).access_token;
  }
  const cases = [
    { name: 'no Authorization header', header: async () => undefined, status: 401, error: 'invalid_token' },
    { name: 'an unknown token', header: async () => 'Bearer not-a-token', status: 401, error: 'invalid_token' },
    { name: 'a Basic header', header: async () => `Basic ${await accessToken()}`, status: 401, error: 'invalid_token' },
    {
      name: 'an expired token',
      header: async () => `Bearer ${await accessToken({ tokenLifetime: 0 })}`,
      status: 401,
      error: 'invalid_token',
    },
    {
      name: 'a token without user:information',
      header: async () => `Bearer ${await accessToken({}, 'account:information')}`,
      status: 403,
      error: 'insufficient_scope',
    },
  ];
  for (const { name, header, status, error } of cases) {
    test(`${name} → ${status} ${error}`, async () => {
      const authorization = await header();
      const res = await fetch(`${origin}/v1/users/me/profile`, { headers: authorization ? { authorization } : {} });
      await assertOAuthError(res, status, error);
      assert.match(res.headers.get('www-authenticate') ?? '', new RegExp(`error="${error}"`));
    });
  }

  test('a valid token with user:information → the demo user, readable cross-origin', async () => {
    const token = await accessToken({}, 'user:information market:information');
    const res = await fetch(`${origin}/v1/users/me/profile`, {
      headers: { authorization: `Bearer ${token}`, origin: APP },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.deepEqual(await res.json(), {
      id: 'u_1001',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      accountType: 'individual',
    });
  });
});

describe('control API', () => {
  test('public clients get only an id; confidential clients get their secret once; ids are unique', async () => {
    const a = await createClient();
    const b = await createClient({ type: 'confidential' });
    assert.deepEqual(Object.keys(a), ['clientId']);
    assert.match(a.clientId, /^test-/);
    assert.notEqual(a.clientId, b.clientId);
    assert.ok(b.clientSecret.length >= 32);
  });

  const invalidClients = [
    { name: 'no redirectUris', input: {} },
    { name: 'empty redirectUris', input: { redirectUris: [] } },
    { name: 'a relative redirect URI', input: { redirectUris: ['/callback'] } },
    { name: 'a redirect URI with a fragment', input: { redirectUris: [`${REDIRECT}#x`] } },
    { name: 'a non-http redirect URI', input: { redirectUris: ['javascript:alert(1)'] } },
    { name: 'an unknown type', input: { redirectUris: [REDIRECT], type: 'secret' } },
    { name: 'an unknown scope', input: { redirectUris: [REDIRECT], scopes: ['openid'] } },
    { name: 'an unknown consent', input: { redirectUris: [REDIRECT], consent: 'maybe' } },
    { name: 'a zero rate limit', input: { redirectUris: [REDIRECT], rateLimit: 0 } },
    { name: 'a negative lifetime', input: { redirectUris: [REDIRECT], tokenLifetime: -1 } },
    { name: 'an unknown setting', input: { redirectUris: [REDIRECT], colour: 'blue' } },
    { name: 'malformed JSON', input: '{"redirectUris":' },
    { name: 'a JSON array', input: [] },
  ];
  for (const { name, input } of invalidClients) {
    test(`creating a client with ${name} → 400`, async () => {
      const { status, body } = await control('POST', '/clients', input);
      assert.equal(status, 400);
      assert.equal(body.error, 'invalid_request');
    });
  }

  test('PATCH changes settings (and never shows the secret); bad input → 400; unknown client → 404', async () => {
    const { clientId } = await createClient({ type: 'confidential' });
    const { status, body } = await control('PATCH', `/clients/${clientId}`, { consent: 'deny', name: 'Renamed' });
    assert.equal(status, 200);
    assert.equal(body.consent, 'deny');
    assert.equal(body.secret, undefined);
    const html = await (await authorize(clientId)).text();
    assert.ok(html.includes('Renamed') && html.includes('button[value="deny"]'));
    assert.equal((await control('PATCH', `/clients/${clientId}`, { type: 'public' })).status, 400);
    assert.equal((await control('PATCH', `/clients/${clientId}`, { rateLimit: 'many' })).status, 400);
    assert.equal((await control('PATCH', '/clients/nobody', { consent: 'deny' })).status, 404);
    assert.equal((await control('GET', '/clients/nobody/requests')).status, 404);
    assert.equal((await control('GET', '/clients/%E0%A4%A/requests')).status, 404);
  });

  test('GET …/tokens lists every access and refresh token issued to the client, and no other client’s', async () => {
    const { clientId, clientSecret, tokens } = await confidentialTokens({ scopes: ['user:information'] });
    const next = await (await refresh(clientId, clientSecret, tokens.refresh_token)).json();
    const other = await confidentialTokens({ scopes: ['user:information'] });
    const { status, body } = await control('GET', `/clients/${clientId}/tokens`);
    assert.equal(status, 200);
    assert.deepEqual(body, [tokens.access_token, tokens.refresh_token, next.access_token, next.refresh_token]);
    assert.ok(!body.includes(other.tokens.access_token));
    assert.equal((await control('GET', '/clients/nobody/tokens')).status, 404);
  });

  test('reset forgets dynamic clients, their origins and tokens, and restores clients.json', async () => {
    const own = await startEmulator({ port: 0 });
    try {
      const { clientId } = await createClient({ redirectUris: ['http://localhost:5555/cb'] }, own.origin);
      await control('PATCH', '/clients/demo-spa', { consent: 'deny' }, own.origin);
      assert.equal((await control('POST', '/reset', undefined, own.origin)).status, 200);
      assert.equal((await authorize(clientId, {}, own.origin)).status, 400);
      assert.equal((await control('GET', `/clients/${clientId}/requests`, undefined, own.origin)).status, 404);
      const res = await tokenRequest({}, { from: 'http://localhost:5555', base: own.origin });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      const page = await authorize('demo-spa', { redirect_uri: 'http://localhost:8080/demo/' }, own.origin);
      assert.ok(!(await page.text()).includes('<script'));
    } finally {
      await own.close();
    }
  });
});

describe('robustness', () => {
  test('bodies over 64 KB → 413', async () => {
    const big = JSON.stringify({ client_id: 'x', pad: 'a'.repeat(70 * 1024) });
    await assertOAuthError(await tokenRequest(null, { raw: big }), 413, 'invalid_request');
    assert.equal((await control('POST', '/clients', big)).status, 413);
  });

  test('odd input is answered, never crashes the server', async () => {
    const odd = [
      fetch(`${origin}/oauth2/authorize?%zz&client_id=%ff`),
      fetch(`${origin}/oauth2/authorize`, { method: 'POST' }),
      fetch(`${origin}/oauth2/authorize`, { method: 'POST', body: 'request_id=%zz&decision=approve' }),
      fetch(`${origin}/v1/users/me/profile`, { headers: { authorization: 'Bearer' } }),
      tokenRequest(null, { raw: '"just a string"' }),
      tokenRequest(null, { raw: '{"client_id":{"toString":1},"grant_type":"code"}' }),
      tokenRequest({ client_id: '__proto__', grant_type: 'code', code: 'x', redirect_uri: 'x', code_verifier: 'x' }),
      tokenRequest({ client_id: 'demo-spa', grant_type: ['code'] }),
      fetch(`${origin}/__emulator/clients/demo-spa/faults`, { method: 'POST', body: 'null' }),
    ];
    for (const res of await Promise.all(odd)) assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assert.equal((await fetch(`${origin}/nowhere`)).status, 404);
  });
});
