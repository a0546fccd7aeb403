// The one state of an emulator, which each of its rooms (authorize, token, API, control) is given: the registered
// clients, consent pages awaiting a decision, codes, tokens, each client's API data, and the timers close() cancels.
import { randomBytes } from 'node:crypto';
import { makeClient } from './clients.mjs';

/**
 * @typedef {import('./clients.mjs').Client} Client
 * @typedef {{ clientId: string, redirectUri: string, scopes: string[], state: string|null,
 *   codeChallenge: string|null, expiresAt: number, used?: boolean }} Grant
 *   A consent page awaiting its decision, then the code it gave.
 * @typedef {{ user: object, orders: Record<string, any>[], orderCount: number,
 *   hits: Record<import('./api-routes.mjs').Category, number[]> }} ApiData
 *   A client's own world at Aries' API: its user, its orders, its rate-limit hits.
 * @typedef {{
 *   registrations: Record<string, any>[],
 *   clients: Map<string, Client>,
 *   pending: Map<string, Grant>,
 *   codes: Map<string, Grant>,
 *   accessTokens: Map<string, { clientId: string, scopes: string[], expiresAt: number }>,
 *   refreshTokens: Map<string, { clientId: string, scopes: string[], redirectUri: string }>,
 *   apiData: WeakMap<Client, ApiData>,
 *   timers: Set<NodeJS.Timeout>,
 * }} State
 */

/** A fresh state with the registered clients (clients.json unless told). @param {Record<string, any>[]} registrations */
export function createState(registrations) {
  /** @type {State} */
  const state = {
    registrations,
    clients: new Map(),
    pending: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    apiData: new WeakMap(), // a client's data goes with the client on reset
    timers: new Set(),
  };
  reset(state);
  return state;
}

/** Forgets dynamic clients, codes and tokens; the registered clients again, as new. @param {State} state */
export function reset(state) {
  for (const map of [state.clients, state.pending, state.codes, state.accessTokens, state.refreshTokens]) map.clear();
  for (const registration of state.registrations) {
    const client = makeClient(registration);
    state.clients.set(client.clientId, client);
  }
}

/** Drops expired entries so long-running demos do not grow without bound. */
export function sweep(/** @type {Map<string, { expiresAt: number }>} */ map) {
  const now = Date.now();
  for (const [key, value] of map) if (value.expiresAt <= now) map.delete(key);
}

/** A timer that close() can cancel. @param {State} state @param {number} ms */
export function sleep(state, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      state.timers.delete(timer);
      resolve(undefined);
    }, ms);
    state.timers.add(timer);
  });
}

/** The clients with a redirect URI on `origin`: the only pages allowed to read Aries' answers. @param {State} state */
export function clientsForOrigin(state, /** @type {string|undefined} */ origin) {
  return [...state.clients.values()].filter((c) => c.redirectUris.some((uri) => new URL(uri).origin === origin));
}

/** What an access token grants (an expired token's too, so its client's log shows the call). @param {State} state */
export function grantOf(state, /** @type {string} */ token) {
  const grant = state.accessTokens.get(token);
  const client = grant && state.clients.get(grant.clientId);
  return client && { client, scopes: grant.scopes, expiresAt: grant.expiresAt };
}

/** An unguessable code, token, secret or request id. */
export const randomToken = () => randomBytes(32).toString('base64url');
