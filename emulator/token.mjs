// Aries' token endpoint: a code exchanged once (PKCE for public clients, the secret for confidential ones) and a
// refresh token rotated on each use, both as JSON; its own rate limit, faults and request log.
import { createHash, timingSafeEqual } from 'node:crypto';
import { apiHeaders, playFault, preflight, rateLimited, record } from './endpoint.mjs';
import { isObject, isString, mediaType, oauthError, readBody, sendJson } from './http.mjs';
import { randomToken, sweep } from './state.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('./clients.mjs').Client} Client
 * @typedef {import('./state.mjs').State} State
 */

const VERIFIER_RE = /^[A-Za-z0-9._~-]{43,128}$/; // RFC 7636 section 4.1
const TOKEN_FIELDS = [
  'grant_type',
  'client_id',
  'client_secret',
  'code',
  'redirect_uri',
  'code_verifier',
  'refresh_token',
];

const sha256 = (/** @type {string} */ s) => createHash('sha256').update(s).digest();
/** Compares digests, so neither the content nor the length of a secret leaks through timing. */
const safeEqual = (/** @type {string} */ a, /** @type {string} */ b) => timingSafeEqual(sha256(a), sha256(b));
const secretMatches = (/** @type {Client} */ client, /** @type {unknown} */ given) =>
  client.secret !== undefined && isString(given) && safeEqual(given, client.secret);

