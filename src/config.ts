/** Checks the element's configuration before anything opens, so mistakes surface on click with the attribute named. */
import { AriesLoginError, type ConfigProblem } from './errors.js';

/** The ten scopes Aries knows (case-sensitive): eight `…:information` scopes, `order:execution` and `market:supplemental`. */
const ARIES_SCOPE =
  /^((user|account|order|position|market|calendar|options|analytics):information|order:execution|market:supplemental)$/;

export interface SignInConfig {
  clientId: string;
  redirectUri: string;
  /** Space-separated, normalised: no duplicates, single spaces. */
  scope: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Backend mode: the app's backend, which holds the secret and the refresh token. No trailing slash. */
  backendUrl?: string;
}

export type RawConfig = { [K in keyof SignInConfig]?: string | null };

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * A configuration mistake: the attribute at fault and the rule it breaks. The sentence is written when the error is
 * reported (error-messages.ts), so that the words travel with the flow and the button carries only the rule's name.
 */
export const invalid = (attribute: string, problem: ConfigProblem, code = 'invalid_config', value?: string) =>
  new AriesLoginError(code, undefined, { attribute, problem, value });

/** Splits, de-duplicates and checks scopes; an unknown one is `invalid_scope`. */
export function normalizeScope(scope: string): string {
  const scopes = [...new Set(scope.split(/\s+/).filter(Boolean))];
  const unknown = scopes.filter((s) => !ARIES_SCOPE.test(s));
  if (unknown.length) throw invalid('scope', 'unknown', 'invalid_scope', unknown.join('", "'));
  if (!scopes.length) throw invalid('scope', 'empty', 'invalid_scope');
  return scopes.join(' ');
}

/** An absolute http(s) URL; plain http only on this machine, where no one can listen in. */
function checkUrl(attribute: string, value: string | null | undefined, noFragment = false): string {
  let url: URL;
  try {
    url = new URL(value ?? '');
  } catch {
    throw invalid(attribute, 'absolute');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname))) {
    throw invalid(attribute, 'https');
  }
  if (noFragment && url.hash) throw invalid(attribute, 'fragment');
  if (url.searchParams.has('client_secret')) throw invalid(attribute, 'secret');
  return value!;
}

/** Refuses the configuration if a client secret was offered in any form (it is never sent anywhere). */
export function rejectSecrets(names: Iterable<string>): void {
  for (const name of names) if (/secret/i.test(name)) throw invalid(name, 'secret');
}

/** `backend-url` may be relative to the page (`/auth`); it is resolved against `base`. */
export const resolveBackendUrl = (backendUrl: string | null | undefined, base: string): string | undefined =>
  backendUrl ? checkUrl('backend-url', new URL(backendUrl, base).href).replace(/\/+$/, '') : undefined;

export function validateConfig(raw: RawConfig, base: string): SignInConfig {
  const clientId = raw.clientId?.trim();
  if (!clientId) throw invalid('client-id', 'required');
  return {
    clientId,
    redirectUri: checkUrl('redirect-uri', raw.redirectUri, true),
    scope: normalizeScope(raw.scope ?? ''),
    authorizeUrl: checkUrl('authorize-url', raw.authorizeUrl),
    tokenUrl: checkUrl('token-url', raw.tokenUrl),
    backendUrl: resolveBackendUrl(raw.backendUrl, base),
  };
}

/** Without `crypto.subtle` (a page not in a secure context) there is no S256 PKCE, and `plain` is never an option. */
export function assertSecureContext(crypto: Crypto | undefined): asserts crypto is Crypto {
  if (!crypto?.subtle) throw new AriesLoginError('insecure_context');
}
