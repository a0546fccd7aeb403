/** Turns what the bench recorded (sign-in moments, snapshots, Aries' request log) into figures, and checks the budgets. */
import { BUDGETS as CEILINGS, TARGETS } from '../scripts/check-size.mjs';
import { summarize } from './stats.mjs';

/**
 * Size budgets in gzip bytes, one source with scripts/check-size.mjs: the ceilings are enforced (the files may not
 * grow), the targets (10 KB and 4 KB) are reported until the code is cut down to them.
 */
export const BUDGETS = { cdnGzip: CEILINGS.cdn, elementGzip: CEILINGS.own };
export const SIZE_TARGETS = { cdnGzip: TARGETS.cdn, elementGzip: TARGETS.own };
/** Heap growth after GC that still counts as noise: V8's own caches and feedback move by some kilobytes. */
export const HEAP_TOLERANCE = 1024 * 1024;

/**
 * @typedef {import('./browser.mjs').Cycle} Cycle
 * @typedef {import('./browser.mjs').Snapshot} Snapshot
 * @typedef {{ time: string, endpoint: string, method: string, status: number | null }} SeenRequest
 */

/**
 * Timings of the measured sign-ins (the warm-up ones left out). Times from the page are epoch ms from
 * `performance.timeOrigin`; Aries' log has epoch ms too (same machine clock), so "click → authorize" spans both.
 * @param {Cycle[]} cycles every sign-in, warm-up first
 * @param {number} warmup
 * @param {SeenRequest[]} log Aries' requests for the bench client, in order
 */
export function signInSpeed(cycles, warmup, log) {
  const authorizeAt = log
    .filter((r) => r.endpoint === 'authorize' && r.method === 'GET')
    .map((r) => Date.parse(r.time));
  // Sign-ins run one after another, so the i-th authorize request belongs to the i-th click.
  const paired = authorizeAt.length === cycles.length;
  const measured = cycles.slice(warmup);
  const at = (/** @type {number} */ i) => (paired ? authorizeAt[warmup + i] : undefined);
  const diff = (/** @type {number | undefined} */ a, /** @type {number | undefined} */ b) =>
    a === undefined || b === undefined ? undefined : a - b;
  return {
    openInClick: {
      yes: measured.filter((c) => c.openInClick && c.opens === 1 && !c.blocked).length,
      of: measured.length,
      blocked: measured.filter((c) => c.blocked).length,
    },
    clickToAuthorize: paired ? summarize(measured.map((c, i) => diff(at(i), c.clickAt))) : null,
    clickToOpenReturned: summarize(measured.map((c) => diff(c.openAt, c.clickAt))),
    callbackToSuccess: summarize(measured.map((c) => diff(c.endAt, c.callbackAt))),
    tokenRoundTrip: summarize(measured.map((c) => diff(c.tokenEnd, c.tokenStart))),
    // The widget's own share of "callback → success": everything but waiting for Aries' token response.
    callbackOverhead: summarize(
      measured.map((c) => {
        const total = diff(c.endAt, c.callbackAt);
        const token = diff(c.tokenEnd, c.tokenStart);
        return total === undefined || token === undefined ? undefined : total - token;
      }),
    ),
    callbackToTokenRequest: summarize(measured.map((c) => diff(c.tokenStart, c.callbackAt))),
    tokenResponseToEvent: summarize(measured.map((c) => diff(c.endAt, c.tokenEnd))),
    signIn: summarize(measured.map((c) => diff(c.endAt, c.clickAt))),
  };
}

/** Requests Aries saw per sign-in, by kind. Preflights carry no client_id; the emulator logs them for every client on the app's origin, and the bench has one. */
export function requestsPerSignIn(/** @type {SeenRequest[]} */ log, /** @type {number} */ signIns) {
  const count = (/** @type {string} */ endpoint, /** @type {string} */ method) =>
    log.filter((r) => r.endpoint === endpoint && r.method === method).length;
  const per = (/** @type {number} */ n) => Math.round((n / signIns) * 100) / 100;
  const counts = {
    authorize: count('authorize', 'GET'),
    consent: count('authorize', 'POST'),
    tokenPreflight: count('token', 'OPTIONS'),
    token: count('token', 'POST'),
  };
  return {
    signIns,
    total: counts,
    perSignIn: Object.fromEntries(Object.entries(counts).map(([kind, n]) => [kind, per(n)])),
    all: per(log.length),
    failedTokenRequests: log.filter((r) => r.endpoint === 'token' && r.method === 'POST' && r.status !== 200).length,
    floor: {
      token: 1,
      note: 'one token POST per sign-in is the least possible; its CORS preflight is the browser’s, cached for a few seconds',
    },
  };
}

