// Aries' authorize endpoint: GET checks the request and shows the consent page; POST takes the person's decision and
// answers the app's redirect URI with a code, or an error.
import { SCOPES } from './clients.mjs';
import { readBody, send } from './http.mjs';
import { record } from './endpoint.mjs';
import { HTML_HEADERS, consentPage, htmlError } from './pages.mjs';
import { randomToken, sweep } from './state.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('./clients.mjs').Client} Client
 * @typedef {import('./state.mjs').State} State
 */

const PENDING_MS = 10 * 60_000; // how long a consent page stays answerable
const CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/; // base64url of a SHA-256 digest, unpadded

/** Answers a callback by redirecting to the app with query parameters (null values are left out). */
function redirect(
  /** @type {ServerResponse} */ res,
  /** @type {string} */ to,
  /** @type {Record<string, string|null>} */ params,
) {
  const url = new URL(to);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  send(res, 302, { Location: url.href, 'Cache-Control': 'no-store' });
}

/** Why an authorize request (with a verified client and redirect_uri) must be refused, if it must. */
function checkAuthorize(/** @type {Client} */ client, /** @type {URLSearchParams} */ q) {
  const fail = (/** @type {string} */ error, /** @type {string} */ description) => ({
    error,
    error_description: description,
  });
  const repeated = ['response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method'].find(
    (p) => q.getAll(p).length > 1,
  );
  if (repeated) return fail('invalid_request', `${repeated} is repeated`);
  if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be "code"');
  const bad = (q.get('scope') ?? '').split(' ').find((s) => !client.scopes.includes(s));
  if (bad !== undefined) {
    return fail(
      'invalid_scope',
      bad === ''
        ? 'scope must be scope names separated by single spaces'
        : Object.hasOwn(SCOPES, bad)
          ? `scope "${bad}" is not enabled for this app`
          : `unknown scope "${bad}" (scope names are case-sensitive)`,
    );
  }
  const challenge = q.get('code_challenge');
  const method = q.get('code_challenge_method');
  // PKCE is mandatory for public clients and, when sent, checked for everyone; "plain" is never accepted.
  if (client.type === 'public' || challenge !== null || method !== null) {
    if (!challenge) return fail('invalid_request', 'code_challenge is required (PKCE)');
    if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!CHALLENGE_RE.test(challenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters');
  }
  return undefined;
}

/** `/oauth2/authorize`'s handlers, over the emulator's state. @param {State} state */
export function authorizeRoom(state) {
  /** GET: validate, then show the consent page. */
  function authorizePage(
    /** @type {IncomingMessage} */ req,
    /** @type {ServerResponse} */ res,
    /** @type {URL} */ url,
  ) {
    const q = url.searchParams;
    const client = q.getAll('client_id').length === 1 ? state.clients.get(q.get('client_id') ?? '') : undefined;
    // Until client and redirect_uri are verified, errors are shown here: redirecting would make us an open redirector.
    if (!client)
      return htmlError(res, 'invalid_client', 'This app is not registered with Aries (unknown or missing client_id).');
    record(client, req, res, 'authorize', Object.fromEntries(q));
    if (client.coop) res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.getAll('redirect_uri').length !== 1 || !client.redirectUris.includes(redirectUri)) {
      return htmlError(
        res,
        'redirect_uri_mismatch',
        'The redirect_uri is not registered for this app; it must match character for character.',
      );
    }
    const requestState = q.get('state');
    const problem = checkAuthorize(client, q);
    if (problem) return redirect(res, redirectUri, { ...problem, state: requestState });
    sweep(state.pending);
    const id = randomToken();
    const request = {
      clientId: client.clientId,
      redirectUri,
      scopes: [...new Set(q.get('scope')?.split(' '))],
      state: requestState,
      codeChallenge: q.get('code_challenge'),
      expiresAt: Date.now() + PENDING_MS,
    };
    state.pending.set(id, request);
    send(res, 200, HTML_HEADERS, consentPage(client, id, request));
  }

  /** POST: the person's decision, answered by a redirect to the app. */
  async function authorizeDecision(/** @type {IncomingMessage} */ req, /** @type {ServerResponse} */ res) {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const request = state.pending.get(form.request_id ?? '');
    const client = request && Date.now() < request.expiresAt ? state.clients.get(request.clientId) : undefined;
    if (!request || !client) {
      return htmlError(
        res,
        'invalid_request',
        'This sign-in request is unknown, expired or already answered. Start again from the app.',
      );
    }
    record(client, req, res, 'authorize', form);
    if (client.coop) res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (form.decision !== 'approve' && form.decision !== 'deny') {
      return htmlError(res, 'invalid_request', 'decision must be approve or deny');
    }
    state.pending.delete(form.request_id);
    if (form.decision === 'deny') {
      const denied = { error: 'access_denied', error_description: 'The user denied the request' };
      return redirect(res, request.redirectUri, { ...denied, state: request.state });
    }
    sweep(state.codes);
    const code = randomToken();
    state.codes.set(code, { ...request, expiresAt: Date.now() + client.codeLifetime * 1000 });
    redirect(res, request.redirectUri, { code, state: request.state });
  }

  return { '/oauth2/authorize': { GET: authorizePage, POST: authorizeDecision } };
}
