/**
 * The first sign-in of a fresh visitor, side by side with the floor page: fresh browser contexts, a real pointer that
 * reaches the button before it clicks, and every response after the page has loaded held back by the injected latency.
 */
import http from 'node:http';
import { summarize } from './stats.mjs';
import { startStaticServer } from './static-server.mjs';
import { withTimeout } from './browser.mjs';

/**
 * A resting pointer: between the pointer reaching the button and the click, at least a quick user's hover, ms, and
 * until the page's requests have settled (at most 2 s more), so that a machine busy with other work does not click early.
 */
const HOVER_MS = 250;
/** A tap: the finger reaches the button (the pointer events) and the click follows this many ms later, whatever is under way. */
const TAP_MS = 100;
/**
 * What is measured, each side by side with the floor: the latency injected on every response once the page has loaded
 * (ms), and how the button is pressed.
 * @type {{ latency: number, pointer: 'resting' | 'tap' }[]}
 */
export const CASES = [
  { latency: 0, pointer: 'resting' },
  { latency: 50, pointer: 'resting' },
  { latency: 50, pointer: 'tap' },
];

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {import('./static-server.mjs').ServedRequest} ServedRequest
 * @typedef {{ clickAt?: number, opens?: number, callbackAt?: number, tokensAt?: number, outcome?: string }} Moments
 * `callbackAt` is read from the app server's log, the rest in the page.
 */

/**
 * In front of the Aries emulator: forwards every request at once and holds its response back by `delay()` ms, logging
 * each request as it arrives (so "click → authorize request" is when Aries sees it, latency not included).
 * @param {string} target the emulator's origin
 * @param {() => number} delay
 * @param {ServedRequest[]} log
 */
async function startDelayProxy(target, delay, log) {
  const server = http.createServer((req, res) => {
    const entry = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0],
      bytes: 0,
      gzip: 0,
    };
    log.push(entry);
    const forward = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      /** @type {Buffer[]} */
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        entry.bytes = entry.gzip = body.length;
        setTimeout(() => res.writeHead(answer.statusCode ?? 502, answer.headers).end(body), delay());
      });
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  return {
    origin: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok(undefined));
        server.closeAllConnections();
      }),
  };
}

/** In the app page before its scripts: the click, the window it opens, the tokens. */
function probe() {
  const now = () => performance.timeOrigin + performance.now();
  /** @type {Moments} */
  const moments = {};
  addEventListener('click', (event) => event.isTrusted && (moments.clickAt ??= now()), true);
  const open = window.open;
  window.open = function (...args) {
    moments.opens = (moments.opens ?? 0) + 1;
    return open.apply(this, args);
  };
  for (const type of ['aries-login-success', 'aries-login-error'])
    addEventListener(type, () => {
      moments.tokensAt ??= now();
      moments.outcome ??= type;
    });
  Object.defineProperty(window, '__first', { value: { moments } });
}

/**
 * Runs `runs` first sign-ins per latency for the widget and for the floor, interleaved (and the order alternated), each
 * in a fresh browser context, and summarises them.
 * @param {import('puppeteer-core').Browser} browser
 * @param {{ root: string, aries: string, control: import('../emulator/control-client.mjs').EmulatorControl, runs: number,
 *   onProgress?: (message: string) => void }} options
 */
