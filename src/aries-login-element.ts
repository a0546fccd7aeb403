/** `<aries-login>`: the button and its states; the sign-in itself runs in the flow modules, loaded on first use. */
import { LitElement, html, nothing } from 'lit';
import { styles } from './aries-login-styles.js';
import type { CompletedSignIn } from './relay-callback.js';
import { assertSecureContext, invalid, rejectSecrets, validateConfig, type SignInConfig } from './config.js';
import { AriesLoginError, type AriesLoginErrorDetail } from './errors.js';
import { dispatch } from './events.js';
// Kept in the .d.ts (a value import is not): the typed events come with this entry too.
import './events.js';
import { en, type AriesLoginStrings } from './labels.js';
import type { GetAccessTokenOptions } from './get-access-token.js';
import type { AriesFetchOptions } from './session-fetch.js';
import { NextSignIn } from './next-sign-in.js';
import { closePopup, openPopup } from './popup.js';
import { popupsOpenAsTabs } from './popups-as-tabs.js';
import type { SignInStep } from './run-sign-in.js';
import type { SignedIn } from './signed-in.js';
import { bundledLanguage, fill, isRightToLeft, languageAt, loadStrings } from './strings.js';
import type { AriesBackendSession, AriesTokens } from './token-client.js';
import { holdWaitingLock } from './waiting-lock.js';

type Flow = typeof import('./flow.js');

interface PendingSignIn {
  /** The Aries window; none in redirect mode, or when `auto` fell back to a redirect. */
  popup?: Window | null;
  tokens?: Promise<AriesTokens | AriesBackendSession | null>;
  abort: AbortController;
  /**
   * `exchanging`: Aries answered and the code is being exchanged. `gone`: the window is gone (or severed) before
   * Aries' page was seen in it, and the button offers to open Aries again.
   */
  step?: SignInStep;
}

/** The flow modules, once fetched: a click finds what it needs there in its own task (a popup opens in no other). */
let loaded: Flow | undefined;
/** The elements on the page: once the flow is here, each shows its app's session (a sign-in through one shows in all). */
const onPage = new Set<AriesLoginElement>();
/** The flow modules, fetched once per page on intent or first use; a failed fetch is tried again on the next attempt. */
let flow: Promise<Flow> | undefined;
const loadFlow = (): Promise<Flow> =>
  (flow ??= import('./flow.js').then(
    (modules) => {
      loaded = modules;
      onPage.forEach((element) => element.requestUpdate());
      return modules;
    },
    () => {
      flow = undefined;
      throw new AriesLoginError('load_failed');
    },
  ));

/**
 * An access token valid for at least `minValidity` seconds (default 30), for code with no element at hand: from the
 * session of the app `clientId` names, needed only when the page has several apps' sessions. See the element's method.
 */
export const getAccessToken = (options?: GetAccessTokenOptions): Promise<string> =>
  loadFlow().then((modules) => modules.getAccessToken(options));

/**
 * `fetch` for Aries' API when the backend keeps the tokens (`apiProxy`): `path` is Aries' own (`/v1/users/me/accounts`),
 * sent to `{backend-url}/api{path}` with the session's cookie, for code with no element at hand. `options.backendUrl`
 * names the app's backend, needed only when the page has elements of several. See the element's method.
 */
export const ariesFetch = (path: string, init?: RequestInit, options?: AriesFetchOptions): Promise<Response> =>
  loadFlow().then((modules) => modules.ariesFetch(path, init, options));

/** An icon stroked in the text colour (the stroke is styled), so that forced colours paint it too. */
const icon = (part: string, path: string) =>
  html`<svg part=${part} viewBox="0 0 24 24" aria-hidden="true"><path d=${path} /></svg>`;
/** A neutral Aries mark: a ram's horns. */
const mark = icon('mark', 'M12 21V9.5A4.5 4.5 0 1 0 7.5 14M12 9.5a4.5 4.5 0 1 1 4.5 4.5');
const spinner = icon('spinner', 'M12 3a9 9 0 1 1-9 9');

