// `npm start`: the Aries emulator on its own origin and the demo app beside it, as a person would use them.
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { readFileSync } from 'node:fs';
import { startEmulator } from '../emulator/server.mjs';
import { buildServer } from './build-server.mjs';

const emulatorPort = Number(process.env.ARIES_EMULATOR_PORT ?? 4010);
const demoPort = Number(process.env.PORT ?? 8080);

const emulator = await startEmulator({ port: emulatorPort, log: true });

// The demo's backend (BFF) at /auth, for the confidential client `demo-backend`: the package's own server entry, built
// first when it is missing or older than server/*.ts. Its secret comes from the environment; without one, the emulator's
// dev-only secret for that client is used (never a real secret in source). Sessions live in memory, or in Redis with
// REDIS_URL set.
buildServer();
const { createBackend, memoryStore, redisStore } = await import('../dist/server/index.js');
const { clients } = JSON.parse(readFileSync(new URL('../emulator/clients.json', import.meta.url), 'utf8'));
const demoBackend = clients.find((c) => c.clientId === 'demo-backend');
const backend = createBackend({
  basePath: '/auth',
  tokenUrl: `${emulator.origin}/v1/oauth2/token`,
  clientId: demoBackend.clientId,
  clientSecret: process.env.ARIES_CLIENT_SECRET || demoBackend.devSecret,
  store: process.env.REDIS_URL ? redisStore({ url: process.env.REDIS_URL }) : memoryStore(),
});
const server = await startDevServer({
  config: {
    rootDir: new URL('..', import.meta.url).pathname,
    hostname: 'localhost',
    port: demoPort,
    nodeResolve: true,
    plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: 'tsconfig.json' })],
    clearTerminalOnReload: false,
    middleware: [
      async (ctx, next) => {
        if (!ctx.path.startsWith('/auth/')) return next();
        ctx.respond = false;
        await backend.middleware(ctx.req, ctx.res);
      },
    ],
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});

console.log(`\nAries emulator:  ${emulator.origin}`);
console.log(`Demo:            http://localhost:${demoPort}/demo/   <- open this\n`);

const stop = async () => {
  await server.stop();
  await emulator.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
