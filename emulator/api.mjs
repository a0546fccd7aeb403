// Aries' API in the emulator (its rows in api-routes.mjs): a Bearer token with the right scope, Aries' per-category
// rate limits per client, queued faults, and every call in its client's request log.
import { API_RATE_LIMITS, ROWS, newApiData } from './api-routes.mjs';
import { apiHeaders, playFault, preflight, rateLimited, record } from './endpoint.mjs';
import { HttpError, mediaType, oauthError, readBody, sendJson } from './http.mjs';
import { grantOf } from './state.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('./clients.mjs').Client} Client
 * @typedef {import('./state.mjs').State} State
 * @typedef {(typeof ROWS)[number] & { pattern: RegExp }} Route
 */

const routes = ROWS.map((row) => ({
  ...row,
  pattern: new RegExp(`^${row.path.replace(/\{(\w+)\}/g, '(?<$1>[A-Za-z0-9._~-]+)')}$`),
}));

/** The client a request's Bearer token belongs to (an expired token's too, for its request log). */
const grantFor = (/** @type {State} */ state, /** @type {IncomingMessage} */ req) => {
  const bearer = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return bearer === undefined ? undefined : grantOf(state, bearer);
};

/** What the request log keeps of an API call besides the common fields. */
const details = (/** @type {IncomingMessage} */ req, /** @type {URL} */ url) => ({
  path: url.pathname,
  query: Object.fromEntries(url.searchParams),
  hasAuthorization: 'authorization' in req.headers,
  headers: Object.keys(req.headers).sort(),
});

/** Aries' API over the emulator's state: its handlers by path, and the answer to a path that is no route. @param {State} state */
export function apiRoom(state) {
  const dataOf = (/** @type {Client} */ client) => {
    let data = state.apiData.get(client);
    if (!data) state.apiData.set(client, (data = newApiData()));
    return data;
  };

  /** One API call: logged, a queued fault played, the token and its scope checked, the limit counted, then answered. */
  async function call(
    /** @type {Route} */ row,
    /** @type {Record<string, string>} */ params,
    /** @type {IncomingMessage} */ req,
    /** @type {ServerResponse} */ res,
    /** @type {URL} */ url,
  ) {
    apiHeaders(state, req, res);
    const text = await readBody(req);
    let body = /** @type {any} */ (text || null);
    if (text && mediaType(req) === 'application/json') {
      try {
        body = JSON.parse(text);
      } catch {
        /* kept as text: answered 400 below */
      }
    }
    const grant = grantFor(state, req);
    const client = grant?.client;
    const endpoint = row.endpoint ?? 'api';
    if (client) record(client, req, res, endpoint, body, details(req, url));
    const fault = client && ((endpoint === 'profile' && client.faults.profile.shift()) || client.faults.api.shift());
    if (fault && (await playFault(state, fault, req, res))) return;
    if (!grant || Date.now() >= grant.expiresAt) {
      return oauthError(res, 401, 'invalid_token', 'missing, unknown or expired access token', {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    if (!row.scopes.some((scope) => grant.scopes.includes(scope))) {
      return oauthError(res, 403, 'insufficient_scope', `this token lacks the ${row.scopes.join(' or ')} scope`, {
        'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${row.scopes.join(' ')}"`,
      });
    }
    const data = dataOf(grant.client);
    const limit = grant.client.apiRateLimits?.[row.category] ?? API_RATE_LIMITS[row.category];
    const what = row.category.replace('_', ' ');
    if (rateLimited(res, data.hits[row.category], limit, grant.client.rateLimitReset, what)) return;
    if (text && row.method !== 'GET' && (mediaType(req) !== 'application/json' || typeof body !== 'object')) {
      throw new HttpError(400, 'invalid_request', 'the body must be JSON, sent with Content-Type: application/json');
    }
    const [status, value] = row.answer({ params, query: url.searchParams, body }, data);
    sendJson(res, status, value);
  }

  return {
    /** A path that is no route of Aries' (its API's or its OAuth's): 404, in the log of the client whose token came. */
    notFound(/** @type {IncomingMessage} */ req, /** @type {ServerResponse} */ res, /** @type {URL} */ url) {
      apiHeaders(state, req, res);
      const client = grantFor(state, req)?.client;
      if (client) record(client, req, res, 'api', null, details(req, url));
      oauthError(res, 404, 'not_found', `no route ${url.pathname}`);
    },

    /** The API's handlers for `pathname`, by method (OPTIONS included), or undefined when it is no API path. */
    route(/** @type {string} */ pathname) {
      const rows = routes.filter((row) => row.pattern.test(pathname));
      if (!rows.length) return undefined;
      const params = { ...rows[0].pattern.exec(pathname)?.groups };
      const methods = rows.map((row) => row.method);
      return Object.fromEntries([
        ...rows.map((row) => [
          row.method,
          (/** @type {IncomingMessage} */ req, /** @type {ServerResponse} */ res, /** @type {URL} */ url) =>
            call(row, params, req, res, url),
        ]),
        [
          'OPTIONS',
          (/** @type {IncomingMessage} */ req, /** @type {ServerResponse} */ res) =>
            preflight(state, req, res, {
              endpoint: rows[0].endpoint ?? 'api',
              methods: methods.join(', '),
              headers: methods.every((m) => m === 'GET') ? 'authorization' : 'authorization, content-type',
            }),
        ],
      ]);
    },
  };
}
