/** `ariesFetch` of the package and of the element: Aries' API through the backend of an app's session (a backend with `apiProxy`), whose `session_expired` ends that session in every element and tab. */
import { appSessions } from './app-sessions.js';
import { AriesLoginError } from './errors.js';
import { described } from './get-access-token.js';
import type { SignedIn } from './signed-in.js';

export interface AriesFetchOptions {
  /** The app's `backend-url` (relative, or absolute): needed only when the page has elements of several backends. */
  backendUrl?: string;
}

/**
 * Aries' API (`path`, Aries' own: `/v1/users/me/accounts`) through the backend of the app `backendUrl` names (or of the
 * only app with a backend on the page): see `Session.fetchApi` and `ariesFetch` in aries-fetch.ts. Rejects with a
 * stable code and a readable message: `login_required` (no such app's session on the page, or nobody signed in),
 * `invalid_config` (several backends, and none named), `session_expired`, `insufficient_scope`, `rate_limited`,
 * `network_error`.
 */
export const ariesFetch = (path: string, init?: RequestInit, { backendUrl }: AriesFetchOptions = {}) =>
  described(() => appSessions.findBackend(backendUrl, document.baseURI).session.fetchApi(path, init));

/** The same for an element: its own app's backend (`invalid_config` without a `backend-url`). */
export const elementAriesFetch = (signedIn: SignedIn | undefined, path: string, init?: RequestInit) =>
  described(() => (signedIn ? signedIn.fetchApi(path, init) : Promise.reject(new AriesLoginError('login_required'))));
