/** `getAccessToken`: an access token valid for the next request, from an element's app session or the page's. */
import { appSessions } from './app-sessions.js';
import { configMessages, describeError } from './error-messages.js';
import { AriesLoginError } from './errors.js';
import type { SignedIn } from './signed-in.js';

export interface GetAccessTokenOptions {
  /** The app whose session to use: needed only when the page has sessions of several apps. */
  clientId?: string;
  /** Seconds the token must still be valid for (default 30). */
  minValidity?: number;
}

/** Rejects as `aries-login-error` reports: a stable code, and a readable (English) message. */
export async function described<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const { code, message, ...detail } = describeError(error, configMessages);
    throw new AriesLoginError(code, message, detail);
  }
}

/**
 * An access token of the app `clientId` names (or of the only app on the page) valid for at least `minValidity`
 * seconds: see `Session.getAccessToken`. With no session of that app on the page, `login_required`; with several apps
 * and no `clientId`, `invalid_config`.
 */
export const getAccessToken = ({ clientId, minValidity }: GetAccessTokenOptions = {}): Promise<string> =>
  described(() => appSessions.find(clientId).session.getAccessToken(minValidity));

/** The same for an element: its own app's session (`login_required` when it has none, or is not on the page). */
export const elementAccessToken = (signedIn: SignedIn | undefined, { minValidity }: GetAccessTokenOptions = {}) =>
  described(() =>
    signedIn ? signedIn.getAccessToken(minValidity) : Promise.reject(new AriesLoginError('login_required')),
  );