export async function measureFirstSignIns(browser, { root, aries, control, runs, onProgress }) {
  let latency = 0;
  const delay = () => latency;
  /** @type {ServedRequest[]} */
  const appLog = [];
  /** @type {ServedRequest[]} */
  const ariesLog = [];
  const server = await startStaticServer({ root, cdnCache: 'immutable', delay, log: appLog });
  const proxy = await startDelayProxy(aries, delay, ariesLog);
  try {
    const app = `http://localhost:${server.port}`;
    const { clientId } = await control.createClient({
      consent: 'approve',
      redirectUris: [`${app}/bench/pages/first-callback.html`, `${app}/bench/pages/floor-callback.html`],
      rateLimit: 1_000_000,
    });
    const query = new URLSearchParams({ client: clientId, aries: proxy.origin });
    const sides = {
      widget: { url: `${app}/bench/pages/first.html?${query}`, button: 'aries-login >>> [part~="button"]' },
      floor: { url: `${app}/bench/pages/floor.html?${query}`, button: 'body[data-ready] #signin' },
    };

    const once = async (
      /** @type {'widget' | 'floor'} */ side,
      /** @type {{ latency: number, pointer: 'resting' | 'tap' }} */ { latency: ms, pointer },
    ) => {
      latency = 0;
      appLog.length = ariesLog.length = 0;
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        await page.evaluateOnNewDocument(probe);
        await page.goto(sides[side].url, { waitUntil: 'load', timeout: 20_000 });
        const button = await page.waitForSelector(sides[side].button, { timeout: 10_000 });
        const loadBytes = appLog.reduce((sum, r) => sum + r.gzip, 0);
        latency = ms; // from here on, every response is late
        await button?.hover();
        if (pointer === 'tap') await sleep(TAP_MS);
        else {
          await sleep(HOVER_MS);
          await page.waitForNetworkIdle({ idleTime: 50, timeout: 2_000 }).catch(() => {});
        }
        const beforeClick = { app: appLog.length, aries: ariesLog.length };
        const intentBytes = appLog.reduce((sum, r) => sum + r.gzip, 0);
        await button?.click();
        await withTimeout(
          page.waitForFunction(() => /** @type {any} */ (window).__first.moments.tokensAt, { timeout: 20_000 }),
          25_000,
          `a first sign-in (${side})`,
        );
        const moments = /** @type {Moments} */ (await page.evaluate(() => /** @type {any} */ (window).__first.moments));
        if (moments.outcome !== 'aries-login-success') throw new Error(`a first sign-in (${side}) failed`);
        const afterClick = ariesLog.slice(beforeClick.aries);
        const authorize = afterClick.find((r) => r.method === 'GET' && r.path === '/oauth2/authorize');
        // The token request's arrival at Aries (its preflight first) splits "callback → tokens" in two, the same way
        // for both sides: the callback reaching the opener, which asks for the tokens; and that request's round trips.
        const tokenRequest = afterClick.find((r) => r.path === '/v1/oauth2/token');
        // The callback page's response leaving the app's server: its own first script may never run, as the widget's
        // opener reads the answer from the popup's URL and closes it as soon as the page is there.
        moments.callbackAt = appLog.slice(beforeClick.app).find((r) => r.path.endsWith('-callback.html'))?.sentAt;
        const after = [...appLog.slice(beforeClick.app), ...ariesLog.slice(beforeClick.aries)];
        return {
          clickToAuthorize: authorize && moments.clickAt ? authorize.at - moments.clickAt : undefined,
          callbackToTokens: moments.tokensAt && moments.callbackAt ? moments.tokensAt - moments.callbackAt : undefined,
          clickToTokens: moments.tokensAt && moments.clickAt ? moments.tokensAt - moments.clickAt : undefined,
          callbackToRequest: tokenRequest && moments.callbackAt ? tokenRequest.at - moments.callbackAt : undefined,
          requestToTokens: tokenRequest && moments.tokensAt ? moments.tokensAt - tokenRequest.at : undefined,
          requestsAfterClick: after.map((r) => `${r.method} ${r.path.replace(/-[\w-]{8}\.min\.js$/, '-….min.js')}`),
          opens: moments.opens ?? 0,
          bytes: {
            load: loadBytes,
            beforeClick: intentBytes,
            signIn: [...appLog, ...ariesLog].reduce((sum, r) => sum + r.gzip, 0),
          },
        };
      } finally {
        latency = 0;
        await context.close();
      }
    };

    /** @type {Record<string, Awaited<ReturnType<typeof once>>[]>} */
    const samples = {};
    for (let run = 0; run < runs; run++) {
      for (const measured of CASES) {
        const order = /** @type {const} */ (run % 2 ? ['floor', 'widget'] : ['widget', 'floor']);
        for (const side of order) (samples[`${side} ${caseKey(measured)}`] ??= []).push(await once(side, measured));
      }
      onProgress?.(`  first sign-ins: ${run + 1}/${runs} rounds`);
    }
    return summarizeFirstSignIns(samples);
  } finally {
    await proxy.close();
    await server.close();
  }
}

/** @param {{ latency: number, pointer: string }} measured */
const caseKey = ({ latency, pointer }) => `${latency} ${pointer}`;

/** Medians per side and case, ratios widget/floor, and the requests and bytes of the last sample of each. */
function summarizeFirstSignIns(/** @type {Record<string, any[]>} */ samples) {
  const stat = (/** @type {any[]} */ list, /** @type {string} */ key) => summarize(list.map((s) => s[key]));
  const ratio = (/** @type {any} */ a, /** @type {any} */ b) =>
    a && b && b.median > 0 ? Math.round((a.median / b.median) * 100) / 100 : null;
  const byCase = CASES.map(({ latency, pointer }) => {
    const widget = samples[`widget ${caseKey({ latency, pointer })}`];
    const floor = samples[`floor ${caseKey({ latency, pointer })}`];
    const figure = (/** @type {string} */ key) => {
      const w = stat(widget, key);
      const f = stat(floor, key);
      return { widget: w, floor: f, ratio: ratio(w, f) };
    };
    const last = (/** @type {any[]} */ list) => list[list.length - 1];
    return {
      latency,
      pointer,
      clickToAuthorize: figure('clickToAuthorize'),
      callbackToTokens: figure('callbackToTokens'),
      callbackToRequest: figure('callbackToRequest'),
      requestToTokens: figure('requestToTokens'),
      clickToTokens: figure('clickToTokens'),
      requestsAfterClick: { widget: last(widget).requestsAfterClick, floor: last(floor).requestsAfterClick },
      requestsAfterClickEqual: widget.every(
        (s, i) => s.requestsAfterClick.length === floor[i]?.requestsAfterClick.length,
      ),
      requestCounts: {
        widget: widget.map((s) => s.requestsAfterClick.length),
        floor: floor.map((s) => s.requestsAfterClick.length),
      },
      opens: { widget: Math.max(...widget.map((s) => s.opens)), floor: Math.max(...floor.map((s) => s.opens)) },
      bytes: { widget: last(widget).bytes, floor: last(floor).bytes },
    };
  });
  return { runs: samples[`widget ${caseKey(CASES[0])}`]?.length ?? 0, hoverMs: HOVER_MS, tapMs: TAP_MS, byCase };
}
