/** Keeps an app's sign-in alive: fresh tokens on demand and before expiry (through the backend, one tab at a time), Aries' API through a backend that keeps the tokens, a warning before an end nothing renews, checks on resume, and every tab of the app in step. */
import { ariesFetch } from './aries-fetch.js';
import { invalid } from './config.js';
import { toAriesLoginError } from './error-messages.js';
import { AriesLoginError } from './errors.js';
import type { AriesTokenExpiringDetail } from './events.js';
import type { AppWindow } from './popup-channel.js';
import { endBackendSession, refreshTokens, sessionEnds, type SignedInSession } from './token-client.js';

export interface SessionHandlers {
  /**
   * Tokens held: `signedIn` for a sign-in (here, or in another tab of a backend-mode app) or a session restored from the
   * backend; else a refresh.
   */
  renewed(tokens: SignedInSession, signedIn: boolean): void;
  /** A refresh failed but the tokens are still valid: reported, kept, and retried before expiry. */
  troubled(error: AriesLoginError): void;
  /** The tokens are gone: they expired, the user signed out (here or in another tab), or the backend ended the session. */
  ended(reason: 'expired' | 'logout' | AriesLoginError): void;
  /** A session that will not be renewed ends at `expiresAt`: told once per end, the notice's lead time before it. */
  expiring(detail: AriesTokenExpiringDetail): void;
  /** No backend: another tab of the app signed in (true) while this one is signed out, or that is over (false). */
  signedInElsewhere(signedIn: boolean): void;
}

export interface SessionOptions {
  /** Backend mode: the backend's resolved URL; none without a backend. */
  backendUrl?: string;
  /** The app's BroadcastChannel: every tab of this app, and only of it, listens there. */
  channel: string;
  /** Ms before an unanswered backend request ends in `network_error`. */
  requestTimeout: number;
  /** Ms before the end of a session nothing renews at which `expiring` is told (0: never); read when tokens arrive. */
  notice: () => number;
}

/** The longest a setTimeout can wait (about 24.8 days); a longer delay fires at once, so it is re-armed in steps. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;
/** Never two refreshes closer than this, whatever lifetimes the wire claims: no input can make a tab spin on /refresh. */
export const MIN_REFRESH_DELAY = 2_000;
/** On resume, the backend is asked again at most this often: a window whose focus or visibility flaps costs nothing. */
export const MIN_RESUME_ASK_DELAY = 10_000;
/**
 * Two ends this close are one: a backend says how long its session has left in whole seconds, so the end read from
 * each answer moves a little; the notice of an end is not given again for that.
 */
const SAME_END = 5_000;
/**
 * A backend that keeps the token tells only how long it lasts, in whole seconds: two answers whose expiries are this
 * close are the same token (a refreshed one lasts at least half a lifetime longer).
 */
const SAME_TOKEN = 2_000;
/** Retries after a transient failure: 2 s, 4 s, 8 s… up to a minute apart. */
const FIRST_RETRY_DELAY = 2_000;
const MAX_REFRESH_RETRY_DELAY = 60_000;

/** When to refresh: a minute ahead of expiry, or a quarter of the lifetime ahead for short-lived tokens; never at once. */
export const refreshAt = ({ expiresAt, expiresIn }: SignedInSession, now: number): number =>
  // (NaN from a broken token reads as "now": the minimum gap still applies.)
  Math.max(now + MIN_REFRESH_DELAY, expiresAt - Math.min(60_000, expiresIn * 250) || 0);

/**
 * What tabs tell each other: never a token. `until` (epoch ms) is when a public-mode sign-in's token expires.
 * `session-expired`: the backend said its session is gone; the others ask it too (it is the judge, not the message).
 */
export type TabMessage =
  { type: 'signed-in'; until?: number } | { type: 'refreshed' } | { type: 'signed-out' } | { type: 'session-expired' };

/** The session's timers: the refresh (or, without a backend, the expiry), the expiring notice, another tab's sign-in. */
type Slot = 'renew' | 'notice' | 'elsewhere';

