// Local emulator of the Aries OAuth2 provider (authorize, token) and its API (api.mjs), with a control API for tests and the demo.
import http from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { API_SETTINGS, ariesApi } from './api.mjs';
import {
  HttpError,
  isObject,
  isString,
  logWith,
  mediaType,
  oauthError,
  readBody,
  readJson,
  send,
  sendJson,
} from './http.mjs';

/** The ten Aries scopes, in the plain words the consent page shows. */
const SCOPES = {
  'user:information': 'See your profile and personal details',
  'account:information': 'See your account balances, positions and history',
  'order:execution': 'Place, change and cancel orders for you',
  'order:information': 'See your order history and status',
  'position:information': 'See your positions and holdings',
  'market:information': 'See live and historical market data',
  'calendar:information': 'See earnings and economic calendars',
  'options:information': 'See option chains and Greeks',
  'analytics:information': 'See ratings and market analytics',
  'market:supplemental': 'See news, company profiles, financials and filings',
};
const SCOPE_NAMES = Object.keys(SCOPES);
const WINDOW_MS = 60_000; // the rate limit window ("per minute")
const PENDING_MS = 10 * 60_000; // how long a consent page stays answerable
const CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/; // base64url of a SHA-256 digest, unpadded
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
const CORS_HEADERS = ['Access-Control-Allow-Origin', 'Access-Control-Expose-Headers'];
const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "frame-ancestors 'none'", // like any real consent page: no clickjacking frames
};

/**
 * @typedef {{ status?: number, body?: unknown, contentType?: string, headers?: Record<string, string>,
 *   error?: string, error_description?: string, hang?: boolean, drop?: boolean, noCors?: boolean, delayMs?: number }} Fault
 * @typedef {{ time: string, endpoint: 'authorize'|'token'|'profile'|'api', method: string, origin: string|null,
 *   contentType: string|null, hasCookie: boolean, body: unknown, status: number|null, path?: string,
 *   query?: Record<string, string>, hasAuthorization?: boolean, headers?: string[] }} LoggedRequest
 *   (API calls add `path`, `query`, `hasAuthorization` and the names of the `headers` that came.)
 * @typedef {{ clientId: string, type: 'public'|'confidential', secret?: string, name: string, redirectUris: string[],
 *   scopes: string[], consent: 'manual'|'approve'|'deny', coop: boolean, rateLimit: number,
 *   rateLimitReset: 'epoch'|'delay', tokenLifetime: number, codeLifetime: number,
 *   apiRateLimits: Record<string, number>,
 *   faults: { token: Fault[], profile: Fault[], api: Fault[] }, requests: LoggedRequest[], hits: number[],
 *   issued: string[] }} Client
 * @typedef {{ clientId: string, redirectUri: string, scopes: string[], state: string|null,
 *   codeChallenge: string|null, expiresAt: number, used?: boolean }} Grant
 */

const isLifetime = (/** @type {unknown} */ v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Client settings the registry and the control API accept, each with its check. */
const SETTINGS = /** @type {Record<string, (v: any) => boolean>} */ ({
  name: (v) => isString(v) && v.length > 0,
  redirectUris: (v) => Array.isArray(v) && v.length > 0 && v.every(isRedirectUri),
  scopes: (v) => Array.isArray(v) && v.every((s) => SCOPE_NAMES.includes(s)),
  consent: (v) => ['manual', 'approve', 'deny'].includes(v),
  coop: (v) => typeof v === 'boolean',
  rateLimit: (v) => Number.isInteger(v) && v > 0,
  rateLimitReset: (v) => v === 'epoch' || v === 'delay',
  tokenLifetime: isLifetime, // seconds; fractions let tests expire tokens quickly
  codeLifetime: isLifetime,
  ...API_SETTINGS, // apiRateLimits: { market_data?, trading?, user_management? } per minute
});

/** Fields of a scripted fault: a raw answer, an OAuth error, or hang / drop / noCors / delayMs. */
const FAULT_FIELDS = /** @type {Record<string, (v: any) => boolean>} */ ({
  status: (v) => Number.isInteger(v) && v >= 200 && v <= 599,
  body: () => true,
  contentType: isString,
  headers: (v) => isObject(v) && Object.values(v).every(isString),
  error: isString,
  error_description: isString,
  hang: (v) => typeof v === 'boolean',
  drop: (v) => typeof v === 'boolean',
  noCors: (v) => typeof v === 'boolean',
  delayMs: isLifetime,
});

/** @param {unknown} v */
function isRedirectUri(v) {
  if (!isString(v) || v.includes('#')) return false;
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

/** @param {Record<string, unknown>} input @param {Record<string, (v: any) => boolean>} table @returns {string|undefined} */
function findProblem(input, table) {
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(table, key)) return `unknown field "${key}"`;
    if (!table[key](value)) return `invalid value for "${key}"`;
  }
}

