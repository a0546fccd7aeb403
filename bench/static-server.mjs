/** The bench's app origin: a tiny static server for the built CDN files and the bench pages, on its own port. */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Only these folders are served: the bench needs nothing else from the repository. */
const SERVED = ['/cdn/', '/bench/pages/'];

/** What a pinned CDN URL (a version in the path) is served with: cached for good, never revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * @typedef {{ at: number, sentAt: number, method: string, path: string, bytes: number, gzip: number }} ServedRequest
 * `at` is epoch ms when the request arrived, `sentAt` when its response left (after the injected latency); `bytes` the
 * body sent, `gzip` its size gzipped (-9), what a CDN would send.
 */

/**
 * Serves `root`'s `cdn/` and `bench/pages/` on 127.0.0.1 (any free port), with `no-store` so every page load fetches
 * and compiles the widget afresh, as a first visit does. With `cdnCache: 'immutable'`, the `cdn/` files are cacheable
 * as a pinned CDN URL serves them. `delay()` holds each response back that many ms (the bench's injected latency), and
 * `log` receives every request.
 * @param {{ root: string, port?: number, cdnCache?: 'no-store' | 'immutable', delay?: () => number, log?: ServedRequest[] }} options
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
export async function startStaticServer({ root, port = 0, cdnCache = 'no-store', delay = () => 0, log }) {
  const base = resolve(root);
  /** @type {Map<string, number>} */
  const gzipped = new Map();
  const server = http.createServer(async (req, res) => {
    const at = Date.now();
    const wait = delay();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://bench.invalid').pathname);
    const file = resolve(join(base, path));
    // Resolving first and checking the prefix afterwards keeps `..` from escaping the served folders.
    const allowed = SERVED.some((prefix) => file.startsWith(join(base, prefix).replace(/[\\/]$/, '') + sep));
    if (req.method !== 'GET' || !allowed) {
      res
        .writeHead(req.method === 'GET' ? 404 : 405, { 'Content-Type': 'text/plain' })
        .end('not served by the bench\n');
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': path.startsWith('/cdn/') && cdnCache === 'immutable' ? IMMUTABLE : 'no-store',
      });
      const sentAt = Date.now();
      res.end(body);
      if (log) {
        if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(body, { level: 9 }).length);
        const gzip = /** @type {number} */ (gzipped.get(file));
        log.push({ at, sentAt, method: req.method, path, bytes: body.length, gzip });
      }
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(undefined));
  });
  return {
    port: /** @type {import('node:net').AddressInfo} */ (server.address()).port,
    close: () =>
      new Promise((ok) => {
        if (!server.listening) return ok();
        server.close(() => ok());
        server.closeAllConnections(); // keep-alive sockets of the browser would otherwise hold close() open
      }),
  };
}
