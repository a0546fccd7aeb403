// `npm run gallery`: renders demo/gallery.html in headless Chromium, brings its states about for real against the Aries
// emulator (clicks, and Approve or Deny in the popups), and writes PNG screenshots to gallery/ (kept out of git).
/* global document -- isInState and the evaluate callbacks run in the page */
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import puppeteer from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/server.mjs';
import { browsers } from './ensure-browsers.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = fileURLToPath(new URL('../gallery/', import.meta.url));
/** How long the emulator holds the "busy" element's token answer: longer than all the screenshots take. */
const BUSY_SECONDS = 300;
const VIEWPORT = { width: 1200, height: 900 };
const DEADLINE_MS = 3 * 60_000;

/**
 * The states to bring about, in this order (the rate limit's countdown runs out after a minute, so it comes last):
 * the element's id, the answer in the Aries window (none: left open), and the state to wait for.
 * @type {[id: string, answer: 'approve' | 'deny' | null, state: string][]}
 */
const STATES = [
  ['state-waiting', null, 'waiting'],
  ['lang-ar-waiting', null, 'waiting'],
  ['state-busy', 'approve', 'busy'],
  ['state-signed-in', 'approve', 'signed-in'],
  ['state-show-user', 'approve', 'show-user'],
  ['state-sign-out', 'approve', 'signed-in'],
  ['state-error', 'deny', 'error'],
  ['lang-de-error', 'deny', 'error'],
  ['dark-waiting', null, 'waiting'],
  ['dark-sign-out', 'approve', 'signed-in'],
  ['dark-error', 'deny', 'error'],
  ['state-rate-limited', 'approve', 'rate-limited'],
];

const log = (/** @type {string} */ message) => console.log(`gallery: ${message}`);

/** Everything this run started, closed in reverse order, whatever happens. */
const closers = /** @type {(() => Promise<unknown>)[]} */ ([]);
/** @type {Promise<void> | undefined} */
let closing;
const closeAll = () =>
  (closing ??= (async () => {
    for (const close of closers.reverse()) {
      await Promise.race([close(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]).catch((error) =>
        console.error(`gallery: while shutting down: ${error?.message ?? error}`),
      );
    }
  })());
const exit = async (/** @type {number} */ code) => {
  await closeAll();
  process.exit(code);
};
process.once('SIGINT', () => exit(130));
process.once('SIGTERM', () => exit(143));
setTimeout(() => {
  console.error(`gallery: gave up after ${DEADLINE_MS / 60_000} minutes`);
  void exit(1);
}, DEADLINE_MS).unref();

/** The emulator and the dev server, as `npm start` runs them (without the demo's backend, which the gallery needs not). */
async function startServers() {
  const emulator = await startEmulator({ port: 0 });
  closers.push(() => emulator.close());
  const server = await startDevServer({
    config: {
      rootDir: ROOT,
      hostname: 'localhost',
      port: 0, // any free port: `npm start` may be running beside this
      nodeResolve: { exportConditions: ['production'] }, // lit's production build, as in `npm start`
      plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: `${ROOT}tsconfig.json` })],
      clearTerminalOnReload: false,
    },
    readCliArgs: false,
    readFileConfig: false,
    logStartMessage: false,
  });
  closers.push(() => server.stop());
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.server.address());
  // localhost against the emulator's 127.0.0.1: two origins, as with the real Aries.
  return { aries: emulator.origin, app: `http://localhost:${port}` };
}

