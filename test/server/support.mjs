// Shared set-up of the server entry's tests: the emulator, confidential clients, a real redis-server, mounted backends.
import http from 'node:http';
import { startEmulator } from '../../emulator/server.mjs';
import { buildServer } from '../../scripts/build-server.mjs';

buildServer();
export const { createBackend, memoryStore, redisStore } = await import('../../dist/server/index.js');

export const REDIRECT = 'http://localhost:9999/app/callback';

export async function emulatorWithClient(settings = {}) {
  const emulator = await startEmulator({ port: 0 });
  const client = await createClient(emulator, settings);
  return { emulator, ...client };
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
    /** Runs the authorize step the way a browser would, and returns a fresh code. */
    async authorize() {
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: created.clientId,
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
    },
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

/** A backend mounted on plain node:http the way the README shows, on a free port. */
export async function serve(backend) {
  const server = http.createServer((req, res) => backend.middleware(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { server, origin, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A browser-like POST to the backend (same-origin, with the CSRF header unless told otherwise). */
export function post(origin, route, { cookie, body, headers = {}, csrf = true } = {}) {
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
  });
}

export const cookieOf = (response) => response.headers.get('set-cookie')?.split(';')[0];

export async function signIn(origin, client) {
  const response = await post(origin, 'token', { body: { code: await client.authorize(), redirect_uri: REDIRECT } });
  return { response, json: await response.json(), cookie: cookieOf(response) };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export { startRedis } from '../../scripts/redis-server.mjs';
