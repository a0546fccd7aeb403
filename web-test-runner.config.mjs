// Runs every browser test in real Debian Chromium, Firefox ESR and WebKit (WebKitGTK's MiniBrowser), with the Aries emulator on its own origin.
import rollupCommonjs from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { startEmulator } from './emulator/server.mjs';
import { buildServer } from './scripts/build-server.mjs';
import { browsers as paths, ensureTestTools } from './scripts/ensure-browsers.mjs';
import { webkitLauncher } from './scripts/webkit-launcher.mjs';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';

// Debian's browsers, installed when missing (or one line saying what to install), as `npm test` does.
ensureTestTools({ withRedis: false });

let emulator;

// The reference backend is the package's server entry, as users get it (built first when missing or outdated).
buildServer();
const { createBackend, memoryStore } = await import('./dist/server/index.js');

/**
 * React ships CommonJS only: test/integration/react.test.ts gets it converted to ES modules (a default export), in
 * development mode. The dev server converts each file alone, without the wrapper and proxy modules that rollup's
 * commonjs plugin adds in a real build: `strictRequires: false` leaves the wrappers out, and `requireReturnsDefault`
 * makes each `require()` return the required file's `module.exports` (its default export here).
 */
const reactPackages = ['**/node_modules/react/**', '**/node_modules/react-dom/**', '**/node_modules/scheduler/**'];
const commonjs = fromRollup(rollupCommonjs)({
  include: reactPackages,
  strictRequires: false,
  requireReturnsDefault: true,
});
const reactDevelopmentMode = {
  name: 'react-development-mode',
  transform(context) {
    if (/\/node_modules\/(react|react-dom|scheduler)\//.test(context.path) && typeof context.body === 'string') {
      return context.body.replaceAll('process.env.NODE_ENV', '"development"');
    }
  },
};

/**
 * The reference backend, on the tests' own origin as a BFF would be: `POST /__backend {clientId, clientSecret}` makes one
 * for a test's confidential client at the emulator, mounted at the path it returns. With `apiProxy: true` it is the full
 * BFF: it keeps the tokens and forwards `{basePath}/api/…` to the emulator's API. `idleTimeout` and `absoluteTimeout`
 * (ms), when given, are its memory store's.
 */
const backends = [];
const referenceBackend = async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/__backend') {
    let body = '';
    for await (const chunk of ctx.req) body += chunk;
    const { clientId, clientSecret, apiProxy, idleTimeout, absoluteTimeout } = JSON.parse(body);
    const basePath = `/backend/${backends.length}`;
    // The tests sign in many times a minute from one address: the quota and the per-client limit are raised for them.
    const backend = createBackend({
      basePath,
      tokenUrl: `${emulator.origin}/v1/oauth2/token`,
      clientId,
      clientSecret,
      ariesQuota: { points: 100_000 },
      tokenRateLimit: { points: 10_000 },
      ...(idleTimeout || absoluteTimeout ? { store: memoryStore({ idleTimeout, absoluteTimeout }) } : {}),
      // The operator's log (tested in test/server/): only its errors here, not a line per sign-out or refusal.
      log: (line) => JSON.parse(line).level === 'error' && console.error(line),
      ...(apiProxy ? { apiProxy: { apiUrl: emulator.origin } } : {}),
    });
    backends.push({ basePath, backend });
    ctx.body = { basePath };
    return;
  }
  const mounted = backends.find(({ basePath }) => ctx.path.startsWith(`${basePath}/`));
  if (!mounted) return next();
  ctx.respond = false;
  await mounted.backend.middleware(ctx.req, ctx.res);
};

/**
 * `/cdn-without-flow/…`: the built cdn/ files as a CDN would serve them, except the flow's file, which is missing (a
 * connection lost after the first file, or an unpinned CDN URL that moved to another release).
 */
const cdnWithoutFlow = async (ctx, next) => {
  if (ctx.path.startsWith('/cdn-without-flow/')) {
    if (/\/aries-login-flow-[\w-]+\.min\.js$/.test(ctx.path)) {
      ctx.status = 404;
      return;
    }
    ctx.url = ctx.url.replace('/cdn-without-flow/', '/cdn/');
  }
  await next();
};

/** The paths fetched under each `/cdn-logged/<id>/` prefix, in order (read by the test at `…/requests`). */
const cdnRequests = new Map();

/**
 * `/cdn-logged/<id>/…`: the built cdn/ files and the element's fixture page beside them, never cached (so that every
 * file a page runs is a request here), each request logged under its id: what a page fetched, as the server saw it.
 */
const cdnLogged = async (ctx, next) => {
  const match = ctx.path.match(/^\/cdn-logged\/([\w-]+)\/(.+)$/);
  if (!match) return next();
  const [, id, file] = match;
  if (file === 'requests') {
    ctx.body = cdnRequests.get(id) ?? [];
    return;
  }
  cdnRequests.set(id, [...(cdnRequests.get(id) ?? []), file]);
  // A prefix `without-relay-…` lacks the relay file (and so the flow, which imports it): a connection lost after the page.
  if (id.startsWith('without-relay-') && /^aries-login-relay-[\w-]+\.min\.js$/.test(file)) {
    ctx.status = 404;
    return;
  }
  ctx.url = file.endsWith('.html') ? `/test/integration/fixtures/${file}${ctx.search}` : `/cdn/${file}${ctx.search}`;
  await next();
  ctx.set('Cache-Control', 'no-store');
};

/** Starts the emulator with the test server and tells each test page where it is. */
const ariesEmulator = {
  name: 'aries-emulator',
  async serverStart() {
    emulator = await startEmulator({ port: Number(process.env.ARIES_EMULATOR_PORT ?? 0) });
  },
  async serverStop() {
    await emulator?.close();
  },
};

