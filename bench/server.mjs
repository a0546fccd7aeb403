/** The bench's server part: aries-login/server's code exchanges/s and refreshes/s (memory store, Redis), memory per session, and memory after 100k abandoned sign-ins. */
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { emulatorControl } from '../emulator/control-client.mjs';
import { buildServer } from '../scripts/build-server.mjs';
import { redisServerPath, startRedis } from '../scripts/redis-server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REDIRECT = 'http://localhost:9999/app/callback';
/** The PKCE verifier of every bench sign-in (the backend requires one). */
const VERIFIER = 'bench-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
/** The bench measures the backend's own speed: Aries' quota and the per-client limit are set out of its way. */
const UNLIMITED = { ariesQuota: { points: 100_000_000 }, tokenRateLimit: { points: 10_000_000 } };
/** The bar a throughput figure must meet: 99 % of requests answered within it. */
const P99_LIMIT_MS = 100;
const START = '<!-- bench-server:start -->';
const END = '<!-- bench-server:end -->';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
/** The heap after collection, finalizers included (undici frees unread bodies through them). */
const heapAfterGc = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
};

/** The emulator in a process of its own, so that it does not share the backend's event loop. */
async function startEmulatorProcess() {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { startEmulator } = await import('./emulator/server.mjs'); const e = await startEmulator({ port: 0 }); console.log(e.origin);",
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const origin = await new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', () => reject(new Error('the emulator exited')));
  });
  return {
    origin,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        process.kill(child.pid, 'SIGTERM');
      }),
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
/** One POST with node:http (keep-alive), timed; resolves the status, the JSON and the latency in ms. */
function request(url, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, text, ms: performance.now() - started }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `count` jobs `concurrency` at a time; resolves their latencies and the wall time. */
async function run(count, concurrency, job) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const { ms, status } = await job(i);
        if (status !== 200) throw new Error(`request ${i}: status ${status}`);
        latencies.push(ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    perSecond: Math.round(count / seconds),
    p50: +latencies[Math.floor(count * 0.5)].toFixed(1),
    p99: +latencies[Math.min(count - 1, Math.floor(count * 0.99))].toFixed(1),
  };
}

/** The highest rate among the concurrency levels whose p99 stays under the bar (null when none does). */
const best = (levels) =>
  levels.filter((l) => l.p99 < P99_LIMIT_MS).sort((a, b) => b.perSecond - a.perSecond)[0] ?? null;
/** When no level meets the bar (a loaded machine): the one with the lowest p99, shown as such. */
const fastest = (levels) => [...levels].sort((a, b) => a.p99 - b.p99)[0];

