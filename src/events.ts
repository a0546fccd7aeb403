/** The element's events, typed so that `addEventListener('aries-login-success', e => e.detail…)` is checked. */
import type { AriesLoginErrorDetail } from './errors.js';
import type { CompletedSignIn } from './relay-callback.js';
import type { AriesBackendSession, AriesTokens } from './token-client.js';

export interface AriesLoginStartDetail {
  mode: 'popup' | 'redirect' | 'auto';
}

/**
 * The tokens (`AriesTokens`), or with a backend that keeps them (`apiProxy`) its session (`AriesBackendSession`, no
 * token: check `tokenHeldBy` or `accessToken`); after a redirect sign-in also `returnTo`, the page where it started.
 */
export type AriesLoginSuccessDetail = CompletedSignIn;

/** Backend mode: the refreshed tokens, or the backend's session whose token it refreshed (`tokenHeldBy: 'backend'`). */
export type AriesTokenRefreshDetail = AriesTokens | AriesBackendSession;

export interface AriesTokenExpiredDetail {
  /** When the access token expired (epoch ms). */
  expiredAt: number;
}

export interface AriesTokenExpiringDetail {
  /** When the session ends (epoch ms). */
  expiresAt: number;
  /**
   * `token`: no backend, and the access token expires then (nothing can renew it). `session`: backend mode, and the
   * backend's own session ends then (its idle or absolute timeout).
   */
  reason: 'token' | 'session';
}

/** Nothing: the event itself says it all. */
export type AriesLogoutDetail = Record<string, never>;

export interface AriesLoginEventMap {
  /** Cancelable: `preventDefault()` stops the sign-in before anything opens. */
  'aries-login-start': CustomEvent<AriesLoginStartDetail>;
  'aries-login-success': CustomEvent<AriesLoginSuccessDetail>;
  'aries-login-error': CustomEvent<AriesLoginErrorDetail>;
  /** Backend mode: new tokens, refreshed ahead of expiry. */
  'aries-token-refresh': CustomEvent<AriesTokenRefreshDetail>;
  /** No backend: the access token expired and was dropped; the user must sign in again. */
  'aries-token-expired': CustomEvent<AriesTokenExpiredDetail>;
  /**
   * Cancelable: a session that will not be renewed ends in `expiring-notice` seconds. Unless prevented, the element
   * warns the user itself, with a "Stay signed in" button.
   */
  'aries-token-expiring': CustomEvent<AriesTokenExpiringDetail>;
  /** Signed out, here or in another tab of the app. */
  'aries-logout': CustomEvent<AriesLogoutDetail>;
}

// Every entry (index, define, element, callback) imports this module in its .d.ts, so that whichever one an app
// imports, `addEventListener('aries-login-success', …)` and framework event bindings see `detail`.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends AriesLoginEventMap {}
}

/** Dispatches a bubbling, composed event; false when a listener prevented it. */
export const dispatch = <K extends keyof AriesLoginEventMap>(
  target: EventTarget,
  type: K,
  detail: AriesLoginEventMap[K]['detail'],
  cancelable = false,
): boolean => target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
