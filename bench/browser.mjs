/** The bench's browser work: headless Chromium, the page-load timings, and many popup sign-ins in one page. */
import puppeteer from 'puppeteer-core';
import { installProbes } from './probes.mjs';

/** Debian's Chromium, as the tests use it (CHROME_PATH overrides, as in scripts/ensure-browsers.mjs). */
export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Large enough for 100 buttons in view. */
const VIEWPORT = { width: 1280, height: 1024 };

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects when `promise` takes longer than `ms`: no wait in the bench may hang. */
export function withTimeout(/** @type {Promise<any>} */ promise, /** @type {number} */ ms, /** @type {string} */ what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts headless Chromium with the popup blocker on, so a popup opens only if the widget opens it in the click. */
export async function launchBrowser() {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // Puppeteer turns the popup blocker off by default; the bench wants the browser users have.
    ignoreDefaultArgs: ['--disable-popup-blocking'],
    timeout: 30_000,
    protocolTimeout: 60_000,
  });
  return browser;
}

/** Closes the browser; if it does not go within 10 s, kills the process this bench started. */
export async function closeBrowser(/** @type {import('puppeteer-core').Browser} */ browser) {
  try {
    await withTimeout(browser.close(), 10_000, 'closing Chromium');
  } catch {
    browser.process()?.kill('SIGKILL');
  }
}

/**
 * Loads the load page `runs` times, each in a fresh browser context (its own renderer, no compile cache: a first
 * visit), and returns the milliseconds from the CDN module's evaluation to every button clickable.
 * @param {import('puppeteer-core').Browser} browser
 * @param {{ app: string, elements: number, runs: number }} options
 */
export async function measureLoads(browser, { app, elements, runs }) {
  const url = `${app}/bench/pages/load.html?n=${elements}`;
  const samples = [];
  // One load more than asked, the first thrown away: it pays for starting the browser's own machinery.
  for (let run = 0; run <= runs; run++) {
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      await page.setViewport(VIEWPORT); // all 100 buttons on screen, so each can be hit-tested
      await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
      const result = await withTimeout(
        page.evaluate(() => /** @type {any} */ (window).__loadResult),
        20_000,
        `load page ${url}`,
      );
      if (!result?.ok) throw new Error(`load page (${elements} elements): ${result?.error ?? 'no result'}`);
      if (result.elements !== elements)
        throw new Error(`load page rendered ${result.elements} elements, not ${elements}`);
      if (run > 0) samples.push(result.ms);
    } finally {
      await context.close();
    }
  }
  return samples;
}

/**
 * @typedef {{ heap: number, listeners: number, listenersByTarget: Record<string, number>, timers: number,
 *   timerList: { kind: string, delay: number, site: string }[], channels: number, channelSites: string[],
 *   channelsMade: number, transactions: number }} Snapshot
 * @typedef {{ outcome: string, code?: string, message?: string, clickAt?: number, openAt?: number, opens?: number,
 *   openInClick?: boolean, blocked?: boolean, callbackAt?: number, tokenStart?: number, tokenEnd?: number,
 *   endAt?: number }} Cycle
 */

/**
 * Signs in `warmup + cycles` times in one page, by real (trusted) clicks on the button, each popup approved by the
 * emulator on its own; snapshots the page's live resources once loaded, after the warm-up and after the last sign-in.
 * @param {import('puppeteer-core').Browser} browser
 * The callback's moment is when the app's server sent the callback page (`served`, its log): the page's own script may
 * never run, as the opener reads the answer from the popup's URL and closes it as soon as the page is there.
 * @param {{ app: string, aries: string, clientId: string, cycles: number, warmup: number,
 *   served: import('./static-server.mjs').ServedRequest[], onProgress?: (done: number) => void }} options
 */
export async function runSignIns(browser, { app, aries, clientId, cycles, warmup, served, onProgress }) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.evaluateOnNewDocument(installProbes);
    const query = new URLSearchParams({ client: clientId, aries });
    await page.goto(`${app}/bench/pages/signin.html?${query}`, { waitUntil: 'load', timeout: 20_000 });
    const cdp = await page.createCDPSession();
    const popups = () => context.targets().filter((target) => target.type() === 'page' && target !== page.target());

    /** Live resources after forced GC: what is left is held by something. */
    const snapshot = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage'); // a second pass collects what the first one's finalizers freed
      const counts = await page.evaluate(() => /** @type {any} */ (window).__bench.snapshot());
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return /** @type {Snapshot} */ ({ heap: usedSize, ...counts });
    };

    /** Waits until every popup has closed (the widget closes it once the answer is in). */
    const popupsClosed = async (/** @type {number} */ timeout) => {
      const deadline = Date.now() + timeout;
      while (popups().length) {
        if (Date.now() > deadline)
          throw new Error(`${popups().length} popup(s) still open ${timeout / 1000} s after the sign-in`);
        await sleep(20);
      }
    };

    const signIn = async () => {
      await page.evaluate((ms) => /** @type {any} */ (window).__bench.arm(ms), 20_000);
      const button = await page.waitForSelector('aries-login >>> [part~="button"]', { timeout: 10_000 });
      const servedBefore = served.length;
      await button?.click();
      await button?.dispose();
      const cycle = /** @type {Cycle} */ (
        await withTimeout(
          page.evaluate(() => /** @type {any} */ (window).__bench.outcome()),
          30_000,
          'a sign-in',
        )
      );
      if (cycle.outcome !== 'success') {
        throw new Error(`a sign-in ended in ${cycle.outcome}${cycle.code ? ` (${cycle.code}: ${cycle.message})` : ''}`);
      }
      cycle.callbackAt = served.slice(servedBefore).find((r) => r.path === '/bench/pages/callback.html')?.sentAt;
      await popupsClosed(5_000);
      // Signed in, the element shows its status instead of the button: sign out, as a user would, for the next one.
      await page.evaluate(() => /** @type {any} */ (document.querySelector('aries-login')).signOut());
      return cycle;
    };

    const all = /** @type {Cycle[]} */ ([]);
    const initial = await snapshot();
    // The first sign-ins set up what stays for good (a signed-in session's timer, lit's templates, compiled code):
    // growth is counted from after them.
    for (let i = 0; i < warmup; i++) all.push(await signIn());
    await sleep(500);
    const before = await snapshot();
    // The heap at each quarter too: a leak climbs steadily, a cache fills once and stays.
    const heapTrend = [{ cycles: 0, heap: before.heap }];
    for (let i = 1; i <= cycles; i++) {
      all.push(await signIn());
      onProgress?.(i);
      if (i % Math.ceil(cycles / 4) === 0 && i < cycles) heapTrend.push({ cycles: i, heap: (await snapshot()).heap });
    }
    await popupsClosed(10_000);
    await sleep(1_000); // let anything still in flight (a late message, a last poll) finish before counting
    const after = await snapshot();
    heapTrend.push({ cycles, heap: after.heap });
    return { cycles: all, warmup, initial, before, after, heapTrend };
  } finally {
    await context.close();
  }
}
