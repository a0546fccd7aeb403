/** The element's signed-in state: the tokens in memory, their refresh or expiry, sign-out, and who signed in. */
import type { ReactiveController } from 'lit';
import type { AriesLoginElement } from './aries-login-element.js';
import { resolveBackendUrl } from './config.js';
import type { AriesLoginError } from './errors.js';
import { dispatch, type AriesLoginEventMap } from './events.js';
import { fetchUserName } from './profile.js';
import { Session, type SessionHandlers } from './session.js';
import type { AriesTokens } from './token-client.js';

/**
 * Lives in the flow, not in the button: a page pays for it only once someone signs in (or a backend session may be
 * restored). Lit connects and disconnects it with the element, so a removed element keeps no timer or channel.
 */
export class SignedIn implements ReactiveController, SessionHandlers {
  /** The signed-in user's tokens, or null. */
  tokens: AriesTokens | null = null;
  /** With `show-user`: the name Aries' profile API gave. */
  user?: string;
  #session?: Session;
  /** The backend a session was last restored from, so that each `backend-url` is asked once per connection. */
  #restoredFrom?: string;

  readonly #host: AriesLoginElement;
  /** Reports an error as `aries-login-error`, the way the element reports all of them. */
  readonly #fail: (error: unknown) => void;

  constructor(host: AriesLoginElement, fail: (error: unknown) => void) {
    this.#host = host;
    this.#fail = fail;
    host.addController(this);
  }

  /** The resolved `backend-url`; a bad one reads as none here and is reported, with the attribute named, on click. */
  #backendUrl(): string | undefined {
    try {
      return resolveBackendUrl(this.#host.backendUrl, document.baseURI);
    } catch {
      return undefined;
    }
  }

  hostConnected(): void {
    this.#session = new Session(window, () => this.#backendUrl(), this.#host.requestTimeout * 1000, this);
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

  /** A sign-in's tokens: kept, told to the page, and held until expiry (refreshed ahead of it in backend mode). */
  signedIn(tokens: AriesTokens): void {
    this.#keep(tokens, 'aries-login-success');
    this.#session?.hold(tokens);
  }

  /** Keeps `tokens`, tells the page, and looks up who signed in. */
  #keep(tokens: AriesTokens, type: keyof AriesLoginEventMap): void {
    const host = this.#host;
    this.tokens = tokens;
    host.toggleAttribute('signed-in', true);
    host.requestUpdate();
    dispatch(host, type, tokens);
    if (host.showUser && !this.user) {
      void fetchUserName(fetch, host.tokenUrl, tokens).then((name) => {
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

  /** A refresh failed for now: the page hears of it, the tokens stay while they are valid (the session retries). */
  troubled(error: AriesLoginError): void {
    this.#fail(error);
  }

  ended(reason: 'expired' | 'logout' | AriesLoginError): void {
    const host = this.#host;
    const expiredAt = this.tokens?.expiresAt ?? Date.now();
    this.tokens = null;
    this.user = undefined;
    host.toggleAttribute('signed-in', false);
    host.requestUpdate();
    if (reason === 'expired') dispatch(host, 'aries-token-expired', { expiredAt });
    else if (reason === 'logout') dispatch(host, 'aries-logout', {});
    else this.#fail(reason);
  }

  /** Drops the tokens, ends the backend's session if there is one, and signs out the app's other tabs too. */
  signOut(): Promise<void> | undefined {
    return this.#session?.signOut();
  }
}
