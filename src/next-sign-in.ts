/** An element's next sign-in, made ready while the element is on screen, so that a click (a tap) opens Aries at once, with nothing to wait for. */
import { prepareSignIn, type PreparedSignIn } from './authorize-url.js';
import type { SignInConfig } from './config.js';

interface Ready {
  key: string;
  made: Promise<unknown>;
  prepared?: PreparedSignIn;
}

/**
 * Held by one element: its next sign-in (`state`, PKCE, authorize URL), in memory only (a page reload forgets it), for
 * the configuration it was made with, and used at most once.
 */
export class NextSignIn {
  readonly #crypto: Crypto;
  /** The sign-in being made or made, for the configuration `key`; `prepared` once its hashes are done (`made`). */
  #ready?: Ready;

  constructor(crypto: Crypto) {
    this.#crypto = crypto;
  }

  /** Prepares the next sign-in for `config`, unless one is ready (or being made) for it; resolves once it is ready. */
  prepare(config: SignInConfig): Promise<unknown> {
    const key = JSON.stringify(config);
    if (this.#ready?.key !== key) {
      const ready: Ready = {
        key,
        made: prepareSignIn(this.#crypto, config, Date.now()).then(
          (prepared) => (ready.prepared = prepared),
          () => this.#ready === ready && (this.#ready = undefined),
        ),
      };
      this.#ready = ready;
    }
    return this.#ready.made;
  }

  /**
   * In the click: the prepared sign-in if it was made for this very configuration (else undefined: the sign-in is
   * prepared after the click), and the next one prepared, so that none is ever used twice.
   */
  take(config: SignInConfig): PreparedSignIn | undefined {
    const taken = this.#ready?.key === JSON.stringify(config) ? this.#ready.prepared : undefined;
    this.#ready = undefined;
    void this.prepare(config);
    // The transaction's age counts from the click: Aries' codes are short-lived, not the time a page was open.
    return taken && { ...taken, transaction: { ...taken.transaction, createdAt: Date.now() } };
  }
}
