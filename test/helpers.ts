// Test helpers: the emulator's control API, an element wired to it, and a window.open recorder.
import { fixture, html, oneEvent } from '@open-wc/testing';
import '../src/index.js';
import type { AriesLoginElement } from '../src/aries-login-element.js';
import type { AriesTokens } from '../src/token-client.js';

declare global {
  interface Window {
    ARIES_EMULATOR: string;
  }
}

export const emulator = window.ARIES_EMULATOR;
export const callbackUrl = new URL('/test/fixtures/callback.html', location.origin).href;

const control = async (path: string, body?: unknown, method = body ? 'POST' : 'GET') => {
  const response = await fetch(`${emulator}/__emulator${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${await response.text()}`);
  return response.json();
};

export interface ClientSettings {
  consent?: 'approve' | 'deny' | 'manual';
  redirectUris?: string[];
  coop?: boolean;
  type?: 'public' | 'confidential';
  rateLimit?: number;
  tokenLifetime?: number;
}

/** A fresh client at the emulator, so each test has its own codes, limits and request log. */
export const createClient = async (settings: ClientSettings = {}): Promise<string> =>
  (await control('/clients', { consent: 'approve', redirectUris: [callbackUrl], ...settings })).clientId;

export const updateClient = (clientId: string, settings: ClientSettings) => control(`/clients/${clientId}`, settings, 'PATCH');

export type TokenFault = Record<string, unknown>;
export const queueTokenFaults = (clientId: string, token: TokenFault[]) => control(`/clients/${clientId}/faults`, { token });

export interface SeenRequest {
  endpoint: 'authorize' | 'token' | 'profile';
  method: string;
  origin?: string;
  contentType?: string;
  hasCookie: boolean;
  body: Record<string, string>;
  status: number;
}

/** What the emulator saw of this client, preflights left out. */
export const requestsOf = async (clientId: string, endpoint?: SeenRequest['endpoint']): Promise<SeenRequest[]> =>
  ((await control(`/clients/${clientId}/requests`)) as SeenRequest[]).filter(
    (r) => r.method !== 'OPTIONS' && (!endpoint || r.endpoint === endpoint),
  );

/** An <aries-login> pointed at the emulator. */
export const mountElement = (clientId: string, attributes: Record<string, string> = {}) =>
  fixture<AriesLoginElement>(html`<aries-login
    client-id=${clientId}
    redirect-uri=${callbackUrl}
    authorize-url=${`${emulator}/oauth2/authorize`}
    token-url=${`${emulator}/v1/oauth2/token`}
  ></aries-login>`).then((element) => {
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element.updateComplete.then(() => element);
  });

export const buttonOf = (element: AriesLoginElement) => element.shadowRoot!.querySelector('button')!;

/** Clicks the button and resolves with the tokens of `aries-login-success`. */
export async function clickToSignIn(element: AriesLoginElement): Promise<AriesTokens> {
  const success = oneEvent(element, 'aries-login-success');
  buttonOf(element).click();
  return ((await success) as CustomEvent<AriesTokens>).detail;
}

/** Records every window the page opens, passing the call through to the real `window.open`. */
export function recordPopups() {
  const original = window.open;
  const popups: (Window | null)[] = [];
  window.open = function (...args: Parameters<typeof window.open>) {
    const popup = original.apply(window, args);
    popups.push(popup);
    return popup;
  };
  return {
    popups,
    restore() {
      window.open = original;
      for (const popup of popups) popup?.close();
    },
  };
}

export const waitFor = async (condition: () => boolean | Promise<boolean>, what: string, timeout = 10_000) => {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  await sleep(300); // a person reads before closing; the widget polls four times a second
}