async function throughput({ api, aries, store, count, levels, progress, label }) {
  const control = emulatorControl(aries);
  const client = await control.createClient({
    type: 'confidential',
    redirectUris: [REDIRECT],
    rateLimit: 10_000_000,
    codeLifetime: 600,
    tokenLifetime: 1,
  });
  /** A fresh code, by the authorize step a browser would take (consent approved). */
  const authorize = () =>
    control.authorizeCode({ clientId: client.clientId, redirectUri: REDIRECT, codeVerifier: VERIFIER });
  const backend = api.createBackend({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    tokenUrl: `${aries}/v1/oauth2/token`,
    store,
    ...UNLIMITED,
  });
  const server = http.createServer((req, res) => backend.middleware(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const headers = { Origin: origin, 'X-Requested-With': 'aries-login' };
  const exchanges = [];
  let cookies = [];
  for (const concurrency of levels) {
    progress(`  ${label}: ${count} code exchanges at concurrency ${concurrency}`);
    const codes = [];
    for (let i = 0; i < count; i++) codes.push(await authorize());
    const made = [];
    exchanges.push(
      await run(count, concurrency, async (i) => {
        const answer = await request(`${origin}/auth/token`, {
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({ code: codes[i], redirect_uri: REDIRECT, code_verifier: VERIFIER }),
        });
        made.push(String(answer.headers['set-cookie']).split(';')[0]);
        return answer;
      }),
    );
    cookies = made;
  }
  const refreshes = [];
  for (const concurrency of levels) {
    // Aries' tokens live 1 s: past half of that, each refresh is a real refresh grant at Aries.
    await new Promise((resolve) => setTimeout(resolve, 700));
    progress(`  ${label}: ${cookies.length} refreshes at concurrency ${concurrency}`);
    refreshes.push(
      await run(cookies.length, concurrency, (i) =>
        request(`${origin}/auth/refresh`, { headers: { ...headers, Cookie: cookies[i] } }),
      ),
    );
  }
  await new Promise((resolve) => server.close(resolve));
  await backend.close();
  return {
    exchanges: { levels: exchanges, best: best(exchanges) },
    refreshes: { levels: refreshes, best: best(refreshes) },
  };
}

/** Sign-ins straight into backend.fetch, with Aries answered in-process: only the backend's own memory is measured. */
async function signInsInProcess(api, store, count) {
  let n = 0;
  const fakeAries = async () =>
    Response.json({
      access_token: `at-${++n}-${'x'.repeat(40)}`,
      refresh_token: `rt-${n}-${'y'.repeat(40)}`,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'user:information',
    });
  const backend = api.createBackend({
    clientId: 'bench',
    clientSecret: 'bench-secret',
    store,
    fetch: fakeAries,
    ...UNLIMITED,
  });
  const body = JSON.stringify({ code: 'c'.repeat(43), redirect_uri: REDIRECT, code_verifier: VERIFIER });
  for (let i = 0; i < count; i++) {
    const response = await backend.fetch(
      new Request('http://app.example/auth/token', {
        method: 'POST',
        headers: {
          Origin: 'http://app.example',
          'X-Requested-With': 'aries-login',
          'Content-Type': 'application/json',
        },
        body,
      }),
      { clientIp: '10.0.0.1' },
    );
    if (response.status !== 200) throw new Error(`sign-in ${i}: ${response.status}`);
    await response.arrayBuffer();
  }
  return backend;
}

export async function measureServer({ quick, progress }) {
  buildServer();
  const api = await import('../dist/server/index.js');
  const count = quick ? 50 : 400;
  const levels = quick ? [1, 8] : [1, 4, 16, 32, 64];
  progress('server: starting the emulator (own process)' + (redisServerPath ? ' and redis-server' : ''));
  const emulator = await startEmulatorProcess();
  const redis = redisServerPath ? await startRedis() : undefined;
  try {
    const memory = await throughput({
      api,
      aries: emulator.origin,
      store: api.memoryStore(),
      count,
      levels,
      progress,
      label: 'memory store',
    });
    const redisFigures = redis
      ? await throughput({
          api,
          aries: emulator.origin,
          store: api.redisStore({ url: redis.url }),
          count,
          levels,
          progress,
          label: 'Redis store',
        })
      : null;

    const perSessionCount = quick ? 2_000 : 10_000;
    progress(`  memory per session: ${perSessionCount} sign-ins in one memory store`);
    // The heap with the sessions held, less the heap once that backend is closed and dropped: a baseline read before
    // the sign-ins would also count whatever the load runs above left for the collector (it came out negative).
    let kept = await signInsInProcess(api, api.memoryStore({ maxSessions: perSessionCount }), perSessionCount);
    const withSessions = await heapAfterGc();
    await kept.close();
    kept = undefined;
    const perSession = Math.round((withSessions - (await heapAfterGc())) / perSessionCount);

    // Quick mode (CI) floods twice the default cap: enough to show the bound; a full run does the 100k.
    const abandoned = quick ? 20_000 : 100_000;
    progress(`  ${abandoned} abandoned sign-ins, default maxSessions (${api.DEFAULT_MAX_SESSIONS})`);
    const baseline = await heapAfterGc();
    const flooded = await signInsInProcess(api, api.memoryStore(), abandoned);
    const afterFlood = await heapAfterGc();
    await flooded.close();
    return {
      p99LimitMs: P99_LIMIT_MS,
      loadAverage: +os.loadavg()[0].toFixed(1),
      requestsPerLevel: count,
      memory,
      redis: redisFigures,
      memoryPerSessionBytes: perSession,
      abandoned: {
        signIns: abandoned,
        maxSessions: api.DEFAULT_MAX_SESSIONS,
        heapGrowthBytes: afterFlood - baseline,
        boundBytes: api.DEFAULT_MAX_SESSIONS * perSession,
      },
    };
  } finally {
    await redis?.stop();
    await emulator.stop();
    agent.destroy();
  }
}

const rate = (figure) => {
  const level = figure.best ?? fastest(figure.levels);
  const line = `${level.perSecond}/s (p99 ${level.p99} ms at ${level.concurrency} concurrent)`;
  return figure.best ? line : `no level under the bar; best p99: ${line}`;
};
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The README's server table, between its own markers. */
export function serverReadmeBlock(date, server) {
  const { memory, redis, abandoned } = server;
  return [
    `Measured by \`npm run bench\` on ${date.slice(0, 10)}, on the same machine: the backend and the load in one Node process,`,
    `the Aries emulator in another, Redis local (load average ${server.loadAverage} on ${os.cpus().length} cores during the run). Rates are the`,
    `best over several concurrency levels whose p99 stays under ${server.p99LimitMs} ms; each refresh is a real refresh grant at the emulator.`,
    '',
    '| what | memory store | Redis store |',
    '|---|---|---|',
    `| code exchanges (\`/token\`) | ${rate(memory.exchanges)} | ${redis ? rate(redis.exchanges) : 'not measured (no redis-server)'} |`,
    `| refreshes (\`/refresh\`) | ${rate(memory.refreshes)} | ${redis ? rate(redis.refreshes) : 'not measured (no redis-server)'} |`,
    `| memory per session | ${int(server.memoryPerSessionBytes)} B | in Redis, not in the process |`,
    `| ${int(abandoned.signIns)} abandoned sign-ins, default \`maxSessions\` (${int(abandoned.maxSessions)}) | heap +${mb(abandoned.heapGrowthBytes)} (bounded: ${int(abandoned.maxSessions)} sessions kept) | |`,
  ].join('\n');
}
const int = (n) => Math.round(n).toLocaleString('en-US');

export async function updateServerReadme(path, block) {
  const text = await readFile(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0) return false;
  await writeFile(path, `${text.slice(0, start + START.length)}\n${block}\n${text.slice(end)}`);
  return true;
}

/** `--check`: the memory after the flood stays within twice the bound the cap promises. */
export const serverFailures = (server) =>
  server.abandoned.heapGrowthBytes > 2 * server.abandoned.boundBytes + 16 * 1024 * 1024
    ? [`memory after ${server.abandoned.signIns} abandoned sign-ins grew ${mb(server.abandoned.heapGrowthBytes)}`]
    : [];

// `node bench/server.mjs [--quick]`: the server part alone; a full run also updates bench/results.json and the README.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const quick = process.argv.includes('--quick');
  const figures = await measureServer({
    quick,
    progress: (m) => console.error(`[server bench ${((performance.now() - started) / 1000).toFixed(0)} s] ${m}`),
  });
  const date = new Date().toISOString();
  console.log(serverReadmeBlock(date, figures));
  if (!quick) {
    const resultsPath = fileURLToPath(new URL('results.json', import.meta.url));
    const results = JSON.parse(await readFile(resultsPath, 'utf8'));
    await writeFile(resultsPath, `${JSON.stringify({ ...results, server: { date, ...figures } }, null, 2)}\n`);
    await updateServerReadme(fileURLToPath(new URL('../README.md', import.meta.url)), serverReadmeBlock(date, figures));
  }
  process.exit(0);
}
