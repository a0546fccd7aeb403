// The client of the emulator's control API (control.mjs), with fetch only, so that browser tests, Node tests, the
// bench and the demo's gallery share it: clients, faults, request logs; and, in Node, the consent page answered as a
// person answers it.

/**
 * @typedef {import('./clients.mjs').Fault} Fault
 * @typedef {import('./clients.mjs').Endpoint} Endpoint
 * @typedef {import('./clients.mjs').LoggedRequest} LoggedRequest
 * @typedef {{ name?: string, redirectUris?: string[], scopes?: string[], consent?: 'manual'|'approve'|'deny',
 *   coop?: boolean, rateLimit?: number, rateLimitReset?: 'epoch'|'delay', tokenLifetime?: number,
 *   codeLifetime?: number, apiRateLimits?: Partial<Record<'market_data'|'trading'|'user_management', number>> }} ClientSettings
 *   A client's settings at the emulator (control.mjs says what each does); a client made here approves at once unless
 *   `consent` says otherwise.
 * @typedef {ClientSettings & { type?: 'public'|'confidential' }} NewClient
 * @typedef {{ clientId: string, clientSecret?: string }} CreatedClient `clientSecret` for a confidential client only.
 * @typedef {{ token?: Fault[], profile?: Fault[], api?: Fault[] }} Faults
 * @typedef {{ clientId: string, redirectUri: string, scope?: string, state?: string, codeVerifier?: string }} SignIn
 *   An authorize request: `codeVerifier` sends its S256 challenge (PKCE); without one, no challenge is sent.
 */

/** The consent page's request id (its form's one hidden field), if the page is one. @param {string} html */
export const consentRequestId = (html) => /<input type="hidden" name="request_id" value="([^"]+)"/.exec(html)?.[1];

/** The PKCE S256 challenge of `verifier` (RFC 7636), by Web Crypto as a browser computes it. @param {string} verifier */
export async function codeChallenge(verifier) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * The emulator at `origin`, under control. Each call that fails (an error status, no answer in `timeoutMs`) rejects
 * with the status and the emulator's answer in its message.
 * @param {string} origin
 * @param {{ timeoutMs?: number }} [options]
 */
export function emulatorControl(origin, { timeoutMs = 10_000 } = {}) {
  /**
   * One control request as it is, for tests of the control API itself: `body` is sent as JSON, or as it is when text.
   * @param {string} method @param {string} path under `/__emulator` @param {unknown} [body] @returns {Promise<Response>}
   */
  const request = (method, path, body) =>
    fetch(`${origin}/__emulator${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });

  /** @param {string} method @param {string} path @param {unknown} [body] @returns {Promise<any>} */
  const call = async (method, path, body) => {
    const response = await request(method, path, body);
    if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };

  /**
   * The person's decision on a consent page (its request id): the emulator's answer, a redirect to the app (not
   * followed) or an error page.
   * @param {string} requestId @param {'approve'|'deny'|string} decision @returns {Promise<Response>}
   */
  const decide = (requestId, decision) =>
    fetch(`${origin}/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, decision }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });

  /**
   * Opens `authorizeUrl` and answers its consent page: the parameters Aries sends the app's redirect URI (`code` and
   * `state`, or `error`). Node only: a browser may not read another origin's page or redirect.
   * @param {string} authorizeUrl @param {'approve'|'deny'} [decision] @returns {Promise<URLSearchParams>}
   */
  async function answerConsent(authorizeUrl, decision = 'approve') {
    const page = await fetch(authorizeUrl, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const html = await page.text();
    const requestId = consentRequestId(html);
    if (page.status !== 200 || !requestId) throw new Error(`authorize: ${page.status}, no consent page: ${html}`);
    const answer = await decide(requestId, decision);
    const location = answer.headers.get('location');
    if (answer.status !== 302 || !location) throw new Error(`consent: ${answer.status} ${await answer.text()}`);
    return new URL(location).searchParams;
  }

  return {
    origin,
    request,
    decide,
    answerConsent,

    /** A new client (`test-…`), so that each test has its own codes, limits, faults and log. @param {NewClient} [settings] @returns {Promise<CreatedClient>} */
    createClient: (settings = {}) => call('POST', '/clients', settings),

    /** Changes a client's settings; resolves its settings as they are now (never its secret). @param {string} clientId @param {ClientSettings} settings */
    updateClient: (clientId, settings) => call('PATCH', `/clients/${clientId}`, settings),

    /** Queues Aries' next answers to the client's token, profile or API requests; resolves the queues' lengths. @param {string} clientId @param {Faults} faults @returns {Promise<{ queued: Record<keyof Faults, number> }>} */
    queueFaults: (clientId, faults) => call('POST', `/clients/${clientId}/faults`, faults),

    /**
     * What the emulator saw of the client, oldest first: preflights left out unless asked for, and only the
     * `endpoint`s named when some are.
     * @param {string} clientId @param {{ endpoint?: Endpoint|Endpoint[], preflights?: boolean }} [filter]
     * @returns {Promise<LoggedRequest[]>}
     */
    async requests(clientId, { endpoint, preflights = false } = {}) {
      const log = /** @type {LoggedRequest[]} */ (await call('GET', `/clients/${clientId}/requests`));
      const endpoints = endpoint === undefined ? undefined : [endpoint].flat();
      return log.filter(
        (r) => (preflights || r.method !== 'OPTIONS') && (!endpoints || endpoints.includes(r.endpoint)),
      );
    },

    /** Every access and refresh token the emulator issued to the client, oldest first. @param {string} clientId @returns {Promise<string[]>} */
    issuedTokens: (clientId) => call('GET', `/clients/${clientId}/tokens`),

    /** Forgets every client made here, their codes and tokens; clients.json's clients as new. */
    reset: () => call('POST', '/reset'),

    /**
     * A fresh code by the authorize step a browser takes, its consent approved (Node only, as `answerConsent`).
     * @param {SignIn} signIn @returns {Promise<string>}
     */
    async authorizeCode({ clientId, redirectUri, scope = 'user:information', state = 's', codeVerifier }) {
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        scope,
        state,
      });
      if (codeVerifier !== undefined) {
        query.set('code_challenge', await codeChallenge(codeVerifier));
        query.set('code_challenge_method', 'S256');
      }
      const answer = await answerConsent(`${origin}/oauth2/authorize?${query}`);
      const code = answer.get('code');
      if (!code) throw new Error(`authorize: ${answer.get('error')} ${answer.get('error_description')}`);
      return code;
    },
  };
}

/** @typedef {ReturnType<typeof emulatorControl>} EmulatorControl */