/** Whether fontconfig has a font for `lang`; without one, Chromium draws boxes. */
function hasFontFor(/** @type {string} */ lang) {
  try {
    return execFileSync('fc-list', [`:lang=${lang}`, 'family'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return true; // no fontconfig to ask: assume the system knows best
  }
}

/** In the page: whether the element `id` is in `state`, read from its shadow DOM as a user would see it. */
function isInState(/** @type {string} */ id, /** @type {string} */ state) {
  const element = /** @type {HTMLElement} */ (document.getElementById(id));
  const root = /** @type {ShadowRoot} */ (element.shadowRoot);
  const button = /** @type {HTMLButtonElement | null} */ (root.querySelector('[part~="button"]'));
  const cancel = root.querySelector('[part~="cancel"]');
  const message = root.querySelector('[part~="message"]')?.textContent?.trim();
  switch (state) {
    case 'waiting':
      return Boolean(cancel);
    case 'busy':
      return button?.getAttribute('aria-busy') === 'true' && !cancel;
    case 'signed-in':
      return element.hasAttribute('signed-in');
    case 'show-user':
      return Boolean(root.querySelector('[part~="status"]')?.textContent?.includes('Ada'));
    case 'error':
      return Boolean(message) && !button?.disabled;
    case 'rate-limited':
      return Boolean(message) && Boolean(button?.disabled) && /\d/.test(button?.textContent ?? '');
  }
  return false;
}

async function main() {
  const { aries, app } = await startServers();
  for (const lang of ['ja', 'zh', 'ar']) {
    if (!hasFontFor(lang)) log(`warning: no font for lang="${lang}" is installed, its button shows boxes`);
  }
  const browser = await puppeteer.launch({
    executablePath: browsers.chromium.path,
    headless: true,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu', '--hide-scrollbars'],
    defaultViewport: VIEWPORT,
    timeout: 30_000,
    protocolTimeout: 60_000,
  });
  closers.push(async () => {
    const child = browser.process();
    await browser.close().catch(() => child?.kill('SIGKILL'));
  });

  const page = await browser.newPage();
  const problems = /** @type {string[]} */ ([]);
  page.on('pageerror', (error) => problems.push(`page error: ${/** @type {Error} */ (error).message}`));
  page.on('console', (message) => {
    // The 429 is the rate-limited state's own answer; anything else logged as an error is worth a look.
    if (message.type() === 'error' && !message.text().includes('status of 429'))
      problems.push(`console: ${message.text()}`);
  });
  const query = new URLSearchParams({ aries, busy: String(BUSY_SECONDS) });
  await page.goto(`${app}/demo/gallery.html?${query}`, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForSelector('#status:not([data-state="connecting"])', { timeout: 15_000 });
  const status = await page.$eval('#status', (node) => [node.getAttribute('data-state'), node.textContent]);
  if (status[0] !== 'ready') throw new Error(`the gallery could not set up: ${status[1]}`);

  const seen = new Set(browser.targets()); // popups left open for "waiting" must not be taken for the next one
  for (const [id, answer, state] of STATES) {
    log(`#${id}: ${answer ? `click, ${answer}` : 'click, leave the popup open'} → ${state}`);
    const popupTarget = browser.waitForTarget(
      (target) =>
        !seen.has(target) && target.opener() === page.target() && target.url().startsWith(`${aries}/oauth2/authorize`),
      { timeout: 15_000 },
    );
    await page.click(`#${id} >>> [part~="button"]`);
    const target = await popupTarget;
    seen.add(target);
    const popup = await target.page();
    if (answer && popup) {
      const decision = await popup.waitForSelector(`button[value="${answer}"]`, { timeout: 15_000 });
      await decision?.click();
    }
    await page.waitForFunction(isInState, { timeout: 15_000, polling: 100 }, id, state).catch(async () => {
      const shown = await page.$eval(`#${id}`, (node) => node.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim());
      throw new Error(`#${id} did not reach its ${state} state; it shows: "${shown}"\n${problems.join('\n')}`);
    });
  }

  // No hover, focus ring or caret from the clicks; every font and language file in.
  await page.bringToFront();
  await page.mouse.move(0, 0);
  await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
  await page.evaluate(() => document.fonts.ready);
  await new Promise((resolve) => setTimeout(resolve, 300));

  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const shots = /** @type {string[]} */ ([]);
  const shoot = async (/** @type {string} */ name, /** @type {import('puppeteer-core').ElementHandle | null} */ of) => {
    const path = /** @type {`${string}.png`} */ (`${OUT}${name}.png`);
    await (of ? of.screenshot({ path }) : page.screenshot({ path, fullPage: true }));
    shots.push(`gallery/${name}.png`);
  };

  await shoot('gallery', null);
  // Sections at twice the pixel density, so that the mark, the spinner and the borders can be judged.
  await page.setViewport({ ...VIEWPORT, deviceScaleFactor: 2 });
  for (const section of await page.$$('[data-shot]')) {
    await shoot(`section-${await section.evaluate((node) => node.getAttribute('data-shot'))}`, section);
  }
  // Through CDP: Puppeteer's emulateMediaFeatures does not know forced-colors.
  const cdp = await page.createCDPSession();
  const emulate = (/** @type {Record<string, string>} */ features) =>
    cdp.send('Emulation.setEmulatedMedia', {
      features: Object.entries(features).map(([name, value]) => ({ name, value })),
    });
  await emulate({ 'prefers-color-scheme': 'dark' });
  await shoot('section-schemes-dark', await page.$('[data-shot="schemes"]'));
  await shoot('section-states-dark', await page.$('[data-shot="states"]'));
  await page.setViewport(VIEWPORT);
  await shoot('gallery-dark', null);
  await emulate({ 'forced-colors': 'active' });
  await shoot('gallery-forced-colors', null);
  await page.setViewport({ ...VIEWPORT, deviceScaleFactor: 2 });
  await shoot('section-states-forced-colors', await page.$('[data-shot="states"]'));

  // The states must still hold: a screenshot of a state that ended meanwhile would mislead.
  for (const [id, , state] of STATES) {
    if (!(await page.evaluate(isInState, id, state))) problems.push(`#${id} left its ${state} state during the shots`);
  }
  log(`wrote ${shots.length} screenshots:\n  ${shots.join('\n  ')}`);
  for (const problem of problems) console.error(`gallery: ${problem}`);
  return problems.length ? 1 : 0;
}

main().then(exit, async (error) => {
  console.error(`gallery: ${error?.stack ?? error}`);
  await exit(1);
});
