// web-test-runner's WebKit: Debian's MiniBrowser through WebKitWebDriver, both under an Xvfb of their own, started for the run and stopped by pid.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { WebdriverLauncher } from '@web/test-runner-webdriver';

/** The processes this run started (Xvfb, WebKitWebDriver): stopped by pid however the run ends. */
const started = new Set();
const stopAll = () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  started.clear();
};
let hooked = false;
function stopOnExit() {
  if (hooked) return;
  hooked = true;
  // 'exit' covers a normal end, a failure and Ctrl-C (web-test-runner exits on SIGINT); a plain `kill` ends the run too.
  process.on('exit', stopAll);
  for (const signal of ['SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      stopAll();
      process.exit(128 + (signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** A child process, remembered until it ends so that it is stopped however the run ends. */
function start(command, args, options) {
  const child = spawn(command, args, options);
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** What a child wrote on stderr, for the error when it does not come up. */
function stderrOf(child) {
  let text = '';
  child.stderr?.on('data', (chunk) => (text = (text + chunk).slice(-2000)));
  return () => text.trim();
}

/** Xvfb on a display number it picks itself (`-displayfd`), so that runs side by side never share one. */
function startXvfb(xvfb) {
  const child = start(xvfb, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const stderr = stderrOf(child);
  return new Promise((resolve, reject) => {
    let written = '';
    child.stdio[3].on('data', (chunk) => {
      written += chunk;
      if (written.includes('\n')) resolve({ child, display: `:${written.trim()}` });
    });
    child.once('error', (error) => reject(new Error(`Could not start ${xvfb}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      reject(new Error(`${xvfb} ended before it chose a display (${signal ?? `exit code ${code}`}): ${stderr()}`)),
    );
  });
}

/** A port nobody listens on now (the driver takes it a moment later; a lost race is retried). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** WebKitWebDriver on a free port of 127.0.0.1, once it answers `/status`. */
async function startDriver(driver, display) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = start(driver, [`--port=${port}`, '--host=local'], {
      env: { ...process.env, DISPLAY: display },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr = stderrOf(child);
    let ended = false;
    const failed = new Promise((resolve) => {
      child.once('error', (error) => resolve(error.message));
      child.once('exit', (code, signal) => resolve(`${signal ?? `exit code ${code}`}: ${stderr()}`));
    }).then((reason) => ((ended = true), reason));
    const deadline = Date.now() + 20_000;
    while (!ended && Date.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/status`);
        if (response.ok) return { child, port };
      } catch {
        // not listening yet
      }
      await Promise.race([failed, new Promise((r) => setTimeout(r, 100))]);
    }
    child.kill('SIGTERM');
    const reason = ended ? await failed : 'no answer on /status within 20 s';
    if (attempt === 3) throw new Error(`Could not start ${driver} (${reason})`);
  }
}

/**
 * The WebDriver launcher, with its driver and display started in `initialize` and stopped in `stop`. The popup blocker
 * stays on (no `--javascript-can-open-windows-automatically`): sign-in tests click as a user does.
 */
class WebKitLauncher extends WebdriverLauncher {
  constructor({ miniBrowser, webDriver, xvfb }) {
    super({
      hostname: '127.0.0.1',
      port: 0, // set in initialize
      path: '/',
      logLevel: 'error',
      capabilities: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
        // webdriverio asks for WebDriver BiDi otherwise, which WebKitWebDriver refuses ("Failed to match capabilities").
        'wdio:enforceWebDriverClassic': true,
      },
    });
    this.paths = { webDriver, xvfb };
  }

  async initialize(config, testFiles) {
    stopOnExit();
    const { display } = await startXvfb(this.paths.xvfb);
    this.options.port = (await startDriver(this.paths.webDriver, display)).port;
    await super.initialize(config, testFiles);
    this.name = 'WebKit';
  }

  async stop() {
    await super.stop();
    stopAll();
  }

  /**
   * Clicks at `position` in the window named `name` (one the test page opened). WebDriver's input goes to its current
   * window: it switches there and back.
   */
  async clickInWindow(name, position) {
    const driver = this.driver;
    const current = await driver.getWindowHandle();
    try {
      for (const handle of await driver.getWindowHandles()) {
        await driver.switchToWindow(handle);
        if ((await driver.execute('return window.name')) !== name) continue;
        const [x, y] = position;
        await driver.performActions([
          {
            type: 'pointer',
            id: 'mouse',
            parameters: { pointerType: 'mouse' },
            actions: [
              { type: 'pointerMove', duration: 0, x, y },
              { type: 'pointerDown', button: 0 },
              { type: 'pointerUp', button: 0 },
            ],
          },
        ]);
        await driver.releaseActions();
        return;
      }
      throw new Error(`No window named ${name}`);
    } finally {
      await driver.switchToWindow(current);
    }
  }
}

export const webkitLauncher = (paths) => new WebKitLauncher(paths);