export class Session {
  readonly #timers: Partial<Record<Slot, { at: number; run: () => void; handle: number }>> = {};
  readonly #channel: BroadcastChannel;
  /** The tokens held (or the backend's session that holds them), whose expiry bounds every retry. */
  #tokens?: SignedInSession;
  /** Backend mode: when the backend's own session ends (epoch ms), as its last answer said. */
  #sessionEndsAt?: number;
  /** The end the expiring notice was told for, while it is still the session's end: once per end. */
  #noticed?: number;
  /** The one backend request in flight, shared by every caller. */
  #inFlight?: Promise<SignedInSession | AriesLoginError>;
  /** When the backend was last asked (epoch ms): a resume asks again only after MIN_RESUME_ASK_DELAY. */
  #askedAt = -Infinity;
  #failures = 0;
  /** Bumped when the session ends, a sign-in replaces it, or it is disposed: an answer in flight then is dropped. */
  #generation = 0;
  #disposed = false;
  /** No backend: another tab of the app is signed in. */
  elsewhere = false;

  readonly #win: AppWindow;
  readonly #options: SessionOptions;
  readonly #on: SessionHandlers;

  constructor(win: AppWindow, options: SessionOptions, on: SessionHandlers) {
    this.#win = win;
    this.#options = options;
    this.#on = on;
    this.#channel = new win.BroadcastChannel(options.channel);
    this.#channel.onmessage = ({ data }: MessageEvent<TabMessage | null>) => this.#heard(data);
  }

  /** The tokens, while the access token is valid: an expired one is never handed out, even before its timer has run. */
  get tokens(): SignedInSession | null {
    const tokens = this.#tokens;
    return tokens && tokens.expiresAt > this.#win.Date.now() ? tokens : null;
  }

  /** The end the expiring notice was given for, while the session still ends then. */
  get noticed(): number | undefined {
    return this.#noticed;
  }

  /** When the session ends unless a sign-in renews it: the token's expiry without a backend; with one, the backend's session's. */
  get endsAt(): number | undefined {
    return this.#options.backendUrl ? this.#sessionEndsAt : this.#tokens?.expiresAt;
  }

