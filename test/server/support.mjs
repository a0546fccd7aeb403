// Shared set-up of the server entry's tests: the emulator, confidential clients, a real redis-server, mounted backends.
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { startEmulator } from '../../emulator/server.mjs';
import { buildServer } from '../../scripts/build-server.mjs';

buildServer();
export const { createBackend, memoryStore, redisStore } = await import('../../dist/server/index.js');

export const REDIRECT = 'http://localhost:9999/app/callback';
/** The PKCE verifier of every sign-in here (the element makes a random one each time; its shape is what matters). */
export const VERIFIER = 'test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

export async function emulatorWithClient(settings = {}) {
  const emulator = await startEmulator({ port: 0 });
  const client = await createClient(emulator, settings);
  return { emulator, ...client };
}

/** The authorize step at the emulator as a browser takes it (consent approved), with VERIFIER's challenge: a fresh code. */
export async function authorizeAt(origin, { clientId, redirectUri, scope = 'user:information', pkce = true }) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state: 's',
    ...(pkce ? { code_challenge: CHALLENGE, code_challenge_method: 'S256' } : {}),
  });
  const page = await fetch(`${origin}/oauth2/authorize?${query}`).then((r) => r.text());
  const [, field, value] = page.match(/<input type="hidden" name="([^"]+)" value="([^"]+)"/);
  const decision = await fetch(`${origin}/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ [field]: value, decision: 'approve' }),
  });
  return new URL(decision.headers.get('location')).searchParams.get('code');
}

export async function createClient(emulator, settings = {}) {
  const created = await fetch(`${emulator.origin}/__emulator/clients`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'confidential', redirectUris: [REDIRECT], rateLimit: 100_000, ...settings }),
  }).then((r) => r.json());
  const control = `${emulator.origin}/__emulator/clients/${created.clientId}`;
  return {
    clientId: created.clientId,
    clientSecret: created.clientSecret,
    tokenUrl: `${emulator.origin}/v1/oauth2/token`,
    /** Runs the authorize step the way a browser would (with VERIFIER's challenge, unless `pkce: false`): a fresh code. */
    authorize: ({ pkce = true } = {}) =>
      authorizeAt(emulator.origin, { clientId: created.clientId, redirectUri: REDIRECT, pkce }),
    /** Scripts Aries' next token answers. */
    faults: (...token) =>
      fetch(`${control}/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token }),
      }).then((r) => r.json()),
    /** Token requests Aries received, by grant type. */
    async grants(type) {
      const requests = await fetch(`${control}/requests`).then((r) => r.json());
      return requests.filter((r) => r.endpoint === 'token' && (!type || r.body?.grant_type === type));
    },
  };
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

export async function signIn(origin, client, headers = {}) {
  const response = await post(origin, 'token', { body: tokenBody(await client.authorize()), headers });
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
