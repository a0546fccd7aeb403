import { expect } from '@open-wc/testing';
import {
  exchangeCode,
  MAX_RATE_LIMIT_DELAY,
  readRateLimitReset,
  refreshTokens,
  sessionEnds,
} from '../src/token-client.js';

// The network is outside the project: these unit tests answer with a fake fetch; the e2e tests use the emulator.
type Call = { url: string; init: RequestInit };
const fakeFetch = (respond: () => Response | Promise<Response>) => {
  const calls: Call[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond();
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
};
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const exchange = {
  tokenUrl: 'https://api.aries.com/v1/oauth2/token',
  clientId: 'demo-spa',
  redirectUri: 'https://app.example/cb',
  codeVerifier: 'verifier-43',
};

describe('token client', () => {
  it('sends one JSON POST with exactly the PKCE fields, no secret, no cookies', async () => {
    const { calls, fetchFn } = fakeFetch(() =>
      json(200, {
        access_token: 'at',
        refresh_token: 'rt',
        expires_in: 3600,
        token_type: 'Bearer',
        scope: 'user:information',
      }),
    );
    const before = Date.now();
    const tokens = await exchangeCode(fetchFn, exchange, 'the-code', { timeout: 5000 });
    expect(calls).to.have.length(1);
    const [{ url, init }] = calls;
    expect(url).to.equal(exchange.tokenUrl);
    expect(init.method).to.equal('POST');
    expect(init.credentials).to.equal('omit');
    expect((init.headers as Record<string, string>)['Content-Type']).to.equal('application/json');
    expect(JSON.parse(init.body as string)).to.deep.equal({
      client_id: 'demo-spa',
      grant_type: 'code',
      code: 'the-code',
      redirect_uri: 'https://app.example/cb',
      code_verifier: 'verifier-43',
    });
    // A public client cannot use the refresh token (Aries wants the secret with it): it is not held at all.
    expect(tokens).not.to.have.property('refreshToken');
    expect(JSON.stringify(tokens)).not.to.include('rt"');
    expect(tokens).to.include({
      accessToken: 'at',
      tokenType: 'Bearer',
      expiresIn: 3600,
      scope: 'user:information',
    });
    expect(tokens.expiresAt).to.be.within(before + 3_600_000, Date.now() + 3_600_000);
  });

  const failures: [string, () => Response, Record<string, unknown>][] = [
    [
      'invalid_grant',
      () => json(400, { error: 'invalid_grant', error_description: 'used' }),
      { code: 'invalid_grant', status: 400, description: 'used' },
    ],
    ['invalid_client', () => json(401, { error: 'invalid_client' }), { code: 'invalid_client', status: 401 }],
    ['redirect_uri_mismatch', () => json(400, { error: 'redirect_uri_mismatch' }), { code: 'redirect_uri_mismatch' }],
    ['invalid_scope', () => json(400, { error: 'invalid_scope' }), { code: 'invalid_scope' }],
    [
      'an unknown Aries code, passed through',
      () => json(400, { error: 'temporarily_unavailable' }),
      { code: 'temporarily_unavailable' },
    ],
    [
      '502 with an HTML body',
      () => new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'Content-Type': 'text/html' } }),
      { code: 'server_error', status: 502 },
    ],
    [
      '500 with a JSON body that is no OAuth error',
      () => json(500, { oops: true }),
      { code: 'server_error', status: 500 },
    ],
    ['200 without access_token', () => json(200, { token_type: 'Bearer' }), { code: 'invalid_response' }],
    ['200 that is not JSON', () => new Response('ok', { status: 200 }), { code: 'invalid_response' }],
    [
      'a network failure',
      () => {
        throw new TypeError('Failed to fetch');
      },
      { code: 'network_error' },
    ],
  ];
  for (const [name, respond, expected] of failures) {
    it(`turns ${name} into a coded error, with one request and no retry`, async () => {
      const { calls, fetchFn } = fakeFetch(respond);
      const error = await exchangeCode(fetchFn, exchange, 'c', { timeout: 5000 }).catch((e: unknown) => e);
      expect(error).to.include(expected);
      expect((error as Error).message)
        .to.be.a('string')
        .and.not.include('<h1>');
      expect(calls).to.have.length(1);
    });
  }

  // RFC 6749 §5.1, in the element: any other shape of a 200 answer is invalid_response, the message naming the field.
  const valid = { access_token: 'at', token_type: 'Bearer', expires_in: 3600 };
  const shapes: [string, unknown, string][] = [
    ['an empty access_token', { ...valid, access_token: '' }, 'access_token'],
    ['a numeric access_token', { ...valid, access_token: 42 }, 'access_token'],
    ['no token_type', { access_token: 'at', expires_in: 3600 }, 'token_type'],
    ['token_type "mac"', { ...valid, token_type: 'mac' }, 'token_type'],
    ['expires_in -100', { ...valid, expires_in: -100 }, 'expires_in'],
    ['expires_in 0', { ...valid, expires_in: 0 }, 'expires_in'],
    ['expires_in true', { ...valid, expires_in: true }, 'expires_in'],
    ['expires_in "0x10"', { ...valid, expires_in: '0x10' }, 'expires_in'],
    ['expires_in "soon"', { ...valid, expires_in: 'soon' }, 'expires_in'],
    ['expires_in 1.5', { ...valid, expires_in: 1.5 }, 'expires_in'],
    ['a numeric scope', { ...valid, scope: 7 }, 'scope'],
    ['an array', [valid], 'access_token'],
  ];
  for (const [name, body, field] of shapes) {
    it(`refuses a 200 answer with ${name} as invalid_response naming \`${field}\``, async () => {
      const { fetchFn } = fakeFetch(() => json(200, body));
      const error = await exchangeCode(fetchFn, exchange, 'c', { timeout: 5000 }).catch((e: unknown) => e);
      expect(error).to.include({ code: 'invalid_response', status: 200 });
      expect((error as Error).message).to.include(`\`${field}\``);
    });
  }

  it('refuses expires_in 1e400 (Infinity once parsed) as invalid_response', async () => {
    const body = '{"access_token":"at","token_type":"Bearer","expires_in":1e400}';
    const { fetchFn } = fakeFetch(() => new Response(body, { status: 200 }));
    const error = await exchangeCode(fetchFn, exchange, 'c', { timeout: 5000 }).catch((e: unknown) => e);
    expect(error).to.include({ code: 'invalid_response' });
    expect((error as Error).message).to.include('`expires_in`');
  });

  it('reads token_type case-insensitively and a missing expires_in as Aries’ 3600', async () => {
    const { fetchFn } = fakeFetch(() => json(200, { access_token: 'at', token_type: 'bearer' }));
    const tokens = await exchangeCode(fetchFn, exchange, 'c', { timeout: 5000 });
    expect(tokens).to.include({ tokenType: 'Bearer', expiresIn: 3600, scope: '' });
  });

  it('reads a backend’s refresh answer with the same rules', async () => {
    const { fetchFn } = fakeFetch(() => json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 'x' }));
    const error = await refreshTokens(fetchFn, '/auth', { timeout: 5000 }).catch((e: unknown) => e);
    expect(error).to.include({ code: 'invalid_response' });
  });

  describe('a backend that keeps the tokens (apiProxy)', () => {
    const held = { expires_in: 900, scope: 'user:information', token_held_by: 'backend', session_expires_in: 1800 };

    it('signs in and refreshes through it with no token: its session’s scope and expiry, held by the backend', async () => {
      const { calls, fetchFn } = fakeFetch(() => json(200, held));
      const before = Date.now();
      const signedIn = await exchangeCode(fetchFn, { ...exchange, backendUrl: '/auth' }, 'c', { timeout: 5000 });
      expect(calls[0].url).to.equal('/auth/token');
      expect(calls[0].init.credentials).to.equal('include');
      expect(signedIn).to.deep.equal({
        tokenHeldBy: 'backend',
        expiresIn: 900,
        expiresAt: signedIn.expiresAt,
        scope: 'user:information',
      });
      expect(signedIn.expiresAt).to.be.within(before + 900_000, Date.now() + 900_000);
      expect(sessionEnds.get(signedIn)).to.be.within(before + 1_800_000, Date.now() + 1_800_000);
      const refreshed = await refreshTokens(fetchFn, '/auth', { timeout: 5000 });
      expect(refreshed).to.include({ tokenHeldBy: 'backend', expiresIn: 900 });
      expect(refreshed).not.to.have.property('accessToken');
    });

    it('from Aries’ token endpoint the same answer is invalid_response: Aries must send a token', async () => {
      const { fetchFn } = fakeFetch(() => json(200, held));
      const error = await exchangeCode(fetchFn, exchange, 'c', { timeout: 5000 }).catch((e: unknown) => e);
      expect(error).to.include({ code: 'invalid_response' });
      expect((error as Error).message).to.include('`access_token`');
    });

    it('a backend that says it keeps the tokens and sends one is not believed: invalid_response', async () => {
      const { fetchFn } = fakeFetch(() => json(200, { ...held, access_token: 'at', token_type: 'Bearer' }));
      const error = await refreshTokens(fetchFn, '/auth', { timeout: 5000 }).catch((e: unknown) => e);
      expect(error).to.include({ code: 'invalid_response' });
      expect((error as Error).message).to.include('`access_token`');
    });

    it('a backend’s answer with neither a token nor token_held_by is invalid_response', async () => {
      const { fetchFn } = fakeFetch(() => json(200, { expires_in: 900, scope: 'user:information' }));
      const error = await refreshTokens(fetchFn, '/auth', { timeout: 5000 }).catch((e: unknown) => e);
      expect(error).to.include({ code: 'invalid_response' });
    });
  });

  for (const code of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`keeps an Aries error code ${code} as a plain string code`, async () => {
      const { fetchFn } = fakeFetch(() => new Response(`{"error":"${code}"}`, { status: 400 }));
      const error = await exchangeCode(fetchFn, exchange, 'c', { timeout: 5000 }).catch((e: unknown) => e);
      expect(error).to.include({ code, status: 400 });
    });
  }

  it('reports 429 as rate_limited with retryAt from X-RateLimit-Reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 42;
    const { fetchFn } = fakeFetch(() => json(429, { error: 'rate_limited' }, { 'X-RateLimit-Reset': String(reset) }));
    const error = await exchangeCode(fetchFn, exchange, 'c', { timeout: 5000 }).catch((e: unknown) => e);
    expect(error).to.include({ code: 'rate_limited', status: 429, retryAt: reset * 1000 });
  });

  it('gives up on a request that never answers with network_error', async () => {
    const { fetchFn } = fakeFetch(() => new Promise<Response>(() => {}));
    const hanging = (async (url: string, init: RequestInit) => {
      void fetchFn(url, init);
      return new Promise((_, reject) =>
        init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    }) as unknown as typeof fetch;
    const error = await exchangeCode(hanging, exchange, 'c', { timeout: 50 }).catch((e: unknown) => e);
    expect(error).to.include({ code: 'network_error' });
  });

  it('rethrows the caller’s abort reason instead of reporting an error', async () => {
    const controller = new AbortController();
    const reason = new Error('left the page');
    const hanging = ((_: string, init: RequestInit) =>
      new Promise((_, reject) =>
        init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      )) as unknown as typeof fetch;
    const pending = exchangeCode(hanging, exchange, 'c', { timeout: 5000, signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    controller.abort(reason);
    expect(await pending).to.equal(reason);
  });

  const now = 1_700_000_000_000;
  const resets: [string | null, number, string][] = [
    ['1700000042', 1_700_000_042_000, 'epoch seconds'],
    ['1700000042000', 1_700_000_042_000, 'epoch ms'],
    ['30', now + 30_000, 'a delay in seconds'],
    ['0', now, 'no delay'],
    [null, now + 60_000, 'a missing header: a minute'],
    ['soon', now + 60_000, 'garbage: a minute'],
    ['-5', now + 60_000, 'a negative value: a minute'],
    ['999999999', now + MAX_RATE_LIMIT_DELAY, 'a delay of 31 years: clamped to an hour'],
    ['3601', now + MAX_RATE_LIMIT_DELAY, 'a delay just over an hour: an hour'],
    ['1e308', now + MAX_RATE_LIMIT_DELAY, 'a huge number: an hour'],
    ['1600000000', now, 'an epoch time in the past: now'],
    ['4102444800000', now + MAX_RATE_LIMIT_DELAY, 'an epoch time in 2100: an hour'],
  ];
  for (const [header, expected, name] of resets) {
    it(`reads X-RateLimit-Reset ${JSON.stringify(header)} as ${name}`, () => {
      expect(readRateLimitReset(header, now)).to.equal(expected);
    });
  }
});