/** The creation sites (stack frames) that have more live entries in `after` than in `before`, with how many more. */
function grownSites(/** @type {string[]} */ before, /** @type {string[]} */ after) {
  const count = (/** @type {string[]} */ sites) =>
    sites.reduce((map, site) => map.set(site, (map.get(site) ?? 0) + 1), new Map());
  const was = count(before);
  return [...count(after)]
    .map(([site, n]) => [site, n - (was.get(site) ?? 0)])
    .filter(([, n]) => Number(n) > 0)
    .map(([site, n]) => `+${n} ${site}`)
    .join('; ');
}

/**
 * What grew from `before` (after the warm-up) to `after` (the last sign-in settled); for anything that did, where
 * it comes from. `initial` (the page just loaded) is reported alongside, not compared.
 * @param {{ initial: Snapshot, before: Snapshot, after: Snapshot }} snapshots
 * @param {number} cycles
 */
export function leaks({ initial, before, after }, cycles) {
  const growth = {
    heap: after.heap - before.heap,
    listeners: after.listeners - before.listeners,
    timers: after.timers - before.timers,
    channels: after.channels - before.channels,
    transactions: after.transactions - before.transactions,
  };
  const leaked = /** @type {string[]} */ ([]);
  const perCycle = (/** @type {number} */ n) => Math.round((n / cycles) * 100) / 100;
  if (growth.listeners > 0) {
    const where = Object.entries(after.listenersByTarget)
      .map(([target, n]) => [target, n - (before.listenersByTarget[target] ?? 0)])
      .filter(([, n]) => Number(n) > 0)
      .map(([target, n]) => `${target} +${n}`);
    leaked.push(`${growth.listeners} event listeners, ${perCycle(growth.listeners)} per sign-in (${where.join(', ')})`);
  }
  if (growth.timers > 0) {
    const where = grownSites(
      before.timerList.map((t) => `${t.kind} ${t.site}`),
      after.timerList.map((t) => `${t.kind} ${t.site}`),
    );
    leaked.push(`${growth.timers} timers, ${perCycle(growth.timers)} per sign-in (${where})`);
  }
  if (growth.channels > 0) {
    const where = grownSites(before.channelSites, after.channelSites);
    leaked.push(`${growth.channels} open BroadcastChannels, ${perCycle(growth.channels)} per sign-in (made ${where})`);
  }
  if (growth.transactions > 0) leaked.push(`${growth.transactions} pending transactions in sessionStorage`);
  if (growth.heap > HEAP_TOLERANCE) {
    leaked.push(
      `JS heap +${(growth.heap / 1048576).toFixed(2)} MB after GC (over the ${HEAP_TOLERANCE / 1048576} MB tolerance)`,
    );
  }
  return { cycles, initial, before, after, growth, heapTolerance: HEAP_TOLERANCE, leaked };
}

/** Why `--check` fails, if it does: size budgets and leaks only; timings never fail a run (shared machines are noisy). */
export function checkFailures(/** @type {{ sizes: any, leaks: { leaked: string[] } }} */ results) {
  const failures = [];
  const over = (/** @type {string} */ what, /** @type {number} */ size, /** @type {number} */ budget) =>
    size > budget && failures.push(`${what} is ${size} B gzip, ${size - budget} B over its ${budget} B ceiling`);
  over(results.sizes.cdn.file, results.sizes.cdn.gzip, BUDGETS.cdnGzip);
  over('the element’s own code (lit left out)', results.sizes.element.gzip, BUDGETS.elementGzip);
  over(results.sizes.flow.file, results.sizes.flow.gzip, CEILINGS.flow);
  for (const leak of results.leaks.leaked) failures.push(`leak: ${leak}`);
  return failures;
}
