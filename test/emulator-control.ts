// The emulator's control API (clients, faults, request logs) and a popup recorder: no element is imported here,
// so tests of the built package (test/integration/) use it too.

declare global {
  interface Window {
    ARIES_EMULATOR: string;
  }
}

export const emulator = window.ARIES_EMULATOR;
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
export const createClient = async (settings: ClientSettings & { redirectUris: string[] }): Promise<string> =>
  (await control('/clients', { consent: 'approve', ...settings })).clientId;

export const updateClient = (clientId: string, settings: ClientSettings) =>
  control(`/clients/${clientId}`, settings, 'PATCH');

export type TokenFault = Record<string, unknown>;
export const queueTokenFaults = (clientId: string, token: TokenFault[]) =>
  control(`/clients/${clientId}/faults`, { token });

/** Aries' next API answers (any API route): `{ status, body, headers }`, `{ error, status }`, `{ drop: true }`… */
export const queueApiFaults = (clientId: string, api: TokenFault[]) => control(`/clients/${clientId}/faults`, { api });

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
  ((await control(`/clients/${clientId}/requests`)) as SeenRequest[]).filter(
    (r) => r.method !== 'OPTIONS' && (!endpoint || r.endpoint === endpoint),
  );

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
