// Test helpers: the emulator's control API, an element wired to it, a window.open recorder, and a person's clicks.
import { fixture, html, oneEvent } from '@open-wc/testing';
import '../src/index.js';
import type { AriesLoginElement } from '../src/aries-login-element.js';
import type { AriesTokens } from '../src/token-client.js';
import {
  control,
  createClient as createEmulatorClient,
  emulator,
  requestsOf,
  type ClientSettings,
} from './emulator-control.js';
import { userClick } from './user-gesture.js';

export * from './emulator-control.js';
export * from './user-gesture.js';
export const callbackUrl = new URL('/test/fixtures/callback.html', location.origin).href;

/** A fresh client at the emulator (consent approved at once, redirecting to the test callback page unless told). */
export const createClient = (settings: ClientSettings = {}): Promise<string> =>
  createEmulatorClient({ redirectUris: [callbackUrl], ...settings });

/** An <aries-login> pointed at the emulator. */
export const mountElement = (clientId: string, attributes: Record<string, string> = {}) =>
  fixture<AriesLoginElement>(
    html`<aries-login
      client-id=${clientId}
      redirect-uri=${callbackUrl}
      authorize-url=${`${emulator}/oauth2/authorize`}
      token-url=${`${emulator}/v1/oauth2/token`}
    ></aries-login>`,
  ).then((element) => {
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element.updateComplete.then(() => element);
  });

export const buttonOf = (element: AriesLoginElement) => element.shadowRoot!.querySelector('button')!;

/** Clicks the button (as a person does) and resolves with the tokens of `aries-login-success`. */
export async function clickToSignIn(element: AriesLoginElement): Promise<AriesTokens> {
  const success = oneEvent(element, 'aries-login-success');
  await userClick(buttonOf(element));
  return ((await success) as CustomEvent<AriesTokens>).detail;
}

export const waitFor = async (condition: () => boolean | Promise<boolean>, what: string, timeout = 10_000) => {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Skips the running test, with the reason in its title (scripts/wtr-summary-reporter.mjs lists it by name). */
export function skipBecause(context: { test?: { title: string }; skip(): void }, reason: string): never {
  if (context.test) context.test.title += ` (skipped: ${reason})`;
  context.skip();
  throw new Error(reason); // not reached: skip() throws mocha's own "pending" signal
}

/** Waits until the popup shows Aries' page (another origin, so reading its location throws), as a user sees it. */
export async function onAriesPage(popup: Window) {
  const crossOrigin = () => {
    try {
      return !popup.location.href;
    } catch {
      return true;
    }
  };
  await waitFor(() => !popup.closed && crossOrigin(), "Aries' page in the popup");
  await sleep(600); // a person reads before closing; the widget polls four times a second, and trusts two sightings
}

/**
 * A confidential client at the emulator and a reference backend for it (web-test-runner.config.mjs mounts it on the
 * tests' own origin); the secret stays in the test runner's server. `idleTimeout` and `absoluteTimeout` (ms) are its
 * session store's; with `apiProxy` it is the full BFF: it keeps the tokens and forwards `{basePath}/api/…` to the emulator's API.
 */
export async function createBackendClient(
  settings: ClientSettings & { idleTimeout?: number; absoluteTimeout?: number; apiProxy?: boolean } = {},
) {
  const { idleTimeout, absoluteTimeout, apiProxy, ...client } = settings;
  const { clientId, clientSecret } = await control.createClient({
    type: 'confidential',
    redirectUris: [callbackUrl],
    ...client,
  });
  const backend = await fetch('/__backend', {
    method: 'POST',
    body: JSON.stringify({ clientId, clientSecret, idleTimeout, absoluteTimeout, apiProxy }),
  });
  const { basePath } = await backend.json();
  return { clientId, clientSecret: clientSecret as string, basePath: basePath as string };
}

/** The refresh grants Aries saw from this client (its backend's refreshes). */
export const refreshGrants = async (clientId: string) =>
  (await requestsOf(clientId, 'token')).filter((r) => r.body.grant_type === 'refresh_token');
