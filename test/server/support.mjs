// Shared set-up of the server entry's tests: the emulator (through its control client), confidential clients, a real
// redis-server, mounted backends, the session routes alone, and the contract every session store keeps.
import assert from 'node:assert/strict';
import http from 'node:http';
import { it } from 'node:test';
import net from 'node:net';
import { emulatorControl } from '../../emulator/control-client.mjs';
import { startEmulator } from '../../emulator/server.mjs';
import { buildServer } from '../../scripts/build-server.mjs';

buildServer();
export const { createBackend, memoryStore, redisStore } = await import('../../dist/server/index.js');

export const REDIRECT = 'http://localhost:9999/app/callback';
/** The PKCE verifier of every sign-in here (the element makes a random one each time; its shape is what matters). */
export const VERIFIER = 'test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
/** The fields of a sign-in's or refresh's answer to the browser (without apiProxy), sorted: never a refresh token. */
export const BROWSER_ANSWER_FIELDS = ['access_token', 'expires_in', 'scope', 'session_expires_in', 'token_type'];

export async function emulatorWithClient(settings = {}) {
  const emulator = await startEmulator({ port: 0 });
  const client = await createClient(emulator, settings);
  return { emulator, ...client };
}

/** The authorize step at the emulator as a browser takes it (consent approved), with VERIFIER's challenge: a fresh code. */
export const authorizeAt = (origin, { clientId, redirectUri, scope, pkce = true }) =>
  emulatorControl(origin).authorizeCode({ clientId, redirectUri, scope, codeVerifier: pkce ? VERIFIER : undefined });

/** A confidential client at the emulator (limits out of the tests' way unless told), and its control. */
export async function createClient(emulator, settings = {}) {
  const control = emulatorControl(emulator.origin);
  const { clientId, clientSecret } = await control.createClient({
    type: 'confidential',
    redirectUris: [REDIRECT],
    rateLimit: 100_000,
    ...settings,
  });
  return {
    clientId,
    clientSecret,
    tokenUrl: `${emulator.origin}/v1/oauth2/token`,
    /** Aries' API at the emulator (`apiProxy.apiUrl`). */
    apiUrl: emulator.origin,
    /**
     * Runs the authorize step the way a browser would (with VERIFIER's challenge, unless `pkce: false`; the scopes
     * asked for, `user:information` unless told): a fresh code.
     */
    authorize: ({ pkce = true, scope } = {}) =>
      authorizeAt(emulator.origin, { clientId, redirectUri: REDIRECT, pkce, scope }),
    /** Scripts Aries' next token answers. */
    faults: (...token) => control.queueFaults(clientId, { token }),
    /** Scripts Aries' next API answers. */
    apiFaults: (...api) => control.queueFaults(clientId, { api }),
    /** Changes the client's settings at the emulator (`apiRateLimits`, `tokenLifetime`…). */
    settings: (settings) => control.updateClient(clientId, settings),
    /** API calls Aries received (preflights left out), optionally only those to `path`. */
    async apiCalls(path) {
      const calls = await control.requests(clientId, { endpoint: ['api', 'profile'] });
      return calls.filter((r) => !path || r.path === path);
    },
    /** Token requests Aries received, by grant type. */
    async grants(type) {
      const requests = await control.requests(clientId, { endpoint: 'token' });
      return requests.filter((r) => !type || r.body?.grant_type === type);
    },
  };
}

/** A backend for the client `aries` at the emulator, mounted on node:http, its log lines pushed to `logs`. */
export async function mountFor(aries, logs, options = {}) {
  const backend = createBackend({
    clientId: aries.clientId,
    clientSecret: aries.clientSecret,
    tokenUrl: aries.tokenUrl,
    log: (line) => logs.push(line),
    ...options,
  });
  return { ...(await serve(backend)), backend };
}

/** A new client at Aries (10 token calls per minute unless told) and a backend for it: the quota's and client-ip's tests. */
export async function appAt(emulator, logs, { rateLimit = 10, tokenLifetime = 60, ...options } = {}) {
  const aries = await createClient(emulator, { rateLimit, tokenLifetime });
  return { aries, ...(await mountFor(aries, logs, options)) };
}

/** Headers of a request that came through one proxy of the app's from `ip`. */
export const from = (ip) => ({ 'X-Forwarded-For': ip });
/** A sign-in with a code Aries never issued, from `ip` (through one proxy): spends the quota, gets Aries' 400. */
export const bogus = (origin, ip) => post(origin, 'token', { body: tokenBody('bogus-code'), headers: from(ip) });
export const statuses = (responses) => responses.map((r) => r.status);

/**
 * The session routes (server/sessions.ts) without HTTP in front: a fresh memory store, the quota (room in it unless
 * told), the client of `aries`' token endpoint; `reports` holds what they reported.
 */
export async function sessionRoutesAt(
  aries,
  { ariesTimeout = 2_000, quota = { points: 1_000 }, perClient = { points: 1_000 } } = {},
) {
  const { sessionRoutes } = await import('../../dist/server/sessions.js');
  const { ariesClient } = await import('../../dist/server/aries-client.js');
  const { checkQuota, createQuota } = await import('../../dist/server/quota.js');
  const store = memoryStore();
  const reports = [];
  const sessions = sessionRoutes({
    store,
    aries: ariesClient({ ...aries, fetch }),
    quota: createQuota(store, aries.clientId, checkQuota(quota, perClient)),
    ariesTimeout,
    report: (level, event, fields) => reports.push({ level, event, ...fields }),
  });
  return { store, reports, sessions };
}

