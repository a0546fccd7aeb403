/** `npm run bench`: measures the widget's size, speed, leaks and requests in headless Chromium, and checks the budgets. */
import os from 'node:os';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { emulatorControl } from '../emulator/control-client.mjs';
import { startEmulator } from '../emulator/server.mjs';
import { checkFailures, leaks, requestsPerSignIn, signInSpeed } from './analyze.mjs';
import { closeBrowser, launchBrowser, measureLoads, runSignIns, withTimeout } from './browser.mjs';
import { measureFirstSignIns } from './first-sign-in.mjs';
import { formatTable, readmeBlock, updateReadme } from './report.mjs';
import { measureServer, serverFailures, serverReadmeBlock, updateServerReadme } from './server.mjs';
import { measureSizes } from './sizes.mjs';
import { startStaticServer } from './static-server.mjs';
import { summarize } from './stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('results.json', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));

const USAGE = `usage: npm run bench [-- [--quick] [--check]]
  --quick   5 page loads per page instead of 30, 2 rounds of first sign-ins instead of 15 (CI);
            the leak check keeps its 200 sign-ins
  --check   exit 1 if a size budget is exceeded or anything leaks (timings never fail a run);
            README.md is left alone. Exit 2 means the bench itself could not run.`;

const args = process.argv.slice(2);
const unknown = args.filter((arg) => !['--quick', '--check', '--help'].includes(arg));
if (args.includes('--help') || unknown.length) {
  if (unknown.length) console.error(`bench: unknown option ${unknown.join(' ')}`);
  console.error(USAGE);
  process.exit(unknown.length ? 2 : 0);
}
const quick = args.includes('--quick');
const check = args.includes('--check');

// A leak of one listener per sign-in is plain after a few; 200 also makes a heap leak of some kilobytes each stand out
// from the tolerance, so even --quick keeps them. Page loads are cheap to cut: 5 are enough to see a regression.
// First sign-ins: each is a fresh context and a popup, ×3 cases (0 and 50 ms late resting, 50 ms late tap) ×2 sides;
// 15 give steady medians, 2 keep CI quick.
const PLAN = quick
  ? { loads: 5, cycles: 200, warmup: 3, firstSignIns: 2 }
  : { loads: 30, cycles: 200, warmup: 5, firstSignIns: 15 };
/** Past this the run is abandoned (every wait has its own timeout too; this is the last resort). */
const DEADLINE_MS = (quick ? 6 : 15) * 60_000;

const started = performance.now();
const progress = (/** @type {string} */ message) =>
  console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

/** Everything this run started, closed in reverse order whatever happens. */
const closers = /** @type {(() => Promise<unknown>)[]} */ ([]);
/** @type {Promise<void> | undefined} */
let closing;
function closeAll() {
  closing ??= (async () => {
    for (const close of closers.reverse()) {
      try {
        await withTimeout(close(), 20_000, 'shutting down');
      } catch (error) {
        console.error(`bench: ${/** @type {Error} */ (error).message}`);
      }
    }
  })();
  return closing;
}
async function exit(/** @type {number} */ code) {
  await closeAll();
  process.exit(code);
}
process.once('SIGINT', () => exit(130));
process.once('SIGTERM', () => exit(143));
setTimeout(() => {
  console.error(`bench: gave up after ${DEADLINE_MS / 60_000} minutes`);
  exit(2);
}, DEADLINE_MS).unref();

