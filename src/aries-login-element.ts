/** `<aries-login>`: the button and its states; the sign-in itself runs in the flow modules. */
import { LitElement, css, html, nothing } from 'lit';
import { completeCallback, type CompletedSignIn } from './complete-callback.js';
import { rejectSecrets, resolveBackendUrl, validateConfig, type SignInConfig } from './config.js';
import { AriesLoginError, toAriesLoginError, type AriesLoginErrorDetail } from './errors.js';
import { dispatch } from './events.js';
import { assertSecureContext } from './pkce.js';
import { startPopupSignIn } from './popup-sign-in.js';
import { startRedirectSignIn } from './redirect-sign-in.js';
import { Session } from './session.js';
import type { AriesTokens } from './token-client.js';

interface PendingSignIn {
  popup?: Window;
  tokens: Promise<AriesTokens | null>;
  abort: AbortController;
}

/**
 * A "Sign in with Aries" button that runs the OAuth2 authorization code flow with PKCE, in a popup or by
 * full-page redirect, and hands the tokens to the page in events.
 *
 * @tagname aries-login
 * @fires {CustomEvent<AriesLoginStartDetail>} aries-login-start - Before anything opens; cancelable: `preventDefault()` stops the sign-in.
 * @fires {CustomEvent<AriesLoginSuccessDetail>} aries-login-success - Signed in; `detail` holds the tokens.
 * @fires {CustomEvent<AriesLoginErrorDetail>} aries-login-error - Sign-in failed; `detail` holds `code` and `message`.
 * @fires {CustomEvent<AriesTokens>} aries-token-refresh - Backend mode: tokens refreshed ahead of expiry; `detail` holds them.
 * @fires {CustomEvent<{ expiredAt: number }>} aries-token-expired - No backend: the access token expired and was dropped.
 * @fires {CustomEvent<Record<string, never>>} aries-logout - Signed out, here or in another tab of the app.
 * @slot - The button's label. Default: "Sign in with Aries".
 * @csspart button - The sign-in button.
 * @csspart cancel - The cancel button shown while the Aries window is open.
 * @csspart sign-out - The sign-out button shown when signed in, with the `sign-out` attribute.
 * @csspart message - The last error, shown under the button.
 * @cssprop [--aries-login-background=#0b3d91] - Button background.
 * @cssprop [--aries-login-color=#fff] - Button text colour.
 * @cssprop [--aries-login-radius=6px] - Button corner radius.
 * @cssprop [--aries-login-focus=#0b3d91] - Focus ring colour.
 * @cssprop [--aries-login-error-color=#b00020] - Error message colour.
 */
export class AriesLoginElement extends LitElement {
  static override properties = {
    clientId: { attribute: 'client-id' },
    redirectUri: { attribute: 'redirect-uri' },
    scope: {},
    mode: {},
    authorizeUrl: { attribute: 'authorize-url' },
    tokenUrl: { attribute: 'token-url' },
    backendUrl: { attribute: 'backend-url' },
    signOutControl: { attribute: 'sign-out', type: Boolean },
    disabled: { type: Boolean, reflect: true },
    popupTimeout: { attribute: 'popup-timeout', type: Number },
    requestTimeout: { attribute: 'request-timeout', type: Number },
    popupWidth: { attribute: 'popup-width', type: Number },
    popupHeight: { attribute: 'popup-height', type: Number },
    _pending: { state: true },
    _error: { state: true },
    _tokens: { state: true },
  };

  static override styles = css`
    :host {
      display: inline-block;
      font: inherit;
    }
    :host([hidden]) {
      display: none;
    }
    button {
      font: inherit;
      font-weight: 600;
      padding: 0.6em 1.2em;
      border: 1px solid transparent;
      border-radius: var(--aries-login-radius, 6px);
      background: var(--aries-login-background, #0b3d91);
      color: var(--aries-login-color, #fff);
      cursor: pointer;
    }
    button:focus-visible {
      outline: 2px solid var(--aries-login-focus, #0b3d91);
      outline-offset: 2px;
    }
    [part='cancel'],
    [part='sign-out'] {
      margin-inline-start: 0.5em;
      background: transparent;
      color: var(--aries-login-background, #0b3d91);
      border-color: currentColor;
    }
    button:disabled {
      opacity: 0.6;
      cursor: not-allowed;
    }
    [part='message'] {
      display: block;
      margin-top: 0.4em;
      font-size: 0.875em;
      color: var(--aries-login-error-color, #b00020);
    }
  `;

