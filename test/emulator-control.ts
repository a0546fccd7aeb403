// The browser tests' side of the emulator: its origin (the test runner names it), the shared control client
// (emulator/control-client.mjs) bound to it, and a popup recorder. No element is imported here, so tests of the built
// package (test/integration/) use it too.
import { emulatorControl, type NewClient } from '../emulator/control-client.mjs';

/** A client's settings at the emulator, its type among them. */
export type ClientSettings = NewClient;

declare global {
  interface Window {
    ARIES_EMULATOR: string;
  }
}

export const emulator = window.ARIES_EMULATOR;
export const control = emulatorControl(emulator);

/** A fresh client at the emulator, so each test has its own codes, limits and request log. */
export const createClient = async (settings: ClientSettings & { redirectUris: string[] }): Promise<string> =>
  (await control.createClient(settings)).clientId;

export const updateClient = (clientId: string, settings: ClientSettings) => control.updateClient(clientId, settings);

export type TokenFault = Record<string, unknown>;
export const queueTokenFaults = (clientId: string, token: TokenFault[]) => control.queueFaults(clientId, { token });

/** Aries' next API answers (any API route): `{ status, body, headers }`, `{ error, status }`, `{ drop: true }`… */
export const queueApiFaults = (clientId: string, api: TokenFault[]) => control.queueFaults(clientId, { api });

export interface SeenRequest {
  endpoint: 'authorize' | 'token' | 'profile' | 'api';
  method: string;
  origin?: string;
  contentType?: string;
  hasCookie: boolean;
  body: Record<string, string>;
  status: number;
  /** API calls: the path and query Aries got, and whether an Authorization header came. */
  path?: string;
  query?: Record<string, string>;
  hasAuthorization?: boolean;
}

/** What the emulator saw of this client, preflights left out. */
export const requestsOf = async (clientId: string, endpoint?: SeenRequest['endpoint']): Promise<SeenRequest[]> =>
  (await control.requests(clientId, { endpoint })) as unknown as SeenRequest[];

/** Records every window the page opens, passing the call through to the real `window.open`. */
export function recordPopups(win: Window = window) {
  const original = win.open;
  const popups: (Window | null)[] = [];
  win.open = function (...args: Parameters<typeof window.open>) {
    const popup = original.apply(win, args);
    popups.push(popup);
    return popup;
  };
  return {
    popups,
    restore() {
      win.open = original;
      for (const popup of popups) popup?.close();
    },
  };
}