/**
 * A "Sign in with Aries" button that runs the OAuth2 authorization code flow with PKCE, in a popup or by
 * full-page redirect, and hands the tokens to the page in events.
 *
 * @tagname aries-login
 * @fires {CustomEvent<AriesLoginStartDetail>} aries-login-start - Before anything opens; cancelable: `preventDefault()` stops the sign-in.
 * @fires {CustomEvent<AriesLoginSuccessDetail>} aries-login-success - Signed in; `detail` holds the tokens (with `apiProxy`, the backend's session: no token).
 * @fires {CustomEvent<AriesLoginErrorDetail>} aries-login-error - Sign-in failed; `detail` holds `code` and `message`.
 * @fires {CustomEvent<AriesTokenRefreshDetail>} aries-token-refresh - Backend mode: tokens refreshed ahead of expiry; `detail` holds them (with `apiProxy`, the backend's session).
 * @fires {CustomEvent<AriesTokenExpiredDetail>} aries-token-expired - No backend: the access token expired and was dropped.
 * @fires {CustomEvent<AriesTokenExpiringDetail>} aries-token-expiring - A session nothing renews ends in `expiring-notice` seconds; cancelable: `preventDefault()` leaves the warning to the page.
 * @fires {CustomEvent<AriesLogoutDetail>} aries-logout - Signed out, here or in another tab of the app.
 * @slot - The button's label when idle. Default: "Sign in with Aries", in the element's language.
 * @csspart button - The sign-in button.
 * @csspart mark - The Aries mark (an inline SVG) in the button and the signed-in status.
 * @csspart spinner - The spinner shown in the button while busy.
 * @csspart cancel - The cancel button shown while the Aries window is open.
 * @csspart status - "Signed in" (or "Signed in as …" with `show-user`), shown instead of the button when signed in.
 * @csspart sign-out - The sign-out button shown when signed in, with the `sign-out` attribute.
 * @csspart message - The last error, under the button; a live region, so it is announced.
 * @csspart notice - "Your session ends in 1:45" before a session ends, or "Signed in with Aries in another tab"; a live region.
 * @csspart stay-signed-in - The "Stay signed in" button beside the warning before a session ends.
 * @cssprop [--aries-login-background=#0b3d91] - Button background (per variant: outline `transparent`, dark `#1b1b1f`).
 * @cssprop [--aries-login-color=#fff] - Button text and mark colour (outline: `#0b3d91`).
 * @cssprop [--aries-login-border-color=transparent] - Button border colour (outline: `currentColor`).
 * @cssprop [--aries-login-border-width=1px] - Button border width.
 * @cssprop [--aries-login-radius=6px] - Button corner radius (pill: `999px`).
 * @cssprop [--aries-login-font-family=inherit] - Font of the button and messages.
 * @cssprop [--aries-login-font-size=1em] - Button font size (small: `0.875em`, large: `1.125em`).
 * @cssprop [--aries-login-font-weight=600] - Button font weight.
 * @cssprop [--aries-login-padding=0.6em 1.1em] - Button padding (per size).
 * @cssprop [--aries-login-gap=0.6em] - Space between the mark and the label.
 * @cssprop [--aries-login-accent=#0b3d91] - Text and border of the cancel and sign-out buttons.
 * @cssprop [--aries-login-focus=#0b3d91] - Focus ring colour.
 * @cssprop [--aries-login-error-color=#b00020] - Error message colour.
 */
export class AriesLoginElement extends LitElement {
  // Getters, not static fields, which TypeScript writes as class static blocks (Safari 16.4+).
  // Lit state is named `__x` (the CDN build shortens it); every other private member is an ES `#private` one.
  static override get properties() {
    return {
      clientId: { attribute: 'client-id' },
      redirectUri: { attribute: 'redirect-uri' },
      scope: {},
      mode: {},
      authorizeUrl: { attribute: 'authorize-url' },
      tokenUrl: { attribute: 'token-url' },
      backendUrl: { attribute: 'backend-url' },
      signOutControl: { attribute: 'sign-out', type: Boolean },
      showUser: { attribute: 'show-user', type: Boolean },
      disabled: { type: Boolean, reflect: true },
      popupTimeout: { attribute: 'popup-timeout', type: Number },
      expiringNotice: { attribute: 'expiring-notice', type: Number },
      requestTimeout: { attribute: 'request-timeout', type: Number },
      popupWidth: { attribute: 'popup-width', type: Number },
      popupHeight: { attribute: 'popup-height', type: Number },
      variant: { reflect: true },
      size: { reflect: true },
      shape: { reflect: true },
      fullWidth: { attribute: 'full-width', type: Boolean, reflect: true },
      hideMark: { attribute: 'hide-mark', type: Boolean },
      colorScheme: { attribute: 'color-scheme', reflect: true },
      strings: { type: Object },
      __pending: { state: true },
      __error: { state: true },
      __language: { state: true },
      __strings: { state: true },
      __returnToApp: { state: true },
    };
  }

