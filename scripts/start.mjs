// `npm start`: the Aries emulator on its own origin and the demo app beside it, as a person would use them.
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { startEmulator } from '../emulator/server.mjs';

const emulatorPort = Number(process.env.ARIES_EMULATOR_PORT ?? 4010);
const demoPort = Number(process.env.PORT ?? 8080);

const emulator = await startEmulator({ port: emulatorPort, log: true });
const server = await startDevServer({
  config: {
    rootDir: new URL('..', import.meta.url).pathname,
    hostname: 'localhost',
    port: demoPort,
    nodeResolve: true,
    plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: 'tsconfig.json' })],
    clearTerminalOnReload: false,
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
