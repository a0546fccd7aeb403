// App windows of backend mode for the end-to-end tests: the redirect fixture with a backend, opened as a person opens a
// tab, each outcome it records read from the test.
import type { AriesLoginElement } from '../../src/aries-login-element.js';
import type { AriesLoginErrorDetail } from '../../src/errors.js';
import type { AriesBackendSession, AriesTokens } from '../../src/token-client.js';
import { createBackendClient, emulator, inUserGesture, recordPopups, updateClient, waitFor } from '../helpers.js';

export const fixture = (query: Record<string, string>) =>
  new URL(`/test/fixtures/redirect-app.html?${new URLSearchParams(query)}`, location.origin).href;

export interface Outcome {
  type: string;
  detail: (AriesTokens | AriesBackendSession) & AriesLoginErrorDetail & { returnTo?: string };
}
type FixtureWindow = Window & { outcomes: Outcome[] };

const windows: Window[] = [];

/** For a test file that opens windows: after each test, every window it opened is closed (popups and app windows). */
export function closeWindowsAfterEach() {
  let recorder: ReturnType<typeof recordPopups>;
  beforeEach(() => (recorder = recordPopups()));
  afterEach(() => {
    recorder.restore();
    windows.splice(0).forEach((w) => w.close());
  });
}

export const readOutcomes = (win: Window): Outcome[] => {
  try {
    return (win as FixtureWindow).outcomes ?? [];
  } catch {
    return []; // on Aries' page
  }
};
export const waitForOutcome = async (win: Window, type: string, timeout = 15_000) => {
  await waitFor(() => readOutcomes(win).some((o) => o.type === type), type, timeout);
  return readOutcomes(win).filter((o) => o.type === type);
};

/** The app page as its own redirect URI, configured with the backend, as an app's callback page would be. */
export const appRedirectUri = (basePath: string) => fixture({ backend: basePath });

/** A client whose redirect URI is the app page with its backend (with `apiProxy`, a backend that keeps the tokens). */
export async function createBackendApp(settings: Parameters<typeof createBackendClient>[0] = {}) {
  const client = await createBackendClient(settings);
  await updateClient(client.clientId, { redirectUris: [appRedirectUri(client.basePath)] });
  return client;
}

/** An app window (a tab, opened by a person's click) with a redirect-mode button that uses the backend. */
export async function openBackendApp(clientId: string, basePath: string) {
  const redirectUri = appRedirectUri(basePath);
  const url = fixture({ client: clientId, emulator, redirect: redirectUri, backend: basePath });
  const win = (await inUserGesture(() => window.open(url, '_blank')))!;
  windows.push(win);
  await waitFor(() => {
    try {
      return win.document.readyState === 'complete' && !!win.customElements.get('aries-login');
    } catch {
      return false;
    }
  }, 'the app window');
  return win as FixtureWindow;
}
export const elementIn = (win: Window) => win.document.querySelector('aries-login') as AriesLoginElement;

/** Reloads `win` and waits for the new page's element (a fixed pause would read the old page on a slow machine). */
export async function reload(win: Window) {
  const before = win.document;
  win.location.reload();
  await waitFor(() => {
    try {
      return win.document !== before && win.document.readyState === 'complete' && !!elementIn(win);
    } catch {
      return false;
    }
  }, 'the reloaded page');
}
