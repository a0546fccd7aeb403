// The emulator's HTTP plumbing, shared by its rooms: JSON answers, OAuth errors, capped bodies, and the request
// log's status filled in when an answer is sent.
/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('node:http').OutgoingHttpHeaders} OutgoingHttpHeaders
 */

export const MAX_BODY = 64 * 1024;

/** An error answered as OAuth JSON `{ error, error_description }`. */
export class HttpError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const isObject = (/** @type {unknown} */ v) => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isString = (/** @type {unknown} */ v) => typeof v === 'string';
export const mediaType = (/** @type {IncomingMessage} */ req) =>
  (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/** Log entries describing each response, so `send` can fill in their status. */
const logged = /** @type {WeakMap<ServerResponse, { status: number|null }[]>} */ (new WeakMap());

/** Ties a request-log entry to the response that will answer it. @param {ServerResponse} res @param {{ status: number|null }} entry */
export function logWith(res, entry) {
  logged.set(res, [...(logged.get(res) ?? []), entry]);
}

/** @param {ServerResponse} res @param {number} status @param {OutgoingHttpHeaders} headers @param {string} [body] */
export function send(res, status, headers, body = '') {
  for (const entry of logged.get(res) ?? []) entry.status = status;
  res.writeHead(status, headers).end(body);
}

/** @param {ServerResponse} res @param {number} status @param {unknown} value @param {OutgoingHttpHeaders} [headers] */
export function sendJson(res, status, value, headers = {}) {
  send(
    res,
    status,
    { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
    JSON.stringify(value),
  );
}

/**
 * @param {ServerResponse} res @param {number} status @param {string} error @param {string} description
 * @param {OutgoingHttpHeaders} [headers]
 */
export function oauthError(res, status, error, description, headers) {
  sendJson(res, status, { error, error_description: description }, headers);
}

/** Reads a body as text; more than MAX_BODY bytes is refused. @param {IncomingMessage} req @returns {Promise<string>} */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
      else reject(new HttpError(413, 'invalid_request', `the body is larger than ${MAX_BODY} bytes`));
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** @param {IncomingMessage} req */
export async function readJson(req) {
  const text = await readBody(req);
  let value;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new HttpError(400, 'invalid_request', 'the body is not valid JSON');
  }
  if (!isObject(value)) throw new HttpError(400, 'invalid_request', 'the body must be a JSON object');
  return value;
}
