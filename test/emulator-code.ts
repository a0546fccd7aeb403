// A real authorization code from the emulator, for unit tests of the modules after Aries' answer: Aries' page in a
// window a person's click opened (consent approved at once), back on the app's blank page with `code` and `state`.
import type { SignInConfig } from '../src/config.js';
import { createCodeChallenge } from '../src/pkce.js';
import { createTransaction, type Transaction } from '../src/transaction.js';
import { createClient, emulator, inUserGesture, waitFor } from './helpers.js';

/** The app's page that runs nothing: Aries sends the window back there. */
export const blankPageUrl = new URL('/test/fixtures/blank.html', location.origin).href;

/** A sign-in's configuration at the emulator for `clientId`, coming back to the blank page. */
export const emulatorConfig = (clientId: string, scope = 'user:information'): SignInConfig => ({
  clientId,
  redirectUri: blankPageUrl,
  scope,
  authorizeUrl: `${emulator}/oauth2/authorize`,
  tokenUrl: `${emulator}/v1/oauth2/token`,
});

/** A fresh client at the emulator whose redirect URI is the blank page. */
export const createBlankPageClient = (settings: Parameters<typeof createClient>[0] = {}) =>
  createClient({ redirectUris: [blankPageUrl], ...settings });

/** The query a window shows once it is back on the app's origin; null while it is on Aries' page (or loading). */
function queryOf(popup: Window): URLSearchParams | null {
  try {
    const url = new URL(popup.location.href);
    return url.origin === location.origin && url.pathname.endsWith('/blank.html') ? url.searchParams : null;
  } catch {
    return null; // another origin: Aries' page
  }
}

/**
 * Runs the authorize step for `config` as the element would (its own transaction, S256) and resolves with Aries'
 * answer on the redirect URI, and the transaction it answers.
 */
export async function authorizeAtEmulator(
  config: SignInConfig,
): Promise<{ transaction: Transaction; params: URLSearchParams }> {
  const transaction = createTransaction(crypto, config, Date.now());
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scope,
    state: transaction.state,
    code_challenge: await createCodeChallenge(crypto, transaction.codeVerifier),
    code_challenge_method: 'S256',
  });
  const popup = (await inUserGesture(() => window.open(`${config.authorizeUrl}?${query}`, '_blank')))!;
  let params: URLSearchParams | null = null;
  try {
    await waitFor(() => !!(params = queryOf(popup)), "Aries' answer in the window");
  } finally {
    popup.close();
  }
  return { transaction, params: params! };
}
