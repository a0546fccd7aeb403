// Makes sure what the tests run on is installed (Debian's Chromium, Firefox ESR and redis-server): installs it when it can, else says in one line what to install.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const browsers = {
  chromium: { path: process.env.CHROME_PATH || '/usr/bin/chromium', pkg: 'chromium' },
  firefox: { path: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr', pkg: 'firefox-esr' },
};

/** The Redis server the backend's tests start on a free port of their own (never the system service). */
const onPath = (name) => (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, name)));
const redis = { path: 'redis-server', pkg: 'redis-server', present: () => onPath('redis-server') };

/**
 * Installs what is missing, or exits with one line naming it; returns quietly when everything is there. The browser
 * tests alone (web-test-runner) need no Redis.
 */
export function ensureTestTools({ withRedis = true } = {}) {
  const missing = [
    ...Object.values(browsers).filter((b) => !existsSync(b.path)),
    ...(!withRedis || redis.present() ? [] : [redis]),
  ];
  if (!missing.length) return;
  const pkgs = missing.map((b) => b.pkg);
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(
      `Missing ${missing.map((b) => b.path).join(', ')}: install with \`sudo apt-get install -y ${pkgs.join(' ')}\` (or set CHROME_PATH / FIREFOX_PATH).`,
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
