/** The element's signed-in state: the tokens in memory, their refresh or expiry, sign-out, and who signed in. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { resolveBackendUrl } from './config.js';
import type { AriesLoginError } from './errors.js';
import type { AriesLoginEventMap } from './events.js';
import type { AppWindow } from './popup-channel.js';
import { fetchUserName } from './profile.js';
import { Session, type SessionHandlers } from './session.js';
import type { AriesTokens } from './token-client.js';

/** What the signed-in state reads from its host: the configuration, as set when it is needed. */
export interface SignedInHost extends ReactiveControllerHost {
  /** The `backend-url` as set (relative or absolute), if any. */
  readonly backendUrl?: string;
  readonly tokenUrl: string;
  /** Seconds. */
  readonly requestTimeout: number;
  readonly showUser: boolean;
}

/** The events the signed-in state has its host fire. */
export type SignedInEvent = 'aries-login-success' | 'aries-token-refresh' | 'aries-token-expired' | 'aries-logout';

/** What the host hears: it shows whether the user is signed in, and tells the page. */
export interface SignedInHandlers {
  /**
   * Tokens kept (`signedIn`: a sign-in's, a restored session's or a refresh's) or gone (expired, or signed out here or
   * in another tab): the page hears `type` with `detail`.
   */
  changed<K extends SignedInEvent>(signedIn: boolean, type: K, detail: AriesLoginEventMap[K]['detail']): void;
  /**
   * An error for the page: a refresh failed for now (`signedIn`: the tokens stay while they are valid, and the session
   * retries), or the backend ended the session.
   */
  failed(error: AriesLoginError, signedIn: boolean): void;
}

/**
 * Lives in the flow, not in the button: a page pays for it only once someone signs in (or a backend session may be
 * restored). Lit connects and disconnects it with the host, so a removed element keeps no timer or channel.
 */
export class SignedIn implements ReactiveController, SessionHandlers {
  /** The signed-in user's tokens, or null. */
  tokens: AriesTokens | null = null;
  /** With `show-user`: the name Aries' profile API gave. */
  user?: string;
  readonly #host: SignedInHost;
  readonly #win: AppWindow;
  readonly #on: SignedInHandlers;
  #session?: Session;
  /** The backend a session was last restored from, so that each `backend-url` is asked once per connection. */
  #restoredFrom?: string;

  constructor(host: SignedInHost, win: AppWindow, on: SignedInHandlers) {
    this.#host = host;
    this.#win = win;
    this.#on = on;
    host.addController(this);
  }

  /** The resolved `backend-url`; a bad one reads as none here and is reported, with the attribute named, on click. */
  #backendUrl(): string | undefined {
    try {
      return resolveBackendUrl(this.#host.backendUrl, this.#win.document.baseURI);
    } catch {
      return undefined;
    }
  }

  hostConnected(): void {
    this.#session = new Session(this.#win, () => this.#backendUrl(), this.#host.requestTimeout * 1000, this);
    if (this.tokens) this.#session.hold(this.tokens);
    else this.hostUpdated();
  }

  /** A page opened while the backend holds a session is signed in without a popup (also when `backend-url` is set late). */
  hostUpdated(): void {
    const backendUrl = this.#backendUrl();
    if (backendUrl && backendUrl !== this.#restoredFrom && !this.tokens) {
      this.#restoredFrom = backendUrl;
      void this.#session?.renew(true);
    }
  }

  hostDisconnected(): void {
    this.#session?.dispose();
    this.#session = this.#restoredFrom = undefined;
  }

  /** A sign-in's tokens: kept, told to the host, and held until expiry (refreshed ahead of it in backend mode). */
  signedIn(tokens: AriesTokens): void {
    this.#keep(tokens, 'aries-login-success');
    this.#session?.hold(tokens);
  }

  /** Keeps `tokens`, tells the host, and looks up who signed in. */
  #keep(tokens: AriesTokens, type: 'aries-login-success' | 'aries-token-refresh'): void {
    const host = this.#host;
    this.tokens = tokens;
    host.requestUpdate();
    this.#on.changed(true, type, tokens);
    if (host.showUser && !this.user) {
      void fetchUserName(this.#win.fetch.bind(this.#win), host.tokenUrl, tokens).then((name) => {
        if (this.tokens === tokens) {
          this.user = name;
          host.requestUpdate();
        }
      });
    }
  }

  /** From the session, which holds the new tokens itself. */
  renewed(tokens: AriesTokens, restored: boolean): void {
    this.#keep(tokens, restored ? 'aries-login-success' : 'aries-token-refresh');
  }

  troubled(error: AriesLoginError): void {
    this.#on.failed(error, true);
  }

  ended(reason: 'expired' | 'logout' | AriesLoginError): void {
    const expiredAt = this.tokens?.expiresAt ?? Date.now();
    this.tokens = null;
    this.user = undefined;
    this.#host.requestUpdate();
    if (reason === 'expired') this.#on.changed(false, 'aries-token-expired', { expiredAt });
    else if (reason === 'logout') this.#on.changed(false, 'aries-logout', {});
    else this.#on.failed(reason, false);
  }

  /** Drops the tokens, ends the backend's session if there is one, and signs out the app's other tabs too. */
  signOut(): Promise<void> | undefined {
    return this.#session?.signOut();
  }
}