async function main() {
  // The TypeScript plugin of the element-only build resolves tsconfig.json's `include` from the working directory.
  process.chdir(ROOT);
  progress('sizes: the CDN files, and the element built without lit');
  const sizes = await measureSizes(ROOT);

  progress('starting the Aries emulator, the app server and Chromium');
  const emulator = await startEmulator({ port: 0 });
  closers.push(() => emulator.close());
  /** @type {import('./static-server.mjs').ServedRequest[]} */
  const served = [];
  const server = await startStaticServer({ root: ROOT, log: served });
  closers.push(() => server.close());
  // localhost against the emulator's 127.0.0.1: another origin and another site (as with the real Aries), and both
  // are secure contexts, which crypto.subtle needs.
  const app = `http://localhost:${server.port}`;
  const aries = emulator.origin;
  if (new URL(app).origin === new URL(aries).origin)
    throw new Error('the app and the emulator must be on different origins');
  const browser = await launchBrowser();
  closers.push(() => closeBrowser(browser));
  // Puppeteer's own errors after a crash are cryptic ("Target closed"); say plainly what happened.
  browser.once('disconnected', () => closing || progress('Chromium exited unexpectedly'));
  const chromium = `Chromium ${(await browser.version()).replace(/^\D*\//, '')} (headless)`;

  progress(`page loads: ${PLAN.loads} with 1 element, ${PLAN.loads} with 100`);
  const load1 = await measureLoads(browser, { app, elements: 1, runs: PLAN.loads });
  const load100 = await measureLoads(browser, { app, elements: 100, runs: PLAN.loads });

  progress(`sign-ins: ${PLAN.warmup} warm-up, then ${PLAN.cycles} in one page`);
  const control = emulatorControl(aries);
  const { clientId } = await control.createClient({
    consent: 'approve',
    redirectUris: [`${app}/bench/pages/callback.html`],
    rateLimit: 1_000_000, // Aries' real limit is per minute; the bench signs in hundreds of times
  });
  const signIns = await runSignIns(browser, {
    served,
    app,
    aries,
    clientId,
    cycles: PLAN.cycles,
    warmup: PLAN.warmup,
    onProgress: (done) => done % 50 === 0 && done < PLAN.cycles && progress(`  ${done}/${PLAN.cycles} sign-ins`),
  });
  const seen = await control.requests(clientId, { preflights: true });

  progress(
    `first sign-ins: ${PLAN.firstSignIns} rounds of widget and floor: a resting pointer at 0 and 50 ms of latency, a tap at 50 ms`,
  );
  const firstSignIn = await measureFirstSignIns(browser, {
    root: ROOT,
    aries,
    control,
    runs: PLAN.firstSignIns,
    onProgress: progress,
  });

  const cpus = os.cpus();
  const results = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: {
      cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
      cores: cpus.length,
      chromium,
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
    },
    runs: PLAN,
    sizes,
    speed: {
      load1: summarize(load1),
      load100: summarize(load100),
      ...signInSpeed(signIns.cycles, signIns.warmup, seen),
    },
    firstSignIn,
    leaks: { ...leaks(signIns, PLAN.cycles), heapTrend: signIns.heapTrend },
    requests: requestsPerSignIn(seen, signIns.cycles.length),
    failures: /** @type {string[]} */ ([]),
  };
  progress('server: aries-login/server under load, and its memory');
  Object.assign(results, { server: await measureServer({ quick, progress }) });
  results.failures = [...checkFailures(results), ...serverFailures(results.server)];
  if (results.requests.failedTokenRequests)
    throw new Error(`${results.requests.failedTokenRequests} token requests failed at Aries`);

  await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${formatTable(results)}\n`);
  progress(`figures written to bench/results.json`);

  // The README shows full runs only: --check (CI) must not touch the repository, and --quick is too few loads to quote.
  if (!check && !quick) {
    const updated = await updateReadme(README, readmeBlock(results));
    progress(updated ? 'README.md updated between the bench markers' : 'README.md has no bench markers: left alone');
    await updateServerReadme(README, serverReadmeBlock(results.date, results.server));
  }
  if (!check) return 0;
  if (results.failures.length) {
    console.log(`check FAILED:\n${results.failures.map((f) => `  - ${f}`).join('\n')}`);
    return 1;
  }
  console.log('check passed: sizes within budget, nothing leaks');
  return 0;
}

main().then(
  async (code) => {
    progress(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    await exit(code);
  },
  async (error) => {
    console.error(`bench: ${error?.stack ?? error}`);
    await exit(2);
  },
);