/** Builds a client from a registration (clients.json, the `clients` option or the control API). */
function makeClient(
  /** @type {Record<string, any>} */ { clientId, type = 'public', secret, secretEnv, devSecret, ...settings },
) {
  const problem =
    !isString(clientId) || !clientId
      ? 'clientId is required'
      : type !== 'public' && type !== 'confidential'
        ? 'type must be "public" or "confidential"'
        : (findProblem(settings, SETTINGS) ?? (settings.redirectUris ? undefined : 'redirectUris is required'));
  // The real secret never sits in clients.json: it comes from the environment, with a dev-only fallback.
  if (type === 'confidential') secret ??= (secretEnv && process.env[secretEnv]) || devSecret;
  if (problem || (type === 'confidential' && !isString(secret))) {
    throw new HttpError(
      400,
      'invalid_request',
      `client ${clientId}: ${problem ?? 'a confidential client needs a secret'}`,
    );
  }
  return /** @type {Client} */ (
    /** @type {unknown} */ ({
      // settings were checked above
      name: clientId,
      scopes: SCOPE_NAMES,
      consent: 'manual',
      coop: false,
      rateLimit: 10,
      rateLimitReset: 'epoch',
      tokenLifetime: 3600,
      codeLifetime: 60,
      apiRateLimits: {},
      ...settings,
      clientId,
      type,
      secret: type === 'confidential' ? secret : undefined,
      faults: { token: [], profile: [], api: [] },
      requests: [],
      hits: [],
      issued: [], // every access and refresh token issued to it, for tests that prove none reached a page
    })
  );
}

function loadClients() {
  return JSON.parse(readFileSync(new URL('./clients.json', import.meta.url), 'utf8')).clients;
}

