/** An element's next sign-in, made ready on intent (pointer, focus, touch) so that the click itself has nothing to wait for. */
import { prepareSignIn, type PreparedSignIn } from './authorize-url.js';
import type { SignInConfig } from './config.js';

/** Opens the connection to `url`'s origin ahead of use (DNS, TCP, TLS), once per origin, unless it is the page's own. */
export function preconnect(doc: Document, url: string, credentials: boolean): void {
  const { origin } = new URL(url, doc.baseURI);
  if (origin === doc.location?.origin || doc.head.querySelector(`link[rel=preconnect][href="${origin}"]`)) return;
  const link = doc.createElement('link');
  link.rel = 'preconnect';
  link.href = origin;
  // A connection is only reused by requests of the same credentials mode: the backend's carry cookies, Aries' none.
  link.crossOrigin = credentials ? 'use-credentials' : 'anonymous';
  doc.head.append(link);
}

/**
 * Held by one element: its next sign-in (`state`, PKCE, authorize URL), in memory only (a page reload forgets it), for
 * the configuration it was made with, and used at most once.
 */
export class NextSignIn {
  readonly #win: Window;
  #ready?: { key: string; prepared: PreparedSignIn };

  constructor(win: Window) {
    this.#win = win;
  }

  /**
   * Prepares the next sign-in for `config`, unless one is ready for it, and warms the connection its code exchange will
   * use. Resolves once it is ready.
   */
  async prepare(config: SignInConfig): Promise<void> {
    preconnect(this.#win.document, config.backendUrl ?? config.tokenUrl, !!config.backendUrl);
    const key = JSON.stringify(config);
    if (this.#ready?.key === key) return;
    const prepared = await prepareSignIn(this.#win.crypto, config, Date.now());
    this.#ready = { key, prepared };
  }

  /**
   * In the click: the prepared sign-in if it was made for this very configuration (else undefined: the sign-in is
   * prepared after the click), and the next one prepared, so that none is ever used twice.
   */
  take(config: SignInConfig): PreparedSignIn | undefined {
    const taken = this.#ready;
    this.#ready = undefined;
    void this.prepare(config);
    // The transaction's age counts from the click: Aries' codes are short-lived, not a hover's wait.
    return taken?.key === JSON.stringify(config)
      ? { ...taken.prepared, transaction: { ...taken.prepared.transaction, createdAt: Date.now() } }
      : undefined;
  }
}
