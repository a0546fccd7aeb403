// Builds the server entry (dist/server, from server/*.ts) when it is missing or older than its sources: `npm start` and
// the tests use the same entry as users, on a fresh clone too.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = [
  ...readdirSync(`${root}server`)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${root}server/${f}`),
  // What the server imports from the element's modules (shared, never copied).
  ...['token-response', 'token-client', 'errors'].map((name) => `${root}src/${name}.ts`),
  `${root}tsconfig.server.json`,
];
const entry = `${root}dist/server/index.js`;

/** Resolves once dist/server is current; compiles (a few seconds) only when a source changed. */
export function buildServer({ force = false } = {}) {
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  if (!force && sources.every((file) => statSync(file).mtimeMs <= built)) return;
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.server.json`], {
    stdio: 'inherit',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildServer({ force: process.argv.includes('--force') });
