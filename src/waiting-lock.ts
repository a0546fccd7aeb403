/** Tells a callback page that a sign-in waits for its answer, even while the page that waits sleeps in a background tab: a Web Lock held for the sign-in's life. */
import { sha256Base64url } from './pkce.js';

/**
 * The lock of the sign-in with this `state`. Every page of the origin can list the locks held (`navigator.locks.query`),
 * so the name carries the state's SHA-256, never the state itself, which names the answer's channel.
 */
export const waitingLockName = async (crypto: Crypto, state: string): Promise<string> =>
  `aries-login:${await sha256Base64url(crypto, state)}`;

const ignore = () => {};

/**
 * Holds the lock `name` until `until` settles, however it settles. Without Web Locks (an older browser) nothing is
 * held, and a callback page then relays only briefly (see `postCallback`).
 */
export const holdWaitingLock = (win: Window, name: string, until: Promise<unknown>): void =>
  void win.navigator.locks?.request(name, () => until.then(ignore, ignore)).catch(ignore);
