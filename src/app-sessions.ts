/** One session per app on the page (its client id, backend and token endpoint), shared by every element of that app, and kept a moment after the last one leaves so that a re-parent or a remount keeps it. */
import { invalid, resolveBackendUrl } from './config.js';
import { AriesLoginError } from './errors.js';
import { watchResume } from './page-resume.js';
import type { AppWindow } from './popup-channel.js';
import { Session, type SessionHandlers } from './session.js';

/** What identifies an app, and how its session talks to the backend. */
export interface AppConfig {
  clientId: string;
  /** Resolved; none without a backend. */
  backendUrl?: string;
  tokenUrl: string;
  /** Ms before an unanswered backend request ends in `network_error`. */
  requestTimeout: number;
}

/** An element of the app, as its session sees it: it hears everything the session tells. */
export interface Member extends SessionHandlers {
  /** Ms before a session's end at which it wants the expiring notice. */
  readonly notice: number;
}

/**
 * The key of an app: its session, channel and everything else are shared by the elements that have the same. With a
 * backend, the backend's session (its cookie) is the app's, whatever else an element says (a callback page's element
 * may leave out `client-id`, and the token endpoint is the backend's business); without one, the client id and the
 * token endpoint make the app.
 */
export const appKey = ({ clientId, backendUrl, tokenUrl }: AppConfig): string =>
  JSON.stringify(backendUrl ? [backendUrl] : [clientId, tokenUrl]);

/**
 * Runs `callback` once a re-parent or a keyed remount would be done: after the next animation frame and the task after
 * it, or after a second in a tab that draws no frames (hidden). Returns a function that calls it off.
 */
export function afterGrace(win: Window, callback: () => void): () => void {
  let next: number | undefined;
  const frame = win.requestAnimationFrame(() => (next = win.setTimeout(done)));
  const fallback = win.setTimeout(done, 1000);
  function cancel() {
    win.cancelAnimationFrame(frame);
    win.clearTimeout(next);
    win.clearTimeout(fallback);
  }
  function done() {
    cancel();
    callback();
  }
  return cancel;
}

/** The session of one app on this page, and the elements that show it: everything it tells, each of them hears. */
export class AppSession implements SessionHandlers {
  readonly session: Session;
  readonly clientId: string;
  /** Resolved; none without a backend. */
  readonly backendUrl?: string;
  readonly members = new Set<Member>();
  readonly #win: AppWindow;
  readonly #stopWatching: () => void;
  readonly #gone: () => void;
  #grace?: () => void;

  constructor(win: AppWindow, config: AppConfig, gone: () => void) {
    this.#win = win;
    this.#gone = gone;
    this.clientId = config.clientId;
    this.backendUrl = config.backendUrl;
    this.session = new Session(
      win,
      {
        backendUrl: config.backendUrl,
        channel: `aries-login:session:${appKey(config)}`,
        requestTimeout: config.requestTimeout,
        // With several elements, the one that wants it earliest.
        notice: () => Math.max(0, ...[...this.members].map((member) => member.notice)),
      },
      this,
    );
    this.#stopWatching = watchResume(win, (missed) => this.session.resume(missed));
    // A page opened while the backend holds a session is signed in without a popup.
    if (config.backendUrl) void this.session.renew();
  }

  join(member: Member): void {
    this.#grace?.();
    this.#grace = undefined;
    this.members.add(member);
  }

  /** The last element to leave ends the session, unless one joins within the grace (a re-parent, a remount). */
  leave(member: Member): void {
    this.members.delete(member);
    if (!this.members.size) this.#grace ??= afterGrace(this.#win, () => this.#end());
  }

  #end(): void {
    this.session.dispose();
    this.#stopWatching();
    this.#gone();
  }

  renewed(...args: Parameters<SessionHandlers['renewed']>): void {
    for (const member of this.members) member.renewed(...args);
  }
  troubled(...args: Parameters<SessionHandlers['troubled']>): void {
    for (const member of this.members) member.troubled(...args);
  }
  ended(...args: Parameters<SessionHandlers['ended']>): void {
    for (const member of this.members) member.ended(...args);
  }
  expiring(...args: Parameters<SessionHandlers['expiring']>): void {
    for (const member of this.members) member.expiring(...args);
  }
  signedInElsewhere(...args: Parameters<SessionHandlers['signedInElsewhere']>): void {
    for (const member of this.members) member.signedInElsewhere(...args);
  }
}

/** The one app of `apps`: `login_required` when there is none, `invalid_config` (name the `option`) when several. */
function only(apps: AppSession[], option: string): AppSession {
  if (apps.length > 1) throw invalid(option, 'required');
  if (!apps[0]) throw new AriesLoginError('login_required');
  return apps[0];
}

/** The page's app sessions, by app key. */
export class AppSessions {
  readonly #apps = new Map<string, AppSession>();

  /** The session of `config`'s app, made on first use; `member` hears it from now on. */
  join(win: AppWindow, config: AppConfig, member: Member): AppSession {
    const key = appKey(config);
    let app = this.#apps.get(key);
    if (!app) this.#apps.set(key, (app = new AppSession(win, config, () => this.#apps.delete(key))));
    app.join(member);
    return app;
  }

  /**
   * The session of the app `clientId` names; with none given, of the only app on the page. Throws `login_required`
   * when there is none, and `invalid_config` when the choice is ambiguous (name the `clientId`).
   */
  find(clientId?: string): AppSession {
    return only(
      [...this.#apps.values()].filter((app) => clientId === undefined || app.clientId === clientId),
      'clientId',
    );
  }

  /**
   * The session of the app whose backend is `backendUrl` (resolved against `base`); with none given, of the only app
   * with a backend on the page. Throws like `find` (`invalid_config` names `backendUrl`).
   */
  findBackend(backendUrl: string | undefined, base: string): AppSession {
    const url = resolveBackendUrl(backendUrl, base);
    return only(
      [...this.#apps.values()].filter((app) => app.backendUrl && (url === undefined || app.backendUrl === url)),
      'backendUrl',
    );
  }
}

/** The page's one registry, which every element and `getAccessToken` use. */
export const appSessions = new AppSessions();
