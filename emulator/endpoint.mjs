// What Aries' endpoints (token and API) do around their own answers: each request in its client's log, CORS for the
// registered apps' origins, preflights, scripted faults, and Aries' sliding one-minute rate limits.
import { isLifetime } from './clients.mjs';
import { isObject, isString, logWith, oauthError, send } from './http.mjs';
import { clientsForOrigin, sleep } from './state.mjs';

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('./state.mjs').State} State
 * @typedef {import('./clients.mjs').Client} Client
 * @typedef {import('./clients.mjs').Fault} Fault
 * @typedef {import('./clients.mjs').Endpoint} Endpoint
 */

const WINDOW_MS = 60_000; // the rate limits' window ("per minute")
const CORS_HEADERS = ['Access-Control-Allow-Origin', 'Access-Control-Expose-Headers'];

/** Fields of a scripted fault: a raw answer, an OAuth error, or hang / drop / noCors / delayMs. */
export const FAULT_FIELDS = /** @type {Record<string, (v: any) => boolean>} */ ({
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

/** Appends a request to its client's log; `send` fills in the status. */
export function record(
  /** @type {Client} */ client,
  /** @type {IncomingMessage} */ req,
  /** @type {ServerResponse} */ res,
  /** @type {Endpoint} */ endpoint,
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

/** Headers of every answer of Aries' endpoints (token, the API, their preflights). */
export function apiHeaders(
  /** @type {State} */ state,
  /** @type {IncomingMessage} */ req,
  /** @type {ServerResponse} */ res,
) {
  // One connection per request: browsers silently resend a request whose reused keep-alive socket
  // is dropped, which would hide the `drop` fault behind a second, successful request.
  res.setHeader('Connection', 'close');
  // CORS: only a registered app origin may read the response; others get no ACAO, so the browser refuses.
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (!origin || clientsForOrigin(state, origin).length === 0) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', 'X-RateLimit-Reset, Retry-After');
}

/** OPTIONS: preflights carry no client_id nor token, so they are logged for every client registered on the origin. */
export function preflight(
  /** @type {State} */ state,
  /** @type {IncomingMessage} */ req,
  /** @type {ServerResponse} */ res,
  /** @type {{ endpoint: Endpoint, methods: string, headers: string }} */ { endpoint, methods, headers },
) {
  apiHeaders(state, req, res);
  for (const client of clientsForOrigin(state, req.headers.origin)) record(client, req, res, endpoint, null);
  send(res, 204, { 'Access-Control-Allow-Methods': methods, 'Access-Control-Allow-Headers': headers });
}

/** Plays a scripted fault; true when it has answered (or deliberately never will). */
export async function playFault(
  /** @type {State} */ state,
  /** @type {Fault} */ fault,
  /** @type {IncomingMessage} */ req,
  /** @type {ServerResponse} */ res,
) {
  if (fault.delayMs) await sleep(state, fault.delayMs);
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

/**
 * Counts a request in a sliding 60 s window of `hits` (kept in place); past `limit`, answers 429 and returns true.
 * `resetForm`: Aries does not document X-RateLimit-Reset's unit, so a client may send a delay instead of an epoch time.
 * @param {ServerResponse} res @param {number[]} hits @param {number} limit @param {'epoch'|'delay'} resetForm
 * @param {string} what the requests counted, for the message ("token", "market data"…)
 */
export function rateLimited(res, hits, limit, resetForm, what) {
  const now = Date.now();
  let kept = 0;
  for (const t of hits) if (t > now - WINDOW_MS) hits[kept++] = t;
  hits.length = kept;
  if (hits.length < limit) {
    hits.push(now);
    return false;
  }
  const resetAt = hits[0] + WINDOW_MS;
  const wait = Math.max(1, Math.ceil((resetAt - now) / 1000));
  oauthError(res, 429, 'rate_limited', `too many ${what} requests; retry in ${wait} s`, {
    'Retry-After': String(wait),
    'X-RateLimit-Reset': String(resetForm === 'delay' ? wait : Math.ceil(resetAt / 1000)),
  });
  return true;
}