/** `/v1/oauth2/token`'s handlers, over the emulator's state. @param {State} state */
export function tokenRoom(state) {
  function issueTokens(
    /** @type {Client} */ client,
    /** @type {string[]} */ scopes,
    /** @type {string} */ redirectUri,
    /** @type {ServerResponse} */ res,
  ) {
    sweep(state.accessTokens);
    const accessToken = randomToken();
    const refreshToken = randomToken();
    state.accessTokens.set(accessToken, {
      clientId: client.clientId,
      scopes,
      expiresAt: Date.now() + client.tokenLifetime * 1000,
    });
    state.refreshTokens.set(refreshToken, { clientId: client.clientId, scopes, redirectUri });
    client.issued.push(accessToken, refreshToken);
    sendJson(res, 200, {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: Math.ceil(client.tokenLifetime),
      token_type: 'Bearer',
      scope: scopes.join(' '),
    });
  }

  /** grant_type "code": PKCE (public) or client_secret (confidential). */
  function grantCode(
    /** @type {Client} */ client,
    /** @type {Record<string, string>} */ body,
    /** @type {ServerResponse} */ res,
  ) {
    if (client.type === 'public' && 'client_secret' in body) {
      return oauthError(res, 400, 'invalid_request', 'public clients must not send client_secret');
    }
    if (client.type === 'confidential' && !secretMatches(client, body.client_secret)) {
      return oauthError(res, 401, 'invalid_client', 'client authentication failed');
    }
    const missing = ['code', 'redirect_uri', ...(client.type === 'public' ? ['code_verifier'] : [])].find(
      (f) => !body[f],
    );
    if (missing) return oauthError(res, 400, 'invalid_request', `${missing} is required`);
    const grant = state.codes.get(body.code);
    if (!grant || grant.clientId !== client.clientId)
      return oauthError(res, 400, 'invalid_grant', 'unknown authorization code');
    if (grant.used) return oauthError(res, 400, 'invalid_grant', 'authorization code already used');
    if (Date.now() >= grant.expiresAt) return oauthError(res, 400, 'invalid_grant', 'authorization code expired');
    grant.used = true; // single-use: the first attempt burns the code, whatever its outcome
    if (body.redirect_uri !== grant.redirectUri) {
      return oauthError(
        res,
        400,
        'redirect_uri_mismatch',
        'redirect_uri differs from the one of the authorize request',
      );
    }
    // A verifier without a challenge is refused too: it hints at a PKCE downgrade.
    const verified =
      grant.codeChallenge === null
        ? body.code_verifier === undefined
        : VERIFIER_RE.test(body.code_verifier ?? '') &&
          safeEqual(sha256(body.code_verifier).toString('base64url'), grant.codeChallenge);
    if (!verified) return oauthError(res, 400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    issueTokens(client, grant.scopes, grant.redirectUri, res);
  }

  /** grant_type "refresh_token": needs the secret, so only confidential clients (or a BFF) can refresh. */
  function grantRefresh(
    /** @type {Client} */ client,
    /** @type {Record<string, string>} */ body,
    /** @type {ServerResponse} */ res,
  ) {
    if (!secretMatches(client, body.client_secret)) {
      return oauthError(
        res,
        401,
        'invalid_client',
        client.type === 'public'
          ? 'refreshing needs client_secret: a public client cannot refresh'
          : 'client authentication failed',
      );
    }
    const missing = ['refresh_token', 'redirect_uri'].find((f) => !body[f]);
    if (missing) return oauthError(res, 400, 'invalid_request', `${missing} is required`);
    const grant = state.refreshTokens.get(body.refresh_token);
    if (!grant || grant.clientId !== client.clientId)
      return oauthError(res, 400, 'invalid_grant', 'unknown or rotated refresh_token');
    if (body.redirect_uri !== grant.redirectUri) {
      return oauthError(res, 400, 'redirect_uri_mismatch', 'redirect_uri differs from the one of the original flow');
    }
    state.refreshTokens.delete(body.refresh_token); // rotation: the old refresh token stops working
    issueTokens(client, grant.scopes, grant.redirectUri, res);
  }

  /** POST: logged, a queued fault played, the client's limit counted, then the request checked and answered. */
  async function token(/** @type {IncomingMessage} */ req, /** @type {ServerResponse} */ res) {
    apiHeaders(state, req, res);
    const text = await readBody(req);
    let body = /** @type {any} */ (undefined); // untrusted JSON, checked field by field below
    try {
      // Form bodies are parsed too, only so that a wrong request still shows up in its client's log.
      body =
        mediaType(req) === 'application/x-www-form-urlencoded'
          ? Object.fromEntries(new URLSearchParams(text))
          : JSON.parse(text);
    } catch {
      /* left undefined: answered as invalid_request below */
    }
    const client = isString(body?.client_id) ? state.clients.get(body.client_id) : undefined;
    if (client) record(client, req, res, 'token', body);
    const fault = client?.faults.token.shift();
    if (fault && (await playFault(state, fault, req, res))) return;
    // Aries' "Authentication" category, per client.
    if (client && rateLimited(res, client.hits, client.rateLimit, client.rateLimitReset, 'token')) return;
    if (mediaType(req) !== 'application/json') {
      return oauthError(res, 400, 'invalid_request', 'the body must be JSON, sent with Content-Type: application/json');
    }
    if (!isObject(body)) return oauthError(res, 400, 'invalid_request', 'the body must be a JSON object');
    const notString = TOKEN_FIELDS.find((f) => f in body && !isString(body[f]));
    if (notString) return oauthError(res, 400, 'invalid_request', `${notString} must be a string`);
    if (!body.grant_type) return oauthError(res, 400, 'invalid_request', 'grant_type is required');
    if (body.grant_type !== 'code' && body.grant_type !== 'refresh_token') {
      return oauthError(
        res,
        400,
        'unsupported_grant_type',
        body.grant_type === 'authorization_code'
          ? 'Aries expects grant_type "code" for a code exchange'
          : `grant_type "${body.grant_type}" is not supported`,
      );
    }
    if (!body.client_id) return oauthError(res, 400, 'invalid_request', 'client_id is required');
    if (!client) return oauthError(res, 401, 'invalid_client', 'unknown client_id');
    return body.grant_type === 'code' ? grantCode(client, body, res) : grantRefresh(client, body, res);
  }

  return {
    '/v1/oauth2/token': {
      POST: token,
      OPTIONS: (/** @type {IncomingMessage} */ req, /** @type {ServerResponse} */ res) =>
        preflight(state, req, res, { endpoint: 'token', methods: 'POST', headers: 'content-type' }),
    },
  };
}