  static override get styles() {
    return styles;
  }

  /** Your app's Aries `client_id` (required). */
  clientId?: string;
  /** The registered callback URL, character for character (required). */
  redirectUri?: string;
  /** Space-separated Aries scopes. */
  scope = 'user:information';
  /**
   * `popup` (default), `redirect` (the whole tab goes to Aries), or `auto` (a redirect where a popup would be a tab: a
   * touch-only device, an in-app browser; else a popup, and a redirect when it is blocked).
   */
  mode: 'popup' | 'redirect' | 'auto' = 'popup';
  /** Aries' authorize page. */
  authorizeUrl = 'https://app.aries.com/oauth2/authorize';
  /** Aries' token endpoint. */
  tokenUrl = 'https://api.aries.com/v1/oauth2/token';
  /** Backend mode: your backend (`/auth`, or absolute), which exchanges the code, keeps the refresh token and refreshes. */
  backendUrl?: string;
  /** Shows a sign-out button while signed in. */
  signOutControl = false;
  /** When signed in, shows "Signed in as" and the user's name, read from Aries' profile API (needs `user:information`). */
  showUser = false;
  /** Disables the button. */
  disabled = false;
  /** Seconds the user has in the Aries window before `popup_timeout`. */
  popupTimeout = 300;
  /** Seconds before an unanswered token request ends in `network_error`. */
  requestTimeout = 30;
  /** Seconds before the end of a session nothing renews at which `aries-token-expiring` fires (and the warning shows). */
  expiringNotice = 120;
  /** Width of the popup, which opens centred over the page. */
  popupWidth = 480;
  /** Height of the popup. */
  popupHeight = 640;
  /** `filled` (default, Aries blue), `outline` or `dark`. */
  variant?: 'filled' | 'outline' | 'dark';
  /** `small`, `medium` (default) or `large`. */
  size?: 'small' | 'medium' | 'large';
  /** `rectangular` (default) or `pill`. */
  shape?: 'rectangular' | 'pill';
  /** The button fills the width of its container. */
  fullWidth = false;
  /** Leaves the Aries mark out of the button. */
  hideMark = false;
  /**
   * Unset (default): follows the page's own `color-scheme`. `light` or `dark` sets the palette; `auto` follows the
   * user's `prefers-color-scheme`.
   */
  colorScheme?: 'light' | 'dark' | 'auto';
  /** Replaces any of the element's strings, in every language: `{ signIn: 'Log in with Aries' }` (as a property or JSON). */
  strings?: Partial<AriesLoginStrings>;