/** A sign-in through the session routes' `token` with a fresh code at `aries`: the answer, its JSON and the session id. */
export async function signInThrough(sessions, aries, oldId) {
  const { LOOPBACK_COOKIE } = await import('../../dist/server/http.js');
  const signIn = { code: await aries.authorize(), redirectUri: REDIRECT, codeVerifier: VERIFIER, client: '192.0.2.1' };
  const response = await sessions.token(signIn, oldId, LOOPBACK_COOKIE);
  const id = response.headers.get('set-cookie')?.match(/^aries_session=([\w-]{43});/)?.[1];
  return { response, id, json: await response.json() };
}

/**
 * What every session store promises (server/store.ts), as tests of the store `makeStore` opens: compare-and-set on
 * the refresh token sent to Aries (so a sign-out always wins), and a refresh lock only its holder extends or releases.
 */
export function storeContract(makeStore) {
  it('update and delete are compare-and-set on the refresh token sent to Aries; an ended session is never written back', async () => {
    const store = makeStore();
    const session = (refreshToken) => storedSession({ refreshToken });
    await store.create('s', session('r1'));
    assert.equal(await store.update('s', session('r2'), 'r0'), false, 'not the stored one');
    assert.equal(await store.update('s', session('r2'), 'r1'), true);
    assert.equal(await store.delete('s', 'r1'), false, 'another holder rotated it: its session stands');
    assert.equal((await store.get('s')).refreshToken, 'r2');
    assert.equal(await store.delete('s', 'r2'), true);
    assert.equal(await store.get('s'), undefined);
    assert.equal(await store.update('s', session('r3'), 'r2'), false, 'never written back once ended');
    await store.create('t', session('r1'));
    await store.delete('t');
    assert.equal(await store.update('t', session('r2'), 'r1'), false, 'a sign-out wins over a refresh in flight');
    assert.equal(await store.get('t'), undefined);
    await store.close();
  });

  it('a lock is taken once, extended only by its holder while it lives, and released only by its holder', async () => {
    const store = makeStore();
    const first = await store.lock('s', 200);
    assert.ok(first);
    assert.equal(await store.lock('s', 200), undefined);
    assert.equal(await first.extend(600), true);
    await sleep(300);
    assert.equal(await store.lock('s', 200), undefined, 'extended past its first 200 ms');
    await first.release();
    const second = await store.lock('s', 100);
    assert.ok(second);
    await first.release();
    assert.equal(await store.lock('s', 100), undefined, 'a former holder cannot release another’s lock');
    await sleep(150);
    assert.equal(await second.extend(100), false, 'a lapsed lock is not revived');
    await store.close();
  });
}

/** A session as the stores keep it, for the stores' own tests. */
export const storedSession = (fields = {}) => ({
  redirectUri: REDIRECT,
  accessToken: 'a',
  tokenType: 'Bearer',
  scope: '',
  expiresIn: 60,
  expiresAt: Date.now() + 60_000,
  createdAt: Date.now(),
  ...fields,
});

/** A sign-in's /token body for `code`, as the element sends it. */
export const tokenBody = (code, verifier = VERIFIER) => ({ code, redirect_uri: REDIRECT, code_verifier: verifier });

/** A backend mounted on plain node:http the way the README shows, on a free port. */
export async function serve(backend) {
  const server = http.createServer((req, res) => backend.middleware(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { server, origin, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A browser-like POST to the backend (same-origin, with the CSRF header unless told otherwise). */
export function post(origin, route, { cookie, body, headers = {}, csrf = true, signal } = {}) {
  return fetch(`${origin}/auth/${route}`, {
    method: 'POST',
    headers: {
      Origin: origin,
      ...(csrf ? { 'X-Requested-With': 'aries-login' } : {}),
      ...(cookie ? { Cookie: cookie } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body && JSON.stringify(body),
    signal,
  });
}

export const cookieOf = (response) => response.headers.get('set-cookie')?.split(';')[0];

export async function signIn(origin, client, headers = {}, scope = undefined) {
  const response = await post(origin, 'token', { body: tokenBody(await client.authorize({ scope })), headers });
  return { response, json: await response.json(), cookie: cookieOf(response) };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds (a condition, never a fixed sleep racing real work). */
export async function eventually(check, what, timeout = 10_000) {
  const until = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Sends raw HTTP to 127.0.0.1:`port`, as no fetch would (dot segments, backslashes, an absolute-form target, any Host):
 * the whole answer as text, status line and headers included, once the server closes (or after a second).
 */
export const raw = (port, text) =>
  new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    setTimeout(() => socket.end(), 1_000);
  });

/**
 * A TCP proxy to 127.0.0.1:`port`, as the network between one backend instance and Redis: `pause()` holds every byte
 * in both directions until `resume()` (a stall: failover, a black-holed link), `slow(ms)` delays each by `ms`.
 */
export async function tcpProxy(port) {
  let paused = false;
  let delay = 0;
  const held = [];
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ]) {
      sockets.add(from);
      from.on('error', end).on('close', end);
      from.on('data', (chunk) => {
        const send = () => to.destroyed || to.write(chunk);
        if (paused) held.push(send);
        else if (delay) setTimeout(send, delay);
        else send();
      });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${server.address().port}`,
    pause: () => (paused = true),
    resume: () => {
      paused = false;
      for (const send of held.splice(0)) send();
    },
    slow: (ms) => (delay = ms),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

export { startRedis } from '../../scripts/redis-server.mjs';
