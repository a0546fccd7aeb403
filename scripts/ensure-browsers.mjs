// Makes sure the Debian Chromium and Firefox ESR the tests run in are installed: installs them when it can, else says what to install.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const browsers = {
  chromium: { path: process.env.CHROME_PATH || '/usr/bin/chromium', pkg: 'chromium' },
  firefox: { path: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr', pkg: 'firefox-esr' },
};

const missing = Object.values(browsers).filter((b) => !existsSync(b.path));
if (missing.length) {
  const pkgs = missing.map((b) => b.pkg);
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`Missing browsers: ${missing.map((b) => b.path).join(', ')}.`);
    console.error(`Install them with: sudo apt-get install -y ${pkgs.join(' ')}  (or set CHROME_PATH / FIREFOX_PATH)`);
    process.exit(1);
  }
  console.log(`Installing ${pkgs.join(' ')} from Debian's packages…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
}
