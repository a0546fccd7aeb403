/** The Node mount of the fetch handler: node:http / Express / Connect requests in, Web Requests through, answers written back. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { RequestInfo } from './backend.js';
import { problem } from './http.js';

export type Middleware = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/** The request's path: origin-form as it came (`//` stays a path), the path of an absolute-form target, or undefined. */
function pathOf(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

async function send(res: ServerResponse, response: Response) {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('Set-Cookie', cookies);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

export function nodeMiddleware(
  prefix: string,
  handle: (request: Request, info: RequestInfo) => Promise<Response>,
): Middleware {
  return async (req, res, next) => {
    const path = pathOf(req.url ?? '');
    // Outside basePath the request is the app's: whatever its own handlers throw is theirs (and their framework's).
    if (path !== undefined && !path.startsWith(prefix) && next) return next();
    try {
      if (path !== undefined && !path.startsWith(prefix))
        return await send(res, problem(404, 'not_found', 'no such route'));
      if (path === undefined) return await send(res, problem(400, 'invalid_request', 'unreadable request target'));
      const host = /^[\w.:[\]-]+$/.test(req.headers.host ?? '') ? req.headers.host : 'localhost';
      const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
      }
      const method = req.method ?? 'GET';
      const hasBody = method !== 'GET' && method !== 'HEAD';
      // A body parser mounted first (express.json()) has read the stream: its result is what is left of the body.
      const parsed = (req as { body?: unknown }).body;
      const body = req.readableEnded && parsed !== undefined ? JSON.stringify(parsed) : Readable.toWeb(req);
      // Concatenated, never parsed: `new URL('//x', base)` would read `//x` as a host.
      const request = new Request(`${scheme}://${host}${path}`, {
        method,
        headers,
        body: hasBody ? (body as ReadableStream<Uint8Array> | string) : undefined,
        duplex: 'half',
      });
      await send(res, await handle(request, { clientIp: req.socket.remoteAddress }));
    } catch {
      // Headers that the Request constructor refuses, a closed socket: still one JSON answer when possible, never a throw.
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: 'unreadable request' }));
    }
  };
}
