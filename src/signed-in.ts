/** An element's view of its app's session: whether it is signed in and who, its events, and the warning before a session ends. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { appSessions, type AppSession, type Member } from './app-sessions.js';
import { resolveBackendUrl } from './config.js';
import { AriesLoginError } from './errors.js';
import type { AriesLoginEventMap, AriesTokenExpiringDetail } from './events.js';
import type { AppWindow } from './popup-channel.js';
import { fetchUserName } from './profile.js';
import { nextReading } from './session-notice.js';
import type { SignedInSession } from './token-client.js';

/** What the signed-in state reads from its host (the configuration, as set when it is needed), and the state it shows. */
export interface SignedInHost extends ReactiveControllerHost {
  readonly clientId?: string;
  /** The `backend-url` as set (relative or absolute), if any. */
  readonly backendUrl?: string;
  readonly tokenUrl: string;
  /** Seconds. */
  readonly requestTimeout: number;
  readonly showUser: boolean;
  /** Seconds before the end of a session nothing renews at which `aries-token-expiring` fires. */
  readonly expiringNotice: number;
  /** `signed-in` and `signed-in-elsewhere` are reflected on the host, so that page CSS can select on them. */
  toggleAttribute(name: string, force: boolean): boolean;
}

/** The events the signed-in state has its host fire. */
export type SignedInEvent =
  'aries-login-success' | 'aries-token-refresh' | 'aries-token-expired' | 'aries-token-expiring' | 'aries-logout';

/** What the host hears: it tells the page. */
export interface SignedInHandlers {
  /** The page hears `type` with `detail`; false when a listener prevented a `cancelable` one. */
  changed<K extends SignedInEvent>(type: K, detail: AriesLoginEventMap[K]['detail'], cancelable?: boolean): boolean;
  /**
   * An error for the page: a refresh failed for now (the tokens stay while they are valid, and the session retries),
   * or the backend ended the session.
   */
  failed(error: AriesLoginError): void;
}

/**
 * Lives in the flow, not in the button: a page pays for it only once the flow is here. Lit connects and disconnects it
 * with the host: connected, it shows its app's session (one per app on the page, see app-sessions.ts), which outlives
 * it by a moment; every element of the app hears what the session tells, each on itself.
 */
export class SignedIn implements ReactiveController, Member {
  /** With `show-user`: the name Aries' profile API gave. */
  user?: string;
  /** The end of the session (epoch ms) that the host warns of, unless the page took the warning over. */
  warning?: number;
  readonly #host: SignedInHost;
  readonly #win: AppWindow;
  readonly #on: SignedInHandlers;
  #app?: AppSession;
  #key?: string;
  /** The tokens this host last told the page of: a re-parented element is not told again. */
  #told?: SignedInSession;
  /** Tells a newly joined host of the session it joined; or updates the warning it shows. */
  #timer?: number;
  #warningTimer?: number;

  constructor(host: SignedInHost, win: AppWindow, on: SignedInHandlers) {
    this.#host = host;
    this.#win = win;
    this.#on = on;
    host.addController(this);
  }

  /** The signed-in user's tokens (or the backend's session that keeps them) while the access token is valid, or null. */
  get tokens(): SignedInSession | null {
    return this.#app?.session.tokens ?? null;
  }

  /** No backend: the host is signed out, and another tab of the app is signed in. */
  get elsewhere(): boolean {
    return !this.tokens && !!this.#app?.session.elsewhere;
  }

  get notice(): number {
    return this.#host.expiringNotice * 1000;
  }

  hostConnected(): void {
    this.#join();
  }

  /** Attributes set late (a framework's) may name another app, or a backend: the host then shows that app's session. */
  hostUpdated(): void {
    this.#join();
  }

  hostDisconnected(): void {
    this.#leave();
  }

