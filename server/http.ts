/** Request and response plumbing of the backend: JSON answers, the session cookie, the capped UTF-8 body, the origin check. */

export const COOKIE = '__Host-aries_session';

/** A JSON answer (or an empty one), never cached. */
export function answer(status: number, body?: object, headers: Record<string, string> = {}): Response {
  const all = new Headers({ 'Cache-Control': 'no-store', ...headers });
  if (body === undefined) return new Response(null, { status, headers: all });
  all.set('Content-Type', 'application/json');
  return new Response(JSON.stringify(body), { status, headers: all });
}

export const problem = (status: number, error: string, description: string, headers?: Record<string, string>) =>
  answer(status, { error, error_description: description }, headers);

/** `__Host-`: Secure, Path=/ and no Domain, so no sibling subdomain can set or shadow it. */
export const sessionCookie = (id: string) => `${COOKIE}=${id}; Path=/; Secure; HttpOnly; SameSite=Strict`;
export const clearedCookie = `${COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`;

/** Our session id: 43 base64url characters. Only the exact cookie name is read; anything else is no session. */
const SESSION_ID = /^[\w-]{43}$/;
export function readSessionId(header: string | null): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === COOKIE) {
      const value = part.slice(at + 1).trim();
      return SESSION_ID.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export class BodyTooLarge extends Error {}

/** The whole body, at most `limit` bytes, decoded as UTF-8 once (a character split across chunks stays whole). */
export async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('Content-Length'));
  if (declared > limit) throw new BodyTooLarge();
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
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
