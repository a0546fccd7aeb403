/** Keeps a sign-in alive: refreshes through the backend before expiry, one tab at a time; reports expiry without one; signs out every tab. */
import { AriesLoginError } from './errors.js';
import type { AppWindow } from './popup-channel.js';
import { endBackendSession, refreshTokens, type AriesTokens } from './token-client.js';

export interface SessionHandlers {
  /** New tokens from the backend: a refresh, or a session restored on load. */
  renewed(tokens: AriesTokens, restored: boolean): void;
  /** The tokens are gone: they expired (no backend), the user signed out (here or in another tab), or a refresh failed. */
  ended(reason: 'expired' | 'logout' | AriesLoginError): void;
}

/** When to refresh: a minute ahead of expiry, or a quarter of the lifetime ahead for short-lived tokens. */
export const refreshDelay = ({ expiresAt, expiresIn }: AriesTokens, now: number): number =>
  Math.max(0, expiresAt - Math.min(60_000, expiresIn * 250) - now);

const CHANNEL = 'aries-login:session';
const LOGOUT = 'logout';

export class Session {
  private _timer?: ReturnType<typeof setTimeout>;
  private readonly _channel: BroadcastChannel;
  private _disposed = false;

  constructor(
    private readonly _win: AppWindow,
    /** Read when needed: a framework may set `backend-url` after the element is on the page. */
    private readonly _backendUrl: () => string | undefined,
    private readonly _requestTimeout: number,
    private readonly _on: SessionHandlers,
  ) {
    this._channel = new _win.BroadcastChannel(CHANNEL);
    // Another tab of this app signed out.
    this._channel.onmessage = ({ data }) => data === LOGOUT && this._end(LOGOUT);
  }

  /** Keeps `tokens` until expiry; with a backend, refreshes them ahead of it. */
  hold(tokens: AriesTokens): void {
    clearTimeout(this._timer);
    this._timer = this._backendUrl()
      ? setTimeout(() => void this.renew(false), refreshDelay(tokens, Date.now()))
      : setTimeout(() => this._end('expired'), tokens.expiresAt - Date.now());
  }

  /**
   * Asks the backend for its session's tokens. A Web Lock keeps tabs of this app from doing it at the same time; the
   * backend refreshes at Aries only when its token is close to expiry, so the next tab gets the fresh one.
   * On load (`restoring`), having no session is not an error: the user simply is not signed in.
   */
  renew(restoring: boolean): Promise<void> {
    const backendUrl = this._backendUrl()!;
    // (LockManager.request resolves with what its callback's promise resolves with; TypeScript's DOM types nest it.)
    const refreshed = this._win.navigator.locks.request(`aries-login:refresh:${backendUrl}`, () =>
      refreshTokens(this._win.fetch.bind(this._win), backendUrl, { timeout: this._requestTimeout }),
    ) as unknown as Promise<AriesTokens>;
    return refreshed.then(
      (tokens) => {
        if (this._disposed) return;
        this._on.renewed(tokens, restoring);
        this.hold(tokens);
      },
      (error: AriesLoginError) => {
        if (!restoring && !this._disposed) this._end(error);
      },
    );
  }

  /** Ends the session here, in the other tabs, and at the backend. */
  async signOut(): Promise<void> {
    this._channel.postMessage(LOGOUT);
    this._end(LOGOUT);
    const backendUrl = this._backendUrl();
    if (backendUrl && !(await endBackendSession(this._win.fetch.bind(this._win), backendUrl))) {
      throw new AriesLoginError('logout_failed');
    }
  }

  private _end(reason: 'expired' | 'logout' | AriesLoginError): void {
    clearTimeout(this._timer);
    this._on.ended(reason);
  }

  dispose(): void {
    this._disposed = true;
    clearTimeout(this._timer);
    this._channel.close();
  }
}