const randomToken = () => randomBytes(32).toString('base64url');
const sha256 = (/** @type {string} */ s) => createHash('sha256').update(s).digest();
/** Compares digests, so neither the content nor the length of a secret leaks through timing. */
const safeEqual = (/** @type {string} */ a, /** @type {string} */ b) => timingSafeEqual(sha256(a), sha256(b));
const escapeHtml = (/** @type {string} */ s) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A small, readable page in the style of the consent screen. @param {string} title @param {string} main */
function page(title, main, script = '') {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f1f3f7; color: #1b1f29;
    font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { box-sizing: border-box; width: min(26rem, calc(100% - 2rem)); padding: 2rem; background: #fff;
    border-radius: 14px; box-shadow: 0 6px 30px rgb(0 0 0 / 0.08); }
  .brand { font-weight: 700; letter-spacing: 0.12em; color: #1e4fd8; }
  .muted { color: #5b6475; font-size: 0.9rem; }
  h1 { font-size: 1.2rem; margin: 0.75rem 0; }
  li { margin: 0.3rem 0; }
  .actions { display: flex; gap: 0.75rem; margin-top: 1.5rem; }
  button { flex: 1; font: inherit; padding: 0.6rem 1rem; border-radius: 8px; border: 1px solid #c9cfdb;
    background: #fff; color: inherit; cursor: pointer; }
  button[value="approve"] { background: #1e4fd8; border-color: #1e4fd8; color: #fff; }
  code { background: #f1f3f7; padding: 0.1rem 0.35rem; border-radius: 4px; }
</style></head>
<body><main><div class="brand">ARIES</div>
${main}
</main>${script}</body></html>`;
}

/** Errors that must not redirect (the redirect_uri is unverified): shown to the user instead. */
function htmlError(
  /** @type {http.ServerResponse} */ res,
  /** @type {string} */ error,
  /** @type {string} */ description,
) {
  const main = `<h1>This sign-in cannot continue</h1><p><code>${escapeHtml(error)}</code></p><p>${escapeHtml(description)}</p>`;
  send(res, 400, HTML_HEADERS, page('Sign-in error', main));
}

/** Answers a callback by redirecting to the app with query parameters (null values are left out). */
function redirect(
  /** @type {http.ServerResponse} */ res,
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
}

/** The consent screen. The form carries only a server-side request id, never the raw parameters. */
function consentPage(/** @type {Client} */ client, /** @type {string} */ id, /** @type {Grant} */ request) {
  const items = request.scopes.map((s) => `<li>${escapeHtml(SCOPES[/** @type {keyof SCOPES} */ (s)])}</li>`).join('');
  const main = `<p class="muted">Signed in as Ada Lovelace</p>
<h1>${escapeHtml(client.name)} wants to:</h1>
<ul>${items}</ul>
<form method="post" action="/oauth2/authorize">
  <input type="hidden" name="request_id" value="${id}">
  <div class="actions"><button name="decision" value="deny">Deny</button><button name="decision" value="approve">Approve</button></div>
</form>
<p class="muted">You will return to ${escapeHtml(new URL(request.redirectUri).host)}.
This is the local Aries emulator: no real account is used.</p>`;
  // Tests and the unattended demo answer on the user's behalf, still through the real form POST.
  const script =
    client.consent === 'manual'
      ? ''
      : `<script>document.querySelector('button[value="${client.consent}"]').click();</script>`;
  return page(`Sign in to ${client.name} with Aries`, main, script);
}

/**
 * Starts an emulator with its own state; several may run side by side.
 * @param {{ port?: number, host?: string, clients?: Record<string, any>[], log?: boolean }} [options]
 * @returns {Promise<{ origin: string, close(): Promise<void> }>}
 */
export async function startEmulator({ port = 4010, host = '127.0.0.1', clients = loadClients(), log = false } = {}) {
  const registry = /** @type {Map<string, Client>} */ (new Map());
  const pending = /** @type {Map<string, Grant>} */ (new Map()); // consent pages awaiting a decision
  const codes = /** @type {Map<string, Grant>} */ (new Map());
  const accessTokens = /** @type {Map<string, { clientId: string, scopes: string[], expiresAt: number }>} */ (
    new Map()
  );
  const refreshTokens = /** @type {Map<string, { clientId: string, scopes: string[], redirectUri: string }>} */ (
    new Map()
  );
  const timers = /** @type {Set<NodeJS.Timeout>} */ (new Set());

  function reset() {
    for (const map of [registry, pending, codes, accessTokens, refreshTokens]) map.clear();
    for (const registration of clients) {
      const client = makeClient(registration);
      registry.set(client.clientId, client);
    }
  }
  reset();

  /** Drops expired entries so long-running demos do not grow without bound. */
  function sweep(/** @type {Map<string, { expiresAt: number }>} */ map) {
    const now = Date.now();
    for (const [key, value] of map) if (value.expiresAt <= now) map.delete(key);
  }

  /** A timer that close() can cancel. */
  function sleep(/** @type {number} */ ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(undefined);
      }, ms);
      timers.add(timer);
    });
  }

  /** Appends a request to its client's log; `send` fills in the status. */
  function record(
    /** @type {Client} */ client,
    /** @type {http.IncomingMessage} */ req,
    /** @type {http.ServerResponse} */ res,
    /** @type {LoggedRequest['endpoint']} */ endpoint,
    /** @type {unknown} */ body,
    /** @type {Record<string, unknown>} */ extra = {},
  ) {
    const entry = {
      time: new Date().toISOString(),
      endpoint,
      method: req.method ?? '',
      origin: req.headers.origin ?? null,
      contentType: req.headers['content-type'] ?? null,
      hasCookie: 'cookie' in req.headers,
      body,
      ...extra,
      status: null,
    };
    client.requests.push(entry);
    logWith(res, entry);
  }

  /** Origins of all registered redirect URIs: the only pages allowed to read API responses. */
  function clientsForOrigin(/** @type {string|undefined} */ origin) {
    return [...registry.values()].filter((c) => c.redirectUris.some((uri) => new URL(uri).origin === origin));
  }

  /** Headers of every API response (token, the API, their preflights). */
  function apiHeaders(/** @type {http.IncomingMessage} */ req, /** @type {http.ServerResponse} */ res) {
    // One connection per request: browsers silently resend a request whose reused keep-alive socket
    // is dropped, which would hide the `drop` fault behind a second, successful request.
    res.setHeader('Connection', 'close');
    // CORS: only a registered app origin may read the response; others get no ACAO, so the browser refuses.
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (!origin || clientsForOrigin(origin).length === 0) return;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'X-RateLimit-Reset, Retry-After');
  }

  /** Preflights carry no client_id, so they are logged for every client registered on the calling origin. */
  const preflight =
    (/** @type {LoggedRequest['endpoint']} */ endpoint, /** @type {string} */ method, /** @type {string} */ headers) =>
    (/** @type {http.IncomingMessage} */ req, /** @type {http.ServerResponse} */ res) => {
      apiHeaders(req, res);
      for (const client of clientsForOrigin(req.headers.origin)) record(client, req, res, endpoint, null);
      send(res, 204, { 'Access-Control-Allow-Methods': method, 'Access-Control-Allow-Headers': headers });
    };

  /** Plays a scripted fault; true when it has answered (or deliberately never will). */
  async function playFault(
    /** @type {Fault} */ fault,
    /** @type {http.IncomingMessage} */ req,
    /** @type {http.ServerResponse} */ res,
  ) {
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.hang) return true; // the socket stays open until the caller gives up or close() ends it
    if (fault.drop) {
      req.socket.destroy(); // the caller sees a network error
      return true;
    }
    if (fault.noCors) for (const name of CORS_HEADERS) res.removeHeader(name);
    if (fault.error) {
      oauthError(
        res,
        fault.status ?? 400,
        fault.error,
        fault.error_description ?? 'fault scripted in the emulator',
        fault.headers,
      );
    } else if (fault.status) {
      const text = typeof fault.body === 'string';
      const body = fault.body === undefined ? '' : text ? String(fault.body) : JSON.stringify(fault.body);
      const type = fault.contentType ?? (text ? 'text/html; charset=utf-8' : 'application/json');
      send(res, fault.status, { 'Content-Type': type, ...fault.headers }, body);
    } else {
      return false; // delayMs / noCors: answer normally
    }
    return true;
  }

  /** Sliding 60 s window per client (Aries' "Authentication" category); true when it answered 429. */
  function rateLimited(/** @type {Client} */ client, /** @type {http.ServerResponse} */ res) {
    const now = Date.now();
    client.hits = client.hits.filter((t) => t > now - WINDOW_MS);
    if (client.hits.length < client.rateLimit) {
      client.hits.push(now);
      return false;
    }
    const resetAt = client.hits[0] + WINDOW_MS;
    const wait = Math.max(1, Math.ceil((resetAt - now) / 1000));
    oauthError(res, 429, 'rate_limited', `too many token requests; retry in ${wait} s`, {
      'Retry-After': String(wait),
      // Aries does not document the unit, so a client may be set to send a delay instead of an epoch time.
      'X-RateLimit-Reset': String(client.rateLimitReset === 'delay' ? wait : Math.ceil(resetAt / 1000)),
    });
    return true;
  }

  function issueTokens(
    /** @type {Client} */ client,
    /** @type {string[]} */ scopes,
    /** @type {string} */ redirectUri,
    /** @type {http.ServerResponse} */ res,
  ) {
    sweep(accessTokens);
    const accessToken = randomToken();
    const refreshToken = randomToken();
    accessTokens.set(accessToken, {
      clientId: client.clientId,
      scopes,
      expiresAt: Date.now() + client.tokenLifetime * 1000,
    });
    refreshTokens.set(refreshToken, { clientId: client.clientId, scopes, redirectUri });
    client.issued.push(accessToken, refreshToken);
    sendJson(res, 200, {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: Math.ceil(client.tokenLifetime),
      token_type: 'Bearer',
      scope: scopes.join(' '),
    });
  }

  const secretMatches = (/** @type {Client} */ client, /** @type {unknown} */ given) =>
    client.secret !== undefined && isString(given) && safeEqual(given, client.secret);

  /** grant_type "code": PKCE (public) or client_secret (confidential). */
  function grantCode(
    /** @type {Client} */ client,
    /** @type {Record<string, string>} */ body,
    /** @type {http.ServerResponse} */ res,
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
    const grant = codes.get(body.code);
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
    /** @type {http.ServerResponse} */ res,
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
    const grant = refreshTokens.get(body.refresh_token);
    if (!grant || grant.clientId !== client.clientId)
      return oauthError(res, 400, 'invalid_grant', 'unknown or rotated refresh_token');
    if (body.redirect_uri !== grant.redirectUri) {
      return oauthError(res, 400, 'redirect_uri_mismatch', 'redirect_uri differs from the one of the original flow');
    }
    refreshTokens.delete(body.refresh_token); // rotation: the old refresh token stops working
    issueTokens(client, grant.scopes, grant.redirectUri, res);
  }

  /** POST /v1/oauth2/token */
  async function token(/** @type {http.IncomingMessage} */ req, /** @type {http.ServerResponse} */ res) {
    apiHeaders(req, res);
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
    const client = isString(body?.client_id) ? registry.get(body.client_id) : undefined;
    if (client) record(client, req, res, 'token', body);
    const fault = client?.faults.token.shift();
    if (fault && (await playFault(fault, req, res))) return;
    if (client && rateLimited(client, res)) return;
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

  /** GET /oauth2/authorize: validate, then show the consent page. */
  function authorizePage(
    /** @type {http.IncomingMessage} */ req,
    /** @type {http.ServerResponse} */ res,
    /** @type {URL} */ url,
  ) {
    const q = url.searchParams;
    const client = q.getAll('client_id').length === 1 ? registry.get(q.get('client_id') ?? '') : undefined;
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
    const state = q.get('state');
    const problem = checkAuthorize(client, q);
    if (problem) return redirect(res, redirectUri, { ...problem, state });
    sweep(pending);
    const id = randomToken();
    const request = {
      clientId: client.clientId,
      redirectUri,
      scopes: [...new Set(q.get('scope')?.split(' '))],
      state,
      codeChallenge: q.get('code_challenge'),
      expiresAt: Date.now() + PENDING_MS,
    };
    pending.set(id, request);
    send(res, 200, HTML_HEADERS, consentPage(client, id, request));
  }

  /** POST /oauth2/authorize: the user's decision, answered by a redirect to the app. */
  async function authorizeDecision(/** @type {http.IncomingMessage} */ req, /** @type {http.ServerResponse} */ res) {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const request = pending.get(form.request_id ?? '');
    const client = request && Date.now() < request.expiresAt ? registry.get(request.clientId) : undefined;
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
    pending.delete(form.request_id);
    if (form.decision === 'deny') {
      const denied = { error: 'access_denied', error_description: 'The user denied the request' };
      return redirect(res, request.redirectUri, { ...denied, state: request.state });
    }
    sweep(codes);
    const code = randomToken();
    codes.set(code, { ...request, expiresAt: Date.now() + client.codeLifetime * 1000 });
    redirect(res, request.redirectUri, { code, state: request.state });
  }

  /**
   * /__emulator/…: set-up for tests and the demo; open to any origin.
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
   */
  async function control(
    /** @type {http.IncomingMessage} */ req,
    /** @type {http.ServerResponse} */ res,
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
    const client = idMatch ? registry.get(idMatch[1]) : undefined;
    if (idMatch && !client) return oauthError(res, 404, 'not_found', 'unknown client');
    const route = `${req.method} ${idMatch ? path.replace(idMatch[0], '/__emulator/clients/:id') : path}`;
    if (route === 'POST /__emulator/reset') {
      reset();
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'POST /__emulator/clients') {
      const { type = 'public', ...settings } = await readJson(req);
      const clientId = `test-${randomBytes(8).toString('hex')}`;
      const secret = type === 'confidential' ? randomToken() : undefined;
      registry.set(clientId, makeClient({ name: 'Test App', consent: 'approve', ...settings, type, clientId, secret }));
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
        ([endpoint, list]) =>
          !['token', 'profile', 'api'].includes(endpoint) ||
          !Array.isArray(list) ||
          !list.every((f) => isObject(f) && Object.keys(f).length > 0 && !findProblem(f, FAULT_FIELDS)),
      );
      if (problem) return oauthError(res, 400, 'invalid_request', `invalid faults for "${problem[0]}"`);
      for (const endpoint of /** @type {const} */ (['token', 'profile', 'api']))
        client.faults[endpoint].push(...(input[endpoint] ?? []));
      const queued = Object.fromEntries(
        Object.entries(client.faults).map(([endpoint, list]) => [endpoint, list.length]),
      );
      return sendJson(res, 200, { queued });
    }
    if (route === 'GET /__emulator/clients/:id/requests' && client) return sendJson(res, 200, client.requests);
    if (route === 'GET /__emulator/clients/:id/tokens' && client) return sendJson(res, 200, client.issued);
    oauthError(res, 404, 'not_found', 'no such control route');
  }

  /** Aries' API (api.mjs), through what it needs of this state: grants, clients, the request log, faults, CORS. */
  const api = ariesApi({
    grantOf(token) {
      const grant = accessTokens.get(token);
      const client = grant && registry.get(grant.clientId);
      return client && { client, scopes: grant.scopes, expiresAt: grant.expiresAt };
    },
    clientsForOrigin,
    record,
    playFault,
    apiHeaders,
  });

  const routes = /** @type {Record<string, Record<string, Function>>} */ ({
    '/oauth2/authorize': { GET: authorizePage, POST: authorizeDecision },
    '/v1/oauth2/token': { POST: token, OPTIONS: preflight('token', 'POST', 'content-type') },
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
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
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
