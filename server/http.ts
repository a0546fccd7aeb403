/** Request and response plumbing of the backend: JSON answers, the session cookie, the capped UTF-8 body, the origin check. */
import { isLoopbackHost } from './options.js';

/** A JSON answer (or an empty one), never cached. */
export function answer(status: number, body?: object, headers: Record<string, string> = {}): Response {
  const all = new Headers({ 'Cache-Control': 'no-store', ...headers });
  if (body === undefined) return new Response(null, { status, headers: all });
  all.set('Content-Type', 'application/json');
  return new Response(JSON.stringify(body), { status, headers: all });
}

export const problem = (status: number, error: string, description: string, headers?: Record<string, string>) =>
  answer(status, { error, error_description: description }, headers);

/** 429 `rate_limited`, saying in whole seconds when to come back (both headers the element reads). */
export function rateLimited(retryAt: number, description: string): Response {
  const seconds = String(Math.max(1, Math.ceil((retryAt - Date.now()) / 1000)));
  return problem(429, 'rate_limited', description, { 'X-RateLimit-Reset': seconds, 'Retry-After': seconds });
}

/** The session cookie of one kind of request: its name, the header that sets it, the one that clears it. */
export interface SessionCookie {
  readonly name: string;
  set(id: string): string;
  readonly cleared: string;
}

const sessionCookie = (name: string, attributes: string): SessionCookie => ({
  name,
  set: (id) => `${name}=${id}; ${attributes}`,
  cleared: `${name}=; ${attributes}; Max-Age=0`,
});

/** `__Host-`: Secure, Path=/ and no Domain, so no sibling subdomain can set or shadow it. */
export const SECURE_COOKIE = sessionCookie('__Host-aries_session', 'Path=/; Secure; HttpOnly; SameSite=Strict');
/**
 * Plain `http:` on localhost, 127.0.0.1 or [::1] only (local development): WebKit (Safari) drops `Secure` cookies there,
 * and `__Host-` requires `Secure`, so this one has neither. Nothing but this machine can reach such an address.
 */
export const LOOPBACK_COOKIE = sessionCookie('aries_session', 'Path=/; HttpOnly; SameSite=Strict');

/** The cookie of a request, by the URL it was made to. */
export const cookieFor = (url: URL): SessionCookie =>
  url.protocol === 'http:' && isLoopbackHost(url.hostname) ? LOOPBACK_COOKIE : SECURE_COOKIE;

/** Our session id: 43 base64url characters. Only the exact cookie name is read; anything else is no session. */
const SESSION_ID = /^[\w-]{43}$/;
export function readSessionId(header: string | null, cookie: SessionCookie): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === cookie.name) {
      const value = part.slice(at + 1).trim();
      return SESSION_ID.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export class BodyTooLarge extends Error {}

/**
 * The whole body of a request (or of Aries' response), at most `limit` bytes, decoded as UTF-8 once (a character split
 * across chunks stays whole). Throws BodyTooLarge beyond the limit, TypeError when it is not UTF-8.
 */
export async function readText(message: Request | Response, limit: number): Promise<string> {
  const declared = Number(message.headers.get('Content-Length'));
  if (declared > limit) {
    await message.body?.cancel().catch(() => {});
    throw new BodyTooLarge();
  }
  if (!message.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (message.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

/** The request came from the backend's own origin or an allowed one (a browser always says which, by Origin or Sec-Fetch-Site). */
export function originAllowed(request: Request, ownOrigin: string, allowed: readonly string[]): boolean {
  const origin = request.headers.get('Origin');
  if (origin) return origin === ownOrigin || allowed.includes(origin);
  return request.headers.get('Sec-Fetch-Site') === 'same-origin';
}

/** CORS headers for an allowed cross-origin app: credentials, and the rate-limit header readable by its script. */
export function corsHeaders(request: Request, allowed: readonly string[]): Record<string, string> {
  const origin = request.headers.get('Origin');
  if (!origin || !allowed.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': 'X-RateLimit-Reset',
    Vary: 'Origin',
  };
}