/**
 * `emulate-media-features`: any CSS media feature through the page's DevTools protocol, forced-colors included (which
 * @web/test-runner-commands' emulateMedia offers with Playwright only). Resolves false where the browser has no CDP.
 */
const cdpSessions = new WeakMap();
const mediaFeatures = {
  name: 'emulate-media-features',
  async executeCommand({ command, payload, session }) {
    if (command !== 'emulate-media-features') return undefined;
    try {
      const page = session.browser.getPage(session.id);
      // Puppeteer checks feature names against an older list; the protocol itself takes forced-colors.
      if (!cdpSessions.has(page)) cdpSessions.set(page, await page.createCDPSession());
      await cdpSessions.get(page).send('Emulation.setEmulatedMedia', { features: payload });
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * `click-in-window`: a person's click in another window the test page opened (test/user-gesture.ts names it), which
 * @web/test-runner-commands' sendMouse cannot reach: it clicks in the test's own page only.
 */
const clickInWindow = {
  name: 'click-in-window',
  async executeCommand({ command, payload, session }) {
    if (command !== 'click-in-window') return undefined;
    const { name, position } = payload;
    const launcher = session.browser;
    if (launcher.type === 'webdriver') {
      await launcher.clickInWindow(name, position);
      return true;
    }
    for (const page of await launcher.getPage(session.id).browser().pages()) {
      // A window that closes meanwhile is not the one.
      if ((await page.evaluate('window.name').catch(() => undefined)) !== name) continue;
      await page.mouse.click(...position);
      return true;
    }
    throw new Error(`No window named ${name}`);
  },
};

/**
 * `freeze-page` `{ url, ms }` (or `{ probe: true }`: whether it can): freezes the window whose address contains `url` (a window the test opened: the test's
 * own page cannot be frozen, its runner would lose it) as Chromium freezes a background tab, its timers and tasks
 * waiting, for `ms`, then lets it run again: its lifecycle state through the DevTools protocol. Resolves false where
 * the browser has no CDP.
 */
const freezePage = {
  name: 'freeze-page',
  async executeCommand({ command, payload, session }) {
    if (command !== 'freeze-page') return undefined;
    let cdp;
    try {
      if (payload.probe) {
        await (await session.browser.getPage(session.id).createCDPSession()).detach();
        return true;
      }
      const pages = await session.browser.getPage(session.id).browser().pages();
      const page = pages.find((candidate) => candidate.url().includes(payload.url));
      if (!page) return false;
      cdp = await page.createCDPSession();
      await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    } catch {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, payload.ms));
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await cdp.detach();
    return true;
  },
};

/**
 * `emulate-touch` `{ url }` (or `{ probe: true }`: whether it can): makes the window whose address contains `url` a
 * touch-only device, as Chromium's device mode does (a coarse pointer that cannot hover, and no fine one: the pointer and
 * hover media features follow), through the DevTools protocol. Resolves false where the browser has no CDP.
 */
const emulateTouch = {
  name: 'emulate-touch',
  async executeCommand({ command, payload, session }) {
    if (command !== 'emulate-touch') return undefined;
    try {
      const page = session.browser.getPage(session.id);
      if (payload.probe) {
        await (await page.createCDPSession()).detach();
        return true;
      }
      const target = (await page.browser().pages()).find((candidate) => candidate.url().includes(payload.url));
      if (!target) return false;
      // The session stays attached: the emulation lasts as long as it does (the window's life).
      await (
        await target.createCDPSession()
      ).send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
      return true;
    } catch {
      return false;
    }
  },
};

const launchers = {
  chromium: chromeLauncher({
    launchOptions: {
      executablePath: paths.chromium.path,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  }),
  firefox: puppeteerLauncher({
    launchOptions: { browser: 'firefox', executablePath: paths.firefox.path, headless: true },
  }),
  // Its driver and display start only when WebKit runs (the launcher's initialize), on a free port and display.
  webkit: webkitLauncher({ miniBrowser: paths.webkit.path, webDriver: paths.webkitDriver.path, xvfb: paths.xvfb.path }),
};
const only = process.env.BROWSERS?.split(',');

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  middleware: [referenceBackend, cdnWithoutFlow, cdnLogged],
  plugins: [
    // tsx: test/integration/fixtures/react-apps.tsx, React in JSX (the classic transform: React.createElement).
    esbuildPlugin({ ts: true, tsx: true, target: 'es2021', tsconfig: 'tsconfig.json' }),
    reactDevelopmentMode,
    commonjs,
    ariesEmulator,
    mediaFeatures,
    clickInWindow,
    freezePage,
    emulateTouch,
  ],
  browsers: Object.entries(launchers)
    .filter(([name]) => !only || only.includes(name))
    .map(([, launcher]) => launcher),
  // Lit's and Angular's dev builds (with their extra checks) run in tests; their one-line notices about that are noise.
  filterBrowserLogs: ({ args }) =>
    !/^(Lit is in dev mode|Angular is running in development mode)/.test(String(args[0])),
  // Under `npm test` (scripts/test.mjs, which sets ARIES_TEST_SUMMARY) no progress bars: failures in full, browser logs,
  // then the counts per browser with each skipped test named.
  reporters: [defaultReporter({ reportTestProgress: !process.env.ARIES_TEST_SUMMARY }), summaryReporter()],
  concurrency: 1,
  testsFinishTimeout: 300_000,
  browserStartTimeout: 60_000,
  testFramework: { config: { timeout: 20_000 } },
  testRunnerHtml: (testFramework) => `<!doctype html><html><body>
    <script>window.ARIES_EMULATOR = ${JSON.stringify(emulator.origin)};</script>
    <script type="module" src="${testFramework}"></script></body></html>`,
};
