// Makes sure what the tests run on is installed (Debian's Chromium, Firefox ESR, WebKitGTK's MiniBrowser with WebKitWebDriver and Xvfb, and redis-server): installs it when it can, else says in one line what to install.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const onPath = (name) => (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, name)));
/** A file at `path`, or a command of that name on the PATH. */
const present = ({ path }) => (path.includes('/') ? existsSync(path) : onPath(path));

/** Debian's multiarch directory for this machine (MiniBrowser lives under it). */
const multiarch = { arm64: 'aarch64-linux-gnu' }[process.arch] ?? 'x86_64-linux-gnu';

export const browsers = {
  chromium: { path: process.env.CHROME_PATH || '/usr/bin/chromium', pkg: 'chromium' },
  firefox: { path: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr', pkg: 'firefox-esr' },
  // WebKit (Safari's engine): WebKitGTK's MiniBrowser, driven by WebKitWebDriver (its package pulls MiniBrowser's in),
  // on a virtual display.
  webkit: {
    path: process.env.WEBKIT_MINIBROWSER_PATH || `/usr/lib/${multiarch}/webkit2gtk-4.1/MiniBrowser`,
    pkg: 'webkit2gtk-driver',
  },
  webkitDriver: { path: process.env.WEBKIT_WEBDRIVER_PATH || 'WebKitWebDriver', pkg: 'webkit2gtk-driver' },
  xvfb: { path: process.env.XVFB_PATH || 'Xvfb', pkg: 'xvfb' },
};

/** The Redis server the backend's tests start on a free port of their own (never the system service). */
const redis = { path: 'redis-server', pkg: 'redis-server' };

/**
 * Installs what is missing, or exits with one line naming it; returns quietly when everything is there. The browser
 * tests alone (web-test-runner) need no Redis.
 */
export function ensureTestTools({ withRedis = true } = {}) {
  const missing = [...Object.values(browsers), ...(withRedis ? [redis] : [])].filter((tool) => !present(tool));
  if (!missing.length) return;
  const pkgs = [...new Set(missing.map((b) => b.pkg))];
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(
      `Missing ${missing.map((b) => b.path).join(', ')}: install with \`sudo apt-get install -y ${pkgs.join(' ')}\` (or set CHROME_PATH / FIREFOX_PATH / WEBKIT_MINIBROWSER_PATH / WEBKIT_WEBDRIVER_PATH / XVFB_PATH).`,
    );
    process.exit(1);
  }
  console.log(`Installing ${pkgs.join(' ')} from Debian's packages…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
  } catch {
    console.error(`Could not install ${pkgs.join(' ')}: install with \`apt-get install -y ${pkgs.join(' ')}\`.`);
    process.exit(1);
  }
}

// Run as a script (`node scripts/ensure-browsers.mjs`), not when web-test-runner's config imports the paths.
if (import.meta.url === `file://${process.argv[1]}`) ensureTestTools();
