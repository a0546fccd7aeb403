/** The bench's app origin: a tiny static server for the built CDN files and the bench pages, on its own port. */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Only these folders are served: the bench needs nothing else from the repository. */
const SERVED = ['/cdn/', '/bench/pages/'];

/**
 * Serves `root`'s `cdn/` and `bench/pages/` on 127.0.0.1 (any free port), with `no-store` so every page load fetches
 * and compiles the widget afresh, as a first visit does.
 * @param {{ root: string, port?: number }} options
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
export async function startStaticServer({ root, port = 0 }) {
  const base = resolve(root);
  const server = http.createServer(async (req, res) => {
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
        'Cache-Control': 'no-store',
      });
      res.end(body);
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
