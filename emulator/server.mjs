// Local emulator of the Aries OAuth2 provider and its API, with a control API for tests and the demo: one state, and
// the rooms that answer over it (authorize.mjs, token.mjs, api.mjs, control.mjs).
import http from 'node:http';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { apiRoom } from './api.mjs';
import { authorizeRoom } from './authorize.mjs';
import { loadClients } from './clients.mjs';
import { controlRoom } from './control.mjs';
import { HttpError, oauthError } from './http.mjs';
import { createState } from './state.mjs';
import { tokenRoom } from './token.mjs';

/**
 * Starts an emulator with its own state; several may run side by side.
 * @param {{ port?: number, host?: string, clients?: Record<string, any>[], log?: boolean }} [options]
 * @returns {Promise<{ origin: string, close(): Promise<void> }>}
 */
export async function startEmulator({ port = 4010, host = '127.0.0.1', clients = loadClients(), log = false } = {}) {
  const state = createState(clients);
  const control = controlRoom(state);
  const api = apiRoom(state);
  const routes = /** @type {Record<string, Record<string, Function>>} */ ({
    ...authorizeRoom(state),
    ...tokenRoom(state),
  });

  async function handle(/** @type {http.IncomingMessage} */ req, /** @type {http.ServerResponse} */ res) {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname.startsWith('/__emulator/')) return control(req, res, url.pathname);
    const route = routes[url.pathname] ?? api.route(url.pathname);
    if (!route) return api.notFound(req, res, url);
    const handler = route[req.method ?? ''];
    if (!handler) {
      return oauthError(res, 405, 'invalid_request', `method ${req.method} not allowed`, {
        Allow: Object.keys(route).join(', '),
      });
    }
    return handler(req, res, url);
  }

  const server = http.createServer((req, res) => {
    if (log) res.on('finish', () => console.log(`${req.method} ${req.url} -> ${res.statusCode}`));
    handle(req, res).catch((err) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof HttpError) {
        if (err.status === 413) res.setHeader('Connection', 'close'); // do not wait for the rest of an oversized body
        return oauthError(res, err.status, err.code, err.message);
      }
      console.error('Aries emulator: internal error:', err);
      oauthError(res, 500, 'server_error', 'internal error in the emulator');
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    origin,
    close() {
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        for (const timer of state.timers) clearTimeout(timer);
        state.timers.clear();
        server.close(() => resolve());
        server.closeAllConnections(); // also ends hanging and keep-alive sockets, so close() returns promptly
      });
    },
  };
}

// Run directly (not imported): serve until SIGINT/SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const port = Number(process.env.ARIES_EMULATOR_PORT ?? 4010);
  startEmulator({ port, log: Boolean(process.env.ARIES_EMULATOR_LOG) }).then(
    (emulator) => {
      const stop = () => emulator.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      console.log(`Aries emulator on ${emulator.origin}`); // last: whoever waits for this line may signal at once
    },
    (err) => {
      console.error(
        err?.code === 'EADDRINUSE'
          ? `Aries emulator: port ${port} is already in use (set ARIES_EMULATOR_PORT to use another)`
          : `Aries emulator: ${err?.message ?? err}`,
      );
      process.exit(1);
    },
  );
}
