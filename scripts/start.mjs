// `npm start`: the Aries emulator on its own origin and the demo app beside it, as a person would use them.
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { startEmulator } from '../emulator/server.mjs';
import { buildServer } from './build-server.mjs';

const DEMO_PORT = 8080;
const EMULATOR_PORT = 4010;
const demoPort = Number(process.env.PORT ?? DEMO_PORT);
const emulatorPort = Number(process.env.ARIES_EMULATOR_PORT ?? EMULATOR_PORT);

/** A busy port ends `npm start` with one line naming it and the variable that moves it, and nothing left listening. */
async function listening(start, port, variable, cleanUp = async () => {}) {
  try {
    return await start();
  } catch (error) {
    await cleanUp();
    if (error?.code !== 'EADDRINUSE' && error?.code !== 'EACCES') throw error;
    const why = error.code === 'EADDRINUSE' ? 'is in use' : 'may not be used';
    console.error(`npm start: port ${port} ${why}; choose another with ${variable}=<port> npm start`);
    process.exit(1);
  }
}

/**
 * What the dev server may serve: the demo, the element's source and built files, the emulator's control client (the
 * gallery sets its clients up with it), and what the demo imports from node_modules (scripts and styles). Anything else
 * of the repository (/.git, /emulator/clients.json, …) is a 404.
 */
const servable =
  /^\/(demo\/|src\/[\w/.-]+\.[jt]s$|dist\/|cdn\/|emulator\/control-client\.mjs$|node_modules\/[^?#]+\.(m?js|css)$)/;
const onlyTheDemo = async (ctx, next) => {
  if (ctx.path === '/') return ctx.redirect('/demo/');
  if (!servable.test(ctx.path) || ctx.path.includes('..')) {
    ctx.status = 404;
    return;
  }
  await next();
};

// The emulator's clients; their redirect URIs are rewritten to the demo's port once it is known.
const { clients } = JSON.parse(readFileSync(new URL('../emulator/clients.json', import.meta.url), 'utf8'));

/**
 * The demo's redirect-uri pages: Aries' code arrives in their address, so none of their requests may carry it in a
 * `Referer` (`Referrer-Policy: no-referrer`, as the README's callback page recommends). They load only the demo's own
 * files.
 */
const redirectPages = new Set(clients.flatMap((client) => client.redirectUris.map((uri) => new URL(uri).pathname)));
const noReferrerOnRedirectPages = async (ctx, next) => {
  await next();
  if (redirectPages.has(ctx.path)) ctx.set('Referrer-Policy', 'no-referrer');
};

/** The demo's pages name the emulator and the demo at their default ports; they follow the ports in use. */
let emulatorOrigin = `http://127.0.0.1:${EMULATOR_PORT}`;
const emulatorInDemo = {
  name: 'emulator-origin-in-demo',
  transform(context) {
    if (context.path.startsWith('/demo/') && typeof context.body === 'string')
      return context.body.replaceAll(`http://127.0.0.1:${EMULATOR_PORT}`, emulatorOrigin);
  },
};

// The demo's backend (BFF, with the API proxy) at /auth: the package's own server entry, built first when it is missing
// or older than server/*.ts, and created once the emulator's origin is known. Sessions live in memory, or in Redis with
// REDIS_URL set.
buildServer();
const { createBackend, memoryStore, redisStore } = await import('../dist/server/index.js');
let backend;
const backendMiddleware = (ctx, next) => {
  if (!backend || (ctx.path !== '/auth' && !ctx.path.startsWith('/auth/'))) return next();
  ctx.respond = false;
  return backend.middleware(ctx.req, ctx.res);
};

/** Listens on `port` (as the dev server will: every interface) and lets go: the dev server reports a busy port only as a stack trace. */
const probe = (port) =>
  new Promise((resolve, reject) => {
    const probing = createServer().once('error', reject);
    probing.listen(port, () => probing.close(resolve));
  });

const server = await listening(
  async () => {
    if (demoPort) await probe(demoPort);
    return startDevServer({
      config: {
        rootDir: new URL('..', import.meta.url).pathname,
        hostname: 'localhost',
        port: demoPort,
        // lit's production build: the demo shows what users get (no "Lit is in dev mode").
        nodeResolve: { exportConditions: ['production'] },
        plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: 'tsconfig.json' }), emulatorInDemo],
        clearTerminalOnReload: false,
        middleware: [backendMiddleware, onlyTheDemo, noReferrerOnRedirectPages],
      },
      readCliArgs: false,
      readFileConfig: false,
      logStartMessage: false,
    });
  },
  demoPort,
  'PORT',
);
const demoPortInUse = server.server.address().port;

// The emulator's clients, with the demo's redirect URIs on the port the demo got.
for (const client of clients) {
  client.redirectUris = client.redirectUris.map((uri) => uri.replace(`:${DEMO_PORT}/`, `:${demoPortInUse}/`));
}
const emulator = await listening(
  () => startEmulator({ port: emulatorPort, clients, log: true }),
  emulatorPort,
  'ARIES_EMULATOR_PORT',
  () => server.stop(),
);
emulatorOrigin = emulator.origin;

// The backend for the confidential client `demo-backend`. Its secret comes from the environment; without one, the
// emulator's dev-only secret for that client is used (never a real secret in source).
const demoBackend = clients.find((c) => c.clientId === 'demo-backend');
backend = createBackend({
  basePath: '/auth',
  tokenUrl: `${emulator.origin}/v1/oauth2/token`,
  clientId: demoBackend.clientId,
  clientSecret: process.env.ARIES_CLIENT_SECRET || demoBackend.devSecret,
  store: process.env.REDIS_URL ? redisStore({ url: process.env.REDIS_URL }) : memoryStore(),
  // The full BFF: the tokens stay here, and the page calls the emulator's API through /auth/api/….
  apiProxy: { apiUrl: emulator.origin },
});

console.log(`\nAries emulator:  ${emulator.origin}`);
console.log(`Demo:            http://localhost:${demoPortInUse}/demo/   <- open this\n`);

const stop = async () => {
  await server.stop();
  await emulator.close();
  await backend.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