  private __pending?: PendingSignIn;
  private __error?: AriesLoginErrorDetail;
  /** The signed-in state (tokens, refresh, expiry, sign-out); it comes with the flow, once there is a session to keep. */
  #signedIn?: SignedIn;
  /** This element's next sign-in, made ready while it is on screen, so that a click (a tap) opens Aries at once. */
  readonly #next = new NextSignIn(crypto);
  /** Whether the element is on screen (or near it): only then is a sign-in made ready ahead of the click. */
  #onScreen = false;
  readonly #screenWatch = new IntersectionObserver((entries) => {
    this.#onScreen = entries[entries.length - 1].isIntersecting;
    this.#prepareNext();
  });
  /** On a callback page, while the sign-in it answers has not taken the answer: "Return to the app…" in English. */
  private __returnToApp?: string;
  /** The bundled language in use, and its strings (none for English, or until another language's file has loaded). */
  private __language = '';
  private __strings?: AriesLoginStrings;
  /** Renders the rate-limited button once a second while it counts down. */
  #ticker?: ReturnType<typeof setTimeout>;
  readonly #languageWatch = new MutationObserver(() => this.#applyLanguage());

  /**
   * The tokens of the signed-in user (memory only) while the access token is valid, or null. With a backend that keeps
   * the tokens (`apiProxy`), its session instead: scope and expiry, `tokenHeldBy: 'backend'`, and no token.
   */
  get tokens(): AriesTokens | AriesBackendSession | null {
    return this.#signedIn?.tokens ?? null;
  }

  /**
   * An access token valid for at least `minValidity` seconds (default 30): in backend mode refreshed first when needed.
   * Rejects with `login_required` when not signed in (or, without a backend, when the token would not last), and with
   * `token_held_by_backend` when the backend keeps the token (`apiProxy`: use `ariesFetch`).
   */
  getAccessToken(options?: { minValidity?: number }): Promise<string> {
    return loadFlow().then(({ elementAccessToken }) => elementAccessToken(this.#signedInState(), options));
  }

  /**
   * Aries' API through this element's backend (`backend-url`, with `apiProxy`): `path` is Aries' own
   * (`/v1/users/me/accounts?x=1`), `init` as for `fetch`. Resolves with the Response (Aries' 2xx and 4xx as it sent
   * them, the backend's 502 when Aries failed). Rejects with `session_expired` (which also signs the app out, in every
   * element and tab, with `aries-login-error`), `insufficient_scope`, `rate_limited` (`retryAt`), `network_error`, or
   * `login_required` when nobody is signed in; only `session_expired` is also reported as an event.
   */
  ariesFetch(path: string, init?: RequestInit): Promise<Response> {
    return loadFlow().then(({ elementAriesFetch }) => elementAriesFetch(this.#signedInState(), path, init));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    onPage.add(this);
    this.#applyLanguage();
    // `lang` may change anywhere above the element: on <html> (a language switcher), or in a shadow root it is in.
    for (let root: Node | undefined = this.getRootNode(); root; root = (root as ShadowRoot).host?.getRootNode()) {
      this.#languageWatch.observe(root, { attributeFilter: ['lang'], subtree: true });
    }
    // A URL with `code` or `error` may be the callback, finished only on the redirect-uri page (by then a framework
    // has set the properties); elsewhere `?code=` is the app's own business. A popup's callback only relays the answer,
    // with the small relay file; the flow is fetched for a redirect's token exchange, or to report an error. The
    // flow imports that file: if it cannot be fetched, neither can the flow, which then reports load_failed.
    if (/[?&](code|error)=/.test(location.search)) {
      this.#settle(
        import('./relay-callback.js')
          .catch(loadFlow)
          .then(({ relayCallback }) =>
            relayCallback(window, this, loadFlow, (english) => (this.__returnToApp = english)),
          ),
      ).catch(() => {});
    }
    this.#screenWatch.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    onPage.delete(this);
    // Leaving the page abandons the sign-in (no late events, timers, listeners, channels or windows); a re-parent, back
    // on the page within the grace, keeps it.
    if (this.__pending) {
      loadFlow().then(
        ({ afterGrace }) => afterGrace(window, () => this.isConnected || this.cancel()),
        () => this.cancel(),
      );
    }
    this.#languageWatch.disconnect();
    this.#screenWatch.disconnect();
    clearTimeout(this.#ticker);
  }

  #applyLanguage(): void {
    const language = bundledLanguage(languageAt(this));
    if (language === this.__language) return;
    this.__language = language;
    void loadStrings(language).then((strings) => {
      if (this.__language === language) this.__strings = strings;
    });
  }

  /**
   * A label in the element's language, after the host's own `strings`; else English. Only fixed keys come here: an
   * error's code is from the wire, and is looked up in the flow (`describeError`), own properties only.
   */
  #t(key: keyof AriesLoginStrings, english = en[key as keyof typeof en]): string {
    return this.strings?.[key] ?? this.__strings?.[key] ?? english;
  }

  /**
   * The signed-in state (its app's session, shared by the app's elements), created once the flow is here and the element
   * is on the page (tokens come only from the flow's modules). The element tells the page what it hears.
   */
  #signedInState(): SignedIn | undefined {
    if (loaded && this.isConnected) {
      this.#signedIn ??= new loaded.SignedIn(this, window, {
        changed: (...event) => dispatch(this, ...event),
        failed: (error) => this.#fail(error),
      });
    }
    return this.#signedIn;
  }

  protected override updated(): void {
    // After a render, so that attributes and properties set by a framework are in place: the element shows its app's
    // session once the flow is here. With a backend, the flow is fetched to restore its session; that is a courtesy: if
    // the fetch fails, a click reports it.
    if ((loaded || this.backendUrl) && !this.#signedIn) {
      loadFlow().then(
        () => this.#signedInState(),
        () => {},
      );
    }
    clearTimeout(this.#ticker);
    if ((this.__error?.retryAt ?? 0) > Date.now()) this.#ticker = setTimeout(() => this.requestUpdate(), 1000);
    // The attributes may have changed (a framework sets them after the first render): the next sign-in follows them.
    this.#prepareNext();
  }

  /** Drops the tokens, ends the backend's session if there is one, and signs out the app's other tabs too. */
  async signOut(): Promise<void> {
    try {
      await loadFlow();
      await this.#signedInState()?.signOut();
    } catch (error) {
      this.#fail(error);
    }
  }

  /**
   * What a click does. Resolves with the tokens; with null if `aries-login-start` was prevented or the tab is going
   * to Aries (redirect mode). Rejects with the error that `aries-login-error` reports.
   */
  signIn(): Promise<AriesTokens | AriesBackendSession | null> {
    const previous = this.__pending;
    if (previous && previous.step !== 'gone') {
      previous.popup?.focus();
      return previous.tokens!;
    }
    // The window went away unseen: a fresh sign-in replaces the old one, which ends quietly (its promise with null).
    previous?.abort.abort(null);
    this.__error = undefined;
    try {
      const config = this.#config();
      const { mode } = this;
      if (!dispatch(this, 'aries-login-start', { mode }, true)) return Promise.resolve(null);
      const abort = new AbortController();
      // Made ready while the element is on screen: then the window opens straight at Aries, with nothing to wait for.
      const prepared = this.#next.take(config);
      // `auto` sends the tab to Aries where a popup would be a tab (a phone, an in-app browser).
      const redirect =
        mode === 'redirect' || (mode === 'auto' && popupsOpenAsTabs((query) => matchMedia(query), navigator));
      // In the click's own task, before anything is awaited: popup blockers allow nothing later.
      const popup = redirect ? undefined : openPopup(window, this.popupWidth, this.popupHeight, prepared?.url);
      // Blocked. `auto` never loses a sign-in to a popup blocker: the whole tab goes to Aries instead.
      if (popup === null && mode !== 'auto') throw new AriesLoginError('popup_blocked');
      const pending: PendingSignIn = { popup, abort };
      const run = loadFlow().then(({ runSignIn }) =>
        runSignIn(window, config, {
          popup,
          prepared,
          popupTimeout: this.popupTimeout * 1000,
          requestTimeout: this.requestTimeout * 1000,
          signal: abort.signal,
          onStep: (step) => {
            pending.step = step;
            this.requestUpdate();
          },
        }),
      );
      // A cancel ends the sign-in at once, even while the flow modules are still being fetched.
      const cancelled = new Promise<never>((_, reject) => {
        abort.signal.onabort = () => reject(abort.signal.reason as Error);
      });
      const settled = Promise.race([run, cancelled]).finally(() => popup && closePopup(popup));
      // The callback page relays the answer while this lock is held, even if this page sleeps or the flow is still on
      // its way; a sign-in prepared after the click takes its lock in the flow.
      if (popup && prepared) holdWaitingLock(window, prepared.lock, settled);
      pending.tokens = this.#settle(settled, abort);
      this.__pending = pending;
      return pending.tokens;
    } catch (error) {
      this.#fail(error);
      return Promise.reject(error);
    }
  }

  /** Ends a running sign-in with `cancelled` and closes the Aries window. */
  cancel(): void {
    this.__pending?.abort.abort(new AriesLoginError('cancelled'));
  }

  #config(): SignInConfig {
    rejectSecrets([...this.getAttributeNames(), ...Object.keys(this)]);
    const config = validateConfig(this, document.baseURI);
    assertSecureContext(window.crypto);
    // The callback reaches this page through same-origin channels (popup) or this tab's session storage (redirect).
    if (new URL(config.redirectUri).origin !== location.origin) throw invalid('redirect-uri', 'origin');
    return config;
  }

  /** Reports the outcome of `signIn`; the element is idle again (its own sign-in cleared) before any event fires. */
  async #settle(
    signIn: Promise<CompletedSignIn | void>,
    abort?: AbortController,
  ): Promise<AriesTokens | AriesBackendSession | null> {
    try {
      const tokens = await signIn.finally(() => {
        if (this.__pending?.abort === abort) this.__pending = undefined;
        this.__returnToApp = undefined;
      });
      if (tokens) this.#signedInState()?.signedIn(tokens);
      return tokens ?? null;
    } catch (error) {
      // Replaced by a fresh sign-in (see `signIn`): nothing to report.
      if (error === null) return null;
      this.#fail(error);
      throw error;
    }
  }

  /**
   * The next sign-in made ready for the configuration as it is now, while the element is on screen (or `now`). Returns
   * that configuration; nothing when it is wrong, which a click reports.
   */
  #prepareNext(now = this.#onScreen): SignInConfig | undefined {
    try {
      const config = now ? this.#config() : undefined;
      if (config) void this.#next.prepare(config);
      return config;
    } catch {
      // A click reports what is wrong.
      return undefined;
    }
  }

  /** Intent (the pointer over the button, focus, a touch): fetches the flow and warms the connection of the exchange. */
  #prepare(): void {
    const config = this.#prepareNext(true);
    loadFlow().then(
      ({ preconnect }) => config && preconnect(document, config.backendUrl ?? config.tokenUrl, !!config.backendUrl),
      () => {
        // A click reports that the flow could not load.
      },
    );
  }

  #fail(error: unknown): void {
    // The messages travel with the flow; if it cannot be fetched, that is what the button reports, in the one message
    // it carries (whatever went wrong first cannot be described without the flow).
    void loadFlow()
      // The host's wording first; then the language's, unless English, where a message may name the exact problem.
      .then(({ describeError, configMessages }) => describeError(error, configMessages, [this.strings, this.__strings]))
      .catch(() => ({
        code: 'load_failed',
        message: this.#t('load_failed', 'Sign-in could not load. Check your connection and try again.'),
      }))
      .then((detail: AriesLoginErrorDetail) => {
        // A detached element stays silent: its page no longer shows it.
        if (!this.isConnected) return;
        this.__error = detail;
        dispatch(this, 'aries-login-error', detail);
      });
  }

  #onClick(): void {
    this.signIn().catch(() => {
      // Already reported as `aries-login-error`.
    });
  }

  protected override render() {
    const pending = this.__pending;
    const waiting = pending?.popup && pending.step !== 'exchanging';
    // The window is gone unseen: the button is idle again, and a click opens Aries afresh.
    const active = pending?.step === 'gone' ? undefined : pending;
    // Rate-limited (`retryAt`, epoch ms): the button counts down until it may be used again.
    const retryIn = Math.ceil(((this.__error?.retryAt ?? 0) - Date.now()) / 1000);
    const shownMark = this.hideMark ? nothing : mark;
    const icon = active && !waiting ? spinner : shownMark;
    const label = active
      ? this.#t(waiting ? 'continueInAries' : 'signingIn')
      : retryIn > 0
        ? fill(this.#t('retryIn'), { seconds: retryIn })
        : html`<slot>${this.#t('signIn')}</slot>`;
    // Signed in (which only the flow's modules can bring about): their status in place of the button.
    const signedIn = this.#signedIn;
    const t = (key: keyof AriesLoginStrings, english?: string) => this.#t(key, english);
    return html`<div class="base" dir=${isRightToLeft(this.__language) ? 'rtl' : 'ltr'} lang=${this.__language}>
      ${
        signedIn?.tokens
          ? loaded!.renderStatus(
              signedIn.user,
              shownMark,
              t,
              this.signOutControl ? () => void this.signOut() : undefined,
            )
          : html`<button
                part="button"
                ?disabled=${this.disabled || retryIn > 0}
                aria-busy=${!!active}
                @click=${this.#onClick}
                @pointerenter=${this.#prepare}
                @focus=${this.#prepare}
              >
                ${icon}<span>${label}</span></button
              >${waiting ? html`<button part="cancel" @click=${this.cancel}>${this.#t('cancel')}</button>` : nothing}`
      }${signedIn ? loaded!.renderSessionNotice(signedIn, t, this.#onClick) : nothing}${
        this.__returnToApp
          ? html`<span part="notice" role="status">${this.#t('returnToApp', this.__returnToApp)}</span>`
          : nothing
      }
      <span part="message" role="alert">${this.__error?.message}</span>
    </div>`;
  }
}