  /** Your app's Aries `client_id` (required). */
  clientId = '';
  /** The registered callback URL, character for character (required). */
  redirectUri = '';
  /** Space-separated Aries scopes. */
  scope = 'user:information';
  /** `popup` (default), `redirect` (the whole tab goes to Aries), or `auto` (popup; redirect when it is blocked). */
  mode: 'popup' | 'redirect' | 'auto' = 'popup';
  /** Aries' authorize page. */
  authorizeUrl = 'https://app.aries.com/oauth2/authorize';
  /** Aries' token endpoint. */
  tokenUrl = 'https://api.aries.com/v1/oauth2/token';
  /** Backend mode: your backend (`/auth`, or absolute), which exchanges the code, keeps the refresh token and refreshes. */
  backendUrl = '';
  /** Shows a sign-out button while signed in. */
  signOutControl = false;
  /** Disables the button. */
  disabled = false;
  /** Seconds the user has in the Aries window before `popup_timeout`. */
  popupTimeout = 300;
  /** Seconds before an unanswered token request ends in `network_error`. */
  requestTimeout = 30;
  /** Width of the popup, which opens centred over the page. */
  popupWidth = 480;
  /** Height of the popup. */
  popupHeight = 640;

  private _pending?: PendingSignIn;
  private _error?: AriesLoginErrorDetail;
  private _tokens: AriesTokens | null = null;
  private _session?: Session;

  /** The tokens of the signed-in user (memory only), or null. */
  get tokens(): AriesTokens | null {
    return this._tokens;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // On the redirect-uri page the element finishes the callback it finds in the URL (a no-op everywhere else).
    this._settle(completeCallback(window, this.requestTimeout * 1000)).catch(() => {});
    if (this.hasUpdated) this._startSession();
  }

  protected override firstUpdated(): void {
    // After the first render, so that attributes and properties set by a framework are in place.
    this._startSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Leaving the page abandons the sign-in: no late events, timers, listeners, channels or windows.
    this._pending?.abort.abort(new AriesLoginError('cancelled'));
    this._session?.dispose();
    this._session = undefined;
  }

  /** The resolved `backend-url`; a bad one reads as none here and is reported, with the attribute named, on click. */
  private _backendUrl(): string | undefined {
    try {
      return resolveBackendUrl(this.backendUrl, document.baseURI);
    } catch {
      return undefined;
    }
  }