  #join(): void {
    const host = this.#host;
    let backendUrl;
    try {
      backendUrl = resolveBackendUrl(host.backendUrl, this.#win.document.baseURI);
    } catch {
      // A bad `backend-url` reads as none here, and is reported, with the attribute named, on click.
    }
    // (A callback page's element needs no `client-id`: its sign-in is the app's all the same.)
    const config = {
      clientId: host.clientId?.trim() ?? '',
      backendUrl,
      tokenUrl: host.tokenUrl,
      requestTimeout: host.requestTimeout * 1000,
    };
    const key = JSON.stringify(config);
    if (key === this.#key) return;
    this.#leave();
    this.#key = key;
    const app = (this.#app = appSessions.join(this.#win, config, this));
    // Rendered again only when it shows something new (not in a framework's update, when nothing is to be seen yet).
    this.#show(this.elsewhere);
    if (this.warning) this.#warn(this.warning);
    // Joined a signed-in session: told like a restore, in a task, so that a listener added just after the element was
    // put on the page hears it too (and it renders then).
    const tokens = app.session.tokens;
    if (tokens && tokens !== this.#told) this.#timer = this.#win.setTimeout(() => this.renewed(tokens, true));
  }

  #leave(): void {
    this.#win.clearTimeout(this.#timer);
    this.#win.clearTimeout(this.#warningTimer);
    this.#app?.leave(this);
    this.#key = undefined;
  }

  /** Reflects the state on the host, and renders it. */
  #show(render = true): void {
    const host = this.#host;
    host.toggleAttribute('signed-in', !!this.tokens);
    host.toggleAttribute('signed-in-elsewhere', this.elsewhere);
    if (render) host.requestUpdate();
  }

  /** A sign-in's tokens: held by the app's session, which tells every element of the app (this one too). */
  signedIn(tokens: SignedInSession): void {
    this.#app?.session.signIn(tokens);
  }

  renewed(tokens: SignedInSession, signedIn: boolean): void {
    this.#win.clearTimeout(this.#timer);
    this.#told = tokens;
    // A sign-in starts a session with an end of its own; a refresh may move the backend session's (idle) end.
    if (this.warning !== this.#app?.session.noticed) this.#warn(undefined);
    this.#show();
    this.#on.changed(signedIn ? 'aries-login-success' : 'aries-token-refresh', tokens);
    if (this.#host.showUser && !this.user) {
      const { tokenUrl } = this.#host;
      void fetchUserName(this.#win.fetch.bind(this.#win), { tokenUrl, backendUrl: this.#app?.backendUrl }, tokens).then(
        (name) => {
          if (this.#told === tokens) {
            this.user = name;
            this.#host.requestUpdate();
          }
        },
      );
    }
  }

  troubled(error: AriesLoginError): void {
    this.#on.failed(error);
  }

  ended(reason: 'expired' | 'logout' | AriesLoginError): void {
    const expiredAt = this.#told?.expiresAt ?? Date.now();
    this.#told = this.user = undefined;
    this.#warn(undefined);
    this.#show();
    if (reason === 'expired') this.#on.changed('aries-token-expired', { expiredAt });
    else if (reason === 'logout') this.#on.changed('aries-logout', {});
    else this.#on.failed(reason);
  }

  /** Unless the page prevents it, the host shows the warning itself (WCAG 2.2.1), with a way to stay signed in. */
  expiring(detail: AriesTokenExpiringDetail): void {
    if (this.#on.changed('aries-token-expiring', detail, true)) this.#warn(detail.expiresAt);
  }

  signedInElsewhere(): void {
    this.#show();
  }

  /**
   * Shows the warning of the end at `endsAt` (none: hides it). Its live region changes only as often as a screen reader
   * should read it out: each whole minute, then 30 and 10 seconds before the end.
   */
  #warn(endsAt: number | undefined): void {
    this.warning = endsAt;
    this.#win.clearTimeout(this.#warningTimer);
    this.#host.requestUpdate();
    if (endsAt === undefined) return;
    const left = Math.ceil((endsAt - Date.now()) / 1000);
    if (left > 0)
      this.#warningTimer = this.#win.setTimeout(() => this.#warn(endsAt), (left - nextReading(left)) * 1000);
  }

  /** Drops the tokens, ends the backend's session if there is one, and signs out the app's other tabs too. */
  signOut(): Promise<void> | undefined {
    return this.#app?.session.signOut();
  }

  /** See `Session.getAccessToken`. */
  getAccessToken(minValidity?: number): Promise<string> {
    return this.#app
      ? this.#app.session.getAccessToken(minValidity)
      : Promise.reject(new AriesLoginError('login_required'));
  }

  /** See `Session.fetchApi`. */
  fetchApi(path: string, init?: RequestInit): Promise<Response> {
    return this.#app ? this.#app.session.fetchApi(path, init) : Promise.reject(new AriesLoginError('login_required'));
  }
}
