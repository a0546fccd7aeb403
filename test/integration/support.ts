// Shared by the integration tests: the built package, a client at the emulator, and a real popup sign-in.
import type { AriesLoginElement } from '../../dist/aries-login-element.js';
import type { AriesTokens } from '../../dist/token-client.js';

import { createClient as createEmulatorClient, emulator } from '../emulator-control.js';
import { userClick } from '../user-gesture.js';

export type { AriesLoginElement, AriesTokens };
/** Records the windows a page opens (and closes those a failed test left open). */
export { emulator, recordPopups as trackPopups } from '../emulator-control.js';
import { recordPopups as trackPopups } from '../emulator-control.js';
export const authorizeUrl = `${emulator}/oauth2/authorize`;
export const tokenUrl = `${emulator}/v1/oauth2/token`;
/** The redirect-uri page of a host that uses the npm package: the built callback module, nothing else. */
export const callbackUrl = new URL('/test/integration/fixtures/callback.html', location.origin).href;

/** Registers <aries-login> from the npm build (dist/), as `import 'aries-login'` does in an app. */
export async function importPackage() {
  try {
    return await import('../../dist/index.js');
  } catch (error) {
    throw new Error(`dist/ is missing or broken: run \`npm run build\` first (${String(error)})`);
  }
}

/** A fresh client at the emulator that approves at once, so each test has its own codes and request log. */
export const createClient = (redirectUri = callbackUrl): Promise<string> =>
  createEmulatorClient({ redirectUris: [redirectUri] });

export async function waitFor<T>(read: () => T | undefined | null | false, what: string, timeout = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Clicks the element's button as a user would; the popup goes through the emulator's approve-at-once consent. */
export async function clickSignIn(element: Element) {
  const login = await waitFor(() => (element as AriesLoginElement).shadowRoot?.querySelector('button'), 'the button');
  await userClick(login);
}

/** The token is real: Aries' profile API accepts it. */
export async function profileName(tokens: AriesTokens) {
  const response = await fetch(`${emulator}/v1/users/me/profile`, {
    headers: { Authorization: `${tokens.tokenType} ${tokens.accessToken}` },
  });
  return ((await response.json()) as { name?: string }).name;
}

/** A framework host's test set-up: the package registered once, popups tracked, the host unmounted after each test. */
export function hostHooks(unmount: () => void) {
  let popups: ReturnType<typeof trackPopups>;
  before(importPackage);
  beforeEach(() => (popups = trackPopups()));
  afterEach(() => {
    unmount();
    popups.restore();
    document.body.replaceChildren();
  });
}

/** Clicks the element's button, and waits for the host to render its signed-in state (`.signed-in`). */
export async function signInThroughHost(element: Element, framework: string) {
  await clickSignIn(element);
  return waitFor(() => document.querySelector('.signed-in'), `${framework} to render the signed-in state`);
}