  private _startSession(): void {
    this._session = new Session(window, () => this._backendUrl(), this.requestTimeout * 1000, {
      renewed: (tokens, restored) => {
        this._tokens = tokens;
        this.toggleAttribute('signed-in', true);
        dispatch(this, restored ? 'aries-login-success' : 'aries-token-refresh', tokens);
      },
      ended: (reason) => {
        const expiredAt = this._tokens?.expiresAt ?? Date.now();
        this._tokens = null;
        this.toggleAttribute('signed-in', false);
        if (reason === 'expired') dispatch(this, 'aries-token-expired', { expiredAt });
        else if (reason === 'logout') dispatch(this, 'aries-logout', {});
        else this._fail(reason);
      },
    });
    if (this._tokens) this._session.hold(this._tokens);
    else this._restore();
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('backendUrl') && changed.get('backendUrl') !== undefined) this._restore();
  }

  /** A page opened while the backend holds a session is signed in without a popup. */
  private _restore(): void {
    if (this._backendUrl() && !this._tokens) void this._session?.renew(true);
  }

  /** Drops the tokens, ends the backend's session if there is one, and signs out the app's other tabs too. */
  async signOut(): Promise<void> {
    try {
      await this._session?.signOut();
    } catch (error) {
      this._fail(error);
    }
  }

  /**
   * What a click does. Resolves with the tokens; with null if `aries-login-start` was prevented or the tab is going
   * to Aries (redirect mode). Rejects with the error that `aries-login-error` reports.
   */
  signIn(): Promise<AriesTokens | null> {
    if (this._pending) {
      this._pending.popup?.focus();
      return this._pending.tokens;
    }
    this._error = undefined;
    try {
      const config = this._config();
      const { mode } = this;
      if (!dispatch(this, 'aries-login-start', { mode }, true)) return Promise.resolve(null);
      const abort = new AbortController();
      let popup: Window | undefined;
      let flow: Promise<AriesTokens | void>;
      const redirect = () => startRedirectSignIn(window, crypto, config, abort.signal);
      if (mode === 'redirect') flow = redirect();
      else {
        try {
          ({ popup, tokens: flow } = startPopupSignIn({ window, crypto, fetch: (...args) => fetch(...args) }, config, {
            popupTimeout: this.popupTimeout * 1000,
            requestTimeout: this.requestTimeout * 1000,
            width: this.popupWidth,
            height: this.popupHeight,
            signal: abort.signal,
          }));
        } catch (error) {
          // `auto` never loses a sign-in to a popup blocker: the whole tab goes to Aries instead.
          if (mode !== 'auto' || (error as AriesLoginError).code !== 'popup_blocked') throw error;
          flow = redirect();
        }
      }
      const tokens = this._settle(flow, abort);
      this._pending = { popup, tokens, abort };
      return tokens;
    } catch (error) {
      this._fail(error);
      return Promise.reject(error);
    }
  }

  /** Ends a running sign-in with `cancelled` and closes the Aries window. */
  cancel(): void {
    this._pending?.abort.abort(new AriesLoginError('cancelled'));
  }

  private _config(): SignInConfig {
    rejectSecrets([...this.getAttributeNames(), ...Object.keys(this)]);
    const config = validateConfig(this, document.baseURI);
    assertSecureContext(window.crypto);
    // The callback reaches this page through same-origin channels (popup) or this tab's session storage (redirect).
    if (new URL(config.redirectUri).origin !== location.origin) {
      throw new AriesLoginError('invalid_config', 'The `redirect-uri` must be on this page’s origin.');
    }
    return config;
  }

  /** Reports the outcome of `flow`; the element is idle again (its own sign-in cleared) before any event fires. */
  private async _settle(
    flow: Promise<CompletedSignIn | AriesTokens | void>,
    abort?: AbortController,
  ): Promise<AriesTokens | null> {
    const idle = () => {
      if (this._pending?.abort === abort) this._pending = undefined;
    };
    try {
      const tokens = await flow;
      idle();
      if (!tokens) return null;
      this._tokens = tokens;
      this.toggleAttribute('signed-in', true);
      this._session?.hold(tokens);
      dispatch(this, 'aries-login-success', tokens);
      return tokens;
    } catch (error) {
      idle();
      this._fail(error);
      throw error;
    }
  }

  private _fail(error: unknown): void {
    // A detached element stays silent: its page no longer shows it.
    if (!this.isConnected) return;
    this._error = toAriesLoginError(error).detail;
    dispatch(this, 'aries-login-error', this._error);
  }

  private _onClick(): void {
    this.signIn().catch(() => {
      // Already reported as `aries-login-error`.
    });
  }

  protected override render() {
    const waiting = !!this._pending?.popup;
    return html`<button
        part="button"
        type="button"
        ?disabled=${this.disabled}
        aria-busy=${!!this._pending}
        @click=${this._onClick}
      >
        <slot>${waiting ? 'Continue in the Aries window' : 'Sign in with Aries'}</slot></button
      >${waiting ? html`<button part="cancel" type="button" @click=${this.cancel}>Cancel</button>` : nothing}${
        this._tokens && this.signOutControl
          ? html`<button part="sign-out" type="button" @click=${this.signOut}>Sign out</button>`
          : nothing
      }${this._error ? html`<span part="message" role="alert">${this._error.message}</span>` : nothing}`;
  }
}
