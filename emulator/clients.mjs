// The emulator's registered apps: Aries' scopes, the settings a client may have (each with its check), and a client
// built from a registration (clients.json, the `clients` option or the control API).
import { readFileSync } from 'node:fs';
import { API_SETTINGS } from './api-routes.mjs';
import { HttpError, isString } from './http.mjs';

/** The ten Aries scopes, in the plain words the consent page shows. */
export const SCOPES = /** @type {Record<string, string>} */ ({
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
});
const SCOPE_NAMES = Object.keys(SCOPES);

/**
 * @typedef {{ status?: number, body?: unknown, contentType?: string, headers?: Record<string, string>,
 *   error?: string, error_description?: string, hang?: boolean, drop?: boolean, noCors?: boolean, delayMs?: number }} Fault
 * @typedef {'authorize'|'token'|'profile'|'api'} Endpoint
 * @typedef {{ time: string, endpoint: Endpoint, method: string, origin: string|null, contentType: string|null,
 *   hasCookie: boolean, body: unknown, status: number|null, path?: string, query?: Record<string, string>,
 *   hasAuthorization?: boolean, headers?: string[] }} LoggedRequest
 *   (API calls add `path`, `query`, `hasAuthorization` and the names of the `headers` that came.)
 * @typedef {{ clientId: string, type: 'public'|'confidential', secret?: string, name: string, redirectUris: string[],
 *   scopes: string[], consent: 'manual'|'approve'|'deny', coop: boolean, rateLimit: number,
 *   rateLimitReset: 'epoch'|'delay', tokenLifetime: number, codeLifetime: number,
 *   apiRateLimits: Partial<Record<import('./api-routes.mjs').Category, number>>,
 *   faults: { token: Fault[], profile: Fault[], api: Fault[] }, requests: LoggedRequest[], hits: number[],
 *   issued: string[] }} Client
 */

export const isLifetime = (/** @type {unknown} */ v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Client settings the registry and the control API accept, each with its check. */
export const SETTINGS = /** @type {Record<string, (v: any) => boolean>} */ ({
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

/** @param {unknown} v */
function isRedirectUri(v) {
  if (!isString(v) || v.includes('#')) return false;
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

/**
 * What is wrong with `input` by `table` (a field it lacks, or a value its check refuses), if anything.
 * @param {Record<string, unknown>} input @param {Record<string, (v: any) => boolean>} table @returns {string|undefined}
 */
export function findProblem(input, table) {
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(table, key)) return `unknown field "${key}"`;
    if (!table[key](value)) return `invalid value for "${key}"`;
  }
  return undefined;
}

/** Builds a client from a registration; a registration that is wrong is a 400 naming what. */
export function makeClient(
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

/** The registrations of clients.json (the demo's apps). @returns {Record<string, any>[]} */
export function loadClients() {
  return JSON.parse(readFileSync(new URL('./clients.json', import.meta.url), 'utf8')).clients;
}