  /** A sign-in's tokens: held, told to the handlers, and told to the app's other tabs (without the token). */
  signIn(tokens: SignedInSession): void {
    if (this.#disposed) return;
    this.#generation++;
    this.#setElsewhere(false);
    this.#hold(tokens);
    this.#post({ type: 'signed-in', until: this.#options.backendUrl ? undefined : tokens.expiresAt });
    this.#on.renewed(tokens, true);
  }

  /** Keeps `tokens` until expiry; with a backend, refreshes them ahead of it. Schedules the expiring notice. */
  #hold(tokens: SignedInSession): void {
    const backend = this.#options.backendUrl;
    const now = this.#win.Date.now();
    this.#tokens = tokens;
    this.#failures = 0;
    this.#sessionEndsAt = sessionEnds.get(tokens) ?? this.#sessionEndsAt;
    if (backend) this.#at('renew', refreshAt(tokens, now), () => void this.renew());
    else this.#at('renew', tokens.expiresAt, () => this.#end('expired'));
    // What nothing here renews: the token without a backend; with one, the backend's own session.
    const end = this.endsAt;
    const notice = this.#options.notice();
    if (end !== undefined && this.#noticed !== undefined && Math.abs(end - this.#noticed) <= SAME_END) {
      return this.#clear('notice');
    }
    this.#noticed = undefined;
    // (A lead time of 0 asks for no notice.)
    if (end === undefined || !notice) return this.#clear('notice');
    this.#at('notice', end - notice, () => {
      this.#noticed = end;
      this.#on.expiring({ expiresAt: end, reason: backend ? 'session' : 'token' });
    });
  }

  /**
   * Asks the backend for its session's tokens. A Web Lock keeps tabs of this app from doing it at the same time; the
   * backend refreshes at Aries only when its token is close to expiry, so the next tab gets the fresh one. Resolves
   * with the tokens, or with the error (already handled here). `signedIn`: new tokens are told as a sign-in (another
   * tab signed in). Signed out here, having no session is not an error: the user simply is not signed in.
   */
  renew(signedIn = false): Promise<SignedInSession | AriesLoginError> {
    return (this.#inFlight ??= this.#renew(signedIn).finally(() => (this.#inFlight = undefined)));
  }

  async #renew(signedIn: boolean): Promise<SignedInSession | AriesLoginError> {
    const backendUrl = this.#options.backendUrl!;
    const generation = this.#generation;
    const held = this.#tokens;
    this.#askedAt = this.#win.Date.now();
    let answer: SignedInSession | AriesLoginError;
    try {
      answer = await this.#win.navigator.locks.request(`aries-login:refresh:${backendUrl}`, () =>
        refreshTokens(this.#win.fetch.bind(this.#win), backendUrl, { timeout: this.#options.requestTimeout }),
      );
    } catch (error) {
      answer = toAriesLoginError(error);
    }
    // Signed out, or replaced by a sign-in, meanwhile: this answer is for a session that is gone.
    if (generation !== this.#generation) return new AriesLoginError('login_required');
    if (answer instanceof AriesLoginError) {
      // Only the backend saying its session is gone ends the tokens; any other failure may pass.
      if (!held) return answer;
      if (answer.code === 'session_expired') this.#expired(answer);
      else this.#retry(answer);
    } else {
      this.#hold(answer);
      if (!held || signedIn) this.#on.renewed(answer, true);
      // (A backend that keeps the token names none: a later expiry is a new one.)
      else if (
        answer.accessToken ? answer.accessToken !== held.accessToken : answer.expiresAt - held.expiresAt > SAME_TOKEN
      ) {
        this.#on.renewed(answer, false);
        this.#post({ type: 'refreshed' });
      }
    }
    return answer;
  }

  /** A transient failure: reported, the tokens kept while valid, and another try before they expire (with backoff). */
  #retry(error: AriesLoginError): void {
    const now = this.#win.Date.now();
    const expiresAt = this.#tokens?.expiresAt ?? now;
    if (expiresAt <= now) return this.#end('expired');
    this.#on.troubled(error);
    const backoff = Math.min(MAX_REFRESH_RETRY_DELAY, FIRST_RETRY_DELAY * 2 ** Math.min(this.#failures++, 10));
    // Aries' rate limit says when to come back (an epoch time, read against Date.now() like it was written); it is
    // waited for, but never beyond the token's life.
    const wanted = now + Math.max(backoff, (error.retryAt ?? 0) - Date.now());
    const lastChance = expiresAt - 1_000;
    if (lastChance > now) this.#at('renew', Math.min(wanted, lastChance), () => void this.renew());
    else this.#at('renew', expiresAt, () => this.#end('expired'));
  }

  /**
   * An access token valid for at least `minValidity` seconds. With a backend, one that would not last is refreshed first
   * (joining the refresh in flight, if any); the backend answers its current token while it is fresh, so it decides how
   * fresh the answer is. Rejects with `login_required` when there is no session (or, without a backend, the token would
   * not last), with the backend's error when it could not answer (`session_expired`: its session is gone), and with
   * `token_held_by_backend` when the backend keeps the token (`apiProxy`): none is ever in the page.
   */
  async getAccessToken(minValidity = 30): Promise<string> {
    let held: SignedInSession | AriesLoginError | undefined = this.#tokens;
    if (!held?.tokenHeldBy && (!held || held.expiresAt - this.#win.Date.now() < minValidity * 1000)) {
      if (!this.#options.backendUrl || !(held || this.#inFlight)) throw new AriesLoginError('login_required');
      const answer = await this.renew();
      if (answer instanceof AriesLoginError && !held) throw new AriesLoginError('login_required');
      held = answer;
    }
    if (held instanceof AriesLoginError) throw held;
    if (held.tokenHeldBy) throw new AriesLoginError('token_held_by_backend');
    return held.accessToken;
  }

  /**
   * Aries' API through the backend's proxy (see `ariesFetch`): `login_required` without a request while nobody is
   * signed in (a restore in flight is waited for). The proxy's `session_expired` ends the session, here and in the app's
   * other tabs, as the backend's refusal of a refresh does (unless a sign-in replaced it meanwhile); any other failure
   * is only the caller's.
   */
  async fetchApi(path: string, init?: RequestInit): Promise<Response> {
    const backendUrl = this.#options.backendUrl;
    if (!backendUrl) throw invalid('backend-url', 'required');
    if (!this.#tokens) await this.#inFlight;
    if (!this.#tokens) throw new AriesLoginError('login_required');
    const generation = this.#generation;
    try {
      return await ariesFetch(backendUrl, path, init, this.#win.fetch.bind(this.#win));
    } catch (error) {
      if ((error as AriesLoginError).code === 'session_expired' && generation === this.#generation) {
        this.#expired(error as AriesLoginError);
      }
      throw error;
    }
  }

  /**
   * The page is back (shown, visible, online, focused, unfrozen): whatever came due while its timers were held runs now.
   * `missed`: it was hidden, frozen, offline or in the back/forward cache, so another tab may have signed in or out
   * unheard; with a backend, it is asked again (at most every MIN_RESUME_ASK_DELAY).
   */
  resume(missed: boolean): void {
    const now = this.#win.Date.now();
    for (const [slot, timer] of Object.entries(this.#timers)) {
      // (One that ran before may have cleared this one: the session ended.)
      if (this.#timers[slot as Slot] !== timer) continue;
      if (timer.at <= now) {
        this.#clear(slot as Slot);
        timer.run();
      } else this.#at(slot as Slot, timer.at, timer.run);
    }
    if (missed && this.#options.backendUrl && now - this.#askedAt >= MIN_RESUME_ASK_DELAY) void this.renew();
  }

  /** What another tab of this app said. */
  #heard(message: TabMessage | null): void {
    if (message?.type === 'signed-out') {
      // (Signed out here: a restore in flight is dropped, as the backend's session is gone.)
      if (this.#tokens) this.#end('logout');
      else this.#generation++;
      this.#setElsewhere(false);
    } else if (message?.type === 'signed-in') {
      // With a backend the cookie is shared: this tab takes the session it now holds (a new user's, perhaps).
      if (this.#options.backendUrl) void this.renew(true);
      else if (!this.#tokens) {
        this.#setElsewhere(true);
        if (typeof message.until === 'number') this.#at('elsewhere', message.until, () => this.#setElsewhere(false));
      }
    } else if (message?.type === 'refreshed' && this.#failures) {
      // Another tab got through: the backend holds a fresh token, so this tab's retry need not wait its backoff.
      void this.renew();
    } else if (message?.type === 'session-expired' && this.#options.backendUrl && this.#tokens) {
      // Another tab heard that the backend's session is gone: this tab asks the backend, which ends it here too.
      void this.renew();
    }
  }

  #setElsewhere(signedIn: boolean): void {
    if (!signedIn) this.#clear('elsewhere');
    if (this.elsewhere === signedIn) return;
    this.elsewhere = signedIn;
    this.#on.signedInElsewhere(signedIn);
  }

  #post(message: TabMessage): void {
    this.#channel.postMessage(message);
  }

  /** Runs `run` at `at` (epoch ms): bounded to what setTimeout can wait, and re-armed until then. */
  #at(slot: Slot, at: number, run: () => void): void {
    this.#clear(slot);
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, at - this.#win.Date.now()));
    const handle = this.#win.setTimeout(() => {
      if (this.#win.Date.now() < at) this.#at(slot, at, run);
      else {
        delete this.#timers[slot];
        run();
      }
    }, delay);
    this.#timers[slot] = { at, run, handle };
  }

  #clear(slot: Slot): void {
    this.#win.clearTimeout(this.#timers[slot]?.handle);
    delete this.#timers[slot];
  }

  /** Ends the session here, in the other tabs, and at the backend (retried with backoff before `logout_failed`). */
  async signOut(): Promise<void> {
    if (this.#disposed) return;
    this.#post({ type: 'signed-out' });
    this.#end('logout');
    const backendUrl = this.#options.backendUrl;
    // A logout the backend did not confirm (its answer lost, its store down for a moment) is tried again, 0.5 s and
    // then 1.5 s later, before it is reported.
    for (let tries = 0; backendUrl && !(await endBackendSession(this.#win.fetch.bind(this.#win), backendUrl));) {
      if (++tries > 2) throw new AriesLoginError('logout_failed');
      await new Promise((resolve) => this.#win.setTimeout(resolve, tries * 1_000 - 500));
    }
  }

  /** The backend's session is gone: ended here, and the app's other tabs are told to ask the backend. */
  #expired(error: AriesLoginError): void {
    this.#post({ type: 'session-expired' });
    this.#end(error);
  }

  #end(reason: 'expired' | 'logout' | AriesLoginError): void {
    this.#generation++;
    this.#clear('renew');
    this.#clear('notice');
    this.#tokens = this.#sessionEndsAt = this.#noticed = undefined;
    this.#on.ended(reason);
  }

  dispose(): void {
    this.#disposed = true;
    this.#generation++;
    for (const slot of Object.keys(this.#timers)) this.#clear(slot as Slot);
    this.#channel.close();
  }
}
