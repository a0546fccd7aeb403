// The emulator's control API at /__emulator/…: set-up for tests, the bench and the demo, open to any origin.
// emulator/control-client.mjs is its client.
import { randomBytes } from 'node:crypto';
import { SETTINGS, findProblem, makeClient } from './clients.mjs';
import { FAULT_FIELDS } from './endpoint.mjs';
import { isObject, oauthError, readJson, send, sendJson } from './http.mjs';
import { randomToken, reset } from './state.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('./state.mjs').State} State
 */

const FAULT_QUEUES = /** @type {const} */ (['token', 'profile', 'api']);

/**
 * The control API's handler, over the emulator's state.
 * - `POST /__emulator/reset`: forget dynamic clients, codes and tokens; clients.json again.
 * - `POST /__emulator/clients` `{ type?, ...settings }` → `{ clientId, clientSecret? }`; `PATCH …/clients/:id`
 *   `{ ...settings }`. Settings: see SETTINGS (`tokenLifetime`, `rateLimit`, `rateLimitReset`, `consent`, …), and
 *   `apiRateLimits: { market_data?, trading?, user_management? }`: the API's limits per minute (Aries' 1,000, 50, 100).
 * - `POST …/clients/:id/faults` `{ token?: Fault[], profile?: Fault[], api?: Fault[] }`: each queued fault answers
 *   (or delays, stalls, drops) the client's next token request, profile request, or API request (any API route,
 *   the profile too once its own queue is empty), then normal answers resume. A fault: `{ status, body, headers }`
 *   (a 429 with `X-RateLimit-Reset`, a 307 with `Location`…), `{ error, status }`, `{ delayMs }` (then answered and
 *   carried out as usual), `{ hang: true }`, `{ drop: true }` (the connection reset), `{ noCors: true }`.
 * - `GET …/clients/:id/requests`: the client's request log, oldest first (LoggedRequest).
 * - `GET …/clients/:id/tokens`: every access and refresh token issued to the client, oldest first (fake tokens: a
 *   test compares them with what a page can reach).
 * @param {State} state
 */
export function controlRoom(state) {
  return async function control(
    /** @type {IncomingMessage} */ req,
    /** @type {ServerResponse} */ res,
    /** @type {string} */ path,
  ) {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      return send(res, 204, {
        'Access-Control-Allow-Methods': 'GET, POST, PATCH',
        'Access-Control-Allow-Headers': 'content-type',
      });
    }
    const idMatch = /^\/__emulator\/clients\/([^/]+)/.exec(path);
    const client = idMatch ? state.clients.get(idMatch[1]) : undefined;
    if (idMatch && !client) return oauthError(res, 404, 'not_found', 'unknown client');
    const route = `${req.method} ${idMatch ? path.replace(idMatch[0], '/__emulator/clients/:id') : path}`;
    if (route === 'POST /__emulator/reset') {
      reset(state);
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'POST /__emulator/clients') {
      const { type = 'public', ...settings } = await readJson(req);
      const clientId = `test-${randomBytes(8).toString('hex')}`;
      const secret = type === 'confidential' ? randomToken() : undefined;
      const registration = { name: 'Test App', consent: 'approve', ...settings, type, clientId, secret };
      state.clients.set(clientId, makeClient(registration));
      return sendJson(res, 201, secret ? { clientId, clientSecret: secret } : { clientId });
    }
    if (route === 'PATCH /__emulator/clients/:id' && client) {
      const input = await readJson(req);
      const problem = findProblem(input, SETTINGS);
      if (problem) return oauthError(res, 400, 'invalid_request', problem);
      const { secret, faults, requests, hits, issued, ...settings } = Object.assign(client, input);
      return sendJson(res, 200, settings); // never the secret
    }
    if (route === 'POST /__emulator/clients/:id/faults' && client) {
      const input = await readJson(req);
      const problem = Object.entries(input).find(
        ([queue, list]) =>
          !FAULT_QUEUES.includes(/** @type {any} */ (queue)) ||
          !Array.isArray(list) ||
          !list.every((f) => isObject(f) && Object.keys(f).length > 0 && !findProblem(f, FAULT_FIELDS)),
      );
      if (problem) return oauthError(res, 400, 'invalid_request', `invalid faults for "${problem[0]}"`);
      for (const queue of FAULT_QUEUES) client.faults[queue].push(...(input[queue] ?? []));
      const queued = Object.fromEntries(Object.entries(client.faults).map(([queue, list]) => [queue, list.length]));
      return sendJson(res, 200, { queued });
    }
    if (route === 'GET /__emulator/clients/:id/requests' && client) return sendJson(res, 200, client.requests);
    if (route === 'GET /__emulator/clients/:id/tokens' && client) return sendJson(res, 200, client.issued);
    oauthError(res, 404, 'not_found', 'no such control route');
  };
}
