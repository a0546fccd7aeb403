/** Keeps a sign-in alive: refreshes through the backend before expiry, one tab at a time, riding out transient failures; reports expiry without one; signs out every tab. */
import { AriesLoginError } from './errors.js';
import type { AppWindow } from './popup-channel.js';
import { endBackendSession, refreshTokens, type AriesTokens } from './token-client.js';

export interface SessionHandlers {
  /** New tokens from the backend: a refresh, or a session restored on load. */
  renewed(tokens: AriesTokens, restored: boolean): void;
  /** A refresh failed but the tokens are still valid: reported, kept, and retried before expiry. */
  troubled(error: AriesLoginError): void;
  /** The tokens are gone: they expired, the user signed out (here or in another tab), or the backend ended the session. */
  ended(reason: 'expired' | 'logout' | AriesLoginError): void;
}

/** The longest a setTimeout can wait (about 24.8 days); a longer delay fires at once, so it is re-armed in steps. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;
/** Never two refreshes closer than this, whatever lifetimes the wire claims: no input can make a tab spin on /refresh. */
export const MIN_REFRESH_DELAY = 2_000;
/** Retries after a transient failure: 2 s, 4 s, 8 s… up to a minute apart. */
const FIRST_RETRY_DELAY = 2_000;
const MAX_REFRESH_RETRY_DELAY = 60_000;

/** When to refresh: a minute ahead of expiry, or a quarter of the lifetime ahead for short-lived tokens; never at once. */
export const refreshAt = ({ expiresAt, expiresIn }: AriesTokens, now: number): number =>
  // (NaN from a broken token reads as "now": the minimum gap still applies.)
  Math.max(now + MIN_REFRESH_DELAY, expiresAt - Math.min(60_000, expiresIn * 250) || 0);

const CHANNEL = 'aries-login:session';
const LOGOUT = 'logout';

export class Session {
  private _timer?: number;
  private readonly _channel: BroadcastChannel;
  /** The tokens held, whose expiry bounds every retry. */
  private _tokens?: AriesTokens;
  /** The one refresh in flight, shared by every caller. */
  private _inFlight?: Promise<void>;
  private _failures = 0;
  /** Bumped when the session ends or is disposed: a refresh that was in flight then cannot bring the tokens back. */
  private _generation = 0;

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
    this._tokens = tokens;
    this._failures = 0;
    if (this._backendUrl()) this._at(refreshAt(tokens, this._win.Date.now()), () => void this.renew(false));
    else this._at(tokens.expiresAt, () => this._end('expired'));
  }

  /**
   * Asks the backend for its session's tokens. A Web Lock keeps tabs of this app from doing it at the same time; the
   * backend refreshes at Aries only when its token is close to expiry, so the next tab gets the fresh one.
   * On load (`restoring`), having no session is not an error: the user simply is not signed in.
   */
  renew(restoring: boolean): Promise<void> {
    return (this._inFlight ??= this._renew(restoring).finally(() => (this._inFlight = undefined)));
  }

  private _renew(restoring: boolean): Promise<void> {
    const backendUrl = this._backendUrl()!;
    const generation = this._generation;
    // (LockManager.request resolves with what its callback's promise resolves with; TypeScript's DOM types nest it.)
    const refreshed = this._win.navigator.locks.request(`aries-login:refresh:${backendUrl}`, () =>
      refreshTokens(this._win.fetch.bind(this._win), backendUrl, { timeout: this._requestTimeout }),
    ) as unknown as Promise<AriesTokens>;
    return refreshed.then(
      (tokens) => {
        if (generation !== this._generation) return;
        this._on.renewed(tokens, restoring);
        this.hold(tokens);
      },
      (error: AriesLoginError) => {
        if (restoring || generation !== this._generation) return;
        // Only the backend saying its session is gone ends the tokens; any other failure may pass.
        if (error.code === 'session_expired') this._end(error);
        else this._retry(error);
      },
    );
  }

  /** A transient failure: reported, the tokens kept while valid, and another try before they expire (with backoff). */
  private _retry(error: AriesLoginError): void {
    const now = this._win.Date.now();
    const expiresAt = this._tokens?.expiresAt ?? now;
    if (expiresAt <= now) return this._end('expired');
    this._on.troubled(error);
    const backoff = Math.min(MAX_REFRESH_RETRY_DELAY, FIRST_RETRY_DELAY * 2 ** Math.min(this._failures++, 10));
    // Aries' rate limit says when to come back (an epoch time, read against Date.now() like it was written); it is
    // waited for, but never beyond the token's life.
    const wanted = now + Math.max(backoff, (error.retryAt ?? 0) - Date.now());
    const lastChance = expiresAt - 1_000;
    if (lastChance > now) this._at(Math.min(wanted, lastChance), () => void this.renew(false));
    else this._at(expiresAt, () => this._end('expired'));
  }

  /** Runs `callback` at `at` (epoch ms): bounded to what setTimeout can wait, and re-armed until then. */
  private _at(at: number, callback: () => void): void {
    this._win.clearTimeout(this._timer);
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, at - this._win.Date.now()));
    this._timer = this._win.setTimeout(() => {
      if (this._win.Date.now() < at) this._at(at, callback);
      else callback();
    }, delay);
  }

  /** Ends the session here, in the other tabs, and at the backend (retried with backoff before `logout_failed`). */
  async signOut(): Promise<void> {
    this._channel.postMessage(LOGOUT);
    this._end(LOGOUT);
    const backendUrl = this._backendUrl();
    // A logout the backend did not confirm (its answer lost, its store down for a moment) is tried again, 0.5 s and
    // then 1.5 s later, before it is reported.
    for (let tries = 0; backendUrl && !(await endBackendSession(this._win.fetch.bind(this._win), backendUrl));) {
      if (++tries > 2) throw new AriesLoginError('logout_failed');
      await new Promise((resolve) => this._win.setTimeout(resolve, tries * 1_000 - 500));
    }
  }

  private _end(reason: 'expired' | 'logout' | AriesLoginError): void {
    this._generation++;
    this._win.clearTimeout(this._timer);
    this._tokens = undefined;
    this._on.ended(reason);
  }

  dispose(): void {
    this._generation++;
    this._win.clearTimeout(this._timer);
    this._channel.close();
  }
}
