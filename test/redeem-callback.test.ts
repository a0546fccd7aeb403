// From Aries' answer to tokens, against the real emulator: a callback checked against its transaction, then its code
// exchanged once; a callback that fails the check never reaches the token endpoint.
import { expect } from '@open-wc/testing';
import type { AriesLoginError } from '../src/errors.js';
import type { CallbackParams } from '../src/parse-callback.js';
import { redeemCallback } from '../src/redeem-callback.js';
import { authorizeAtEmulator, createBlankPageClient, emulatorConfig } from './emulator-code.js';
import { requestsOf } from './helpers.js';

const options = { timeout: 10_000 };
const callbackOf = (params: URLSearchParams): CallbackParams => ({
  state: params.get('state'),
  code: params.get('code'),
  error: params.get('error'),
  errorDescription: params.get('error_description'),
});
/**
 * How `redeem` fails. A callback that fails the check throws at once, before any request (its callers are async
 * functions, which see a rejection): popup-sign-in.ts relies on that to show no "exchanging" step for it.
 */
const refusal = (redeem: () => Promise<unknown>) =>
  Promise.resolve()
    .then(redeem)
    .then(
      () => expect.fail('resolved'),
      (error: AriesLoginError) => error,
    );

describe('redeemCallback', () => {
  it('exchanges a checked callback’s code once, with its transaction’s verifier: the tokens', async () => {
    const clientId = await createBlankPageClient();
    const { transaction, params } = await authorizeAtEmulator(emulatorConfig(clientId));
    const tokens = await redeemCallback(fetch, transaction, callbackOf(params), options);
    expect(tokens).to.include({ tokenType: 'Bearer', scope: 'user:information' });
    expect(tokens.accessToken).to.be.a('string').and.not.equal('');
    const requests = await requestsOf(clientId, 'token');
    expect(requests).to.have.length(1);
    expect(requests[0].body).to.include({
      grant_type: 'code',
      code: params.get('code')!,
      code_verifier: transaction.codeVerifier,
    });
  });

  it('a callback for another state: state_mismatch, and no token request', async () => {
    const clientId = await createBlankPageClient();
    const { transaction, params } = await authorizeAtEmulator(emulatorConfig(clientId));
    const error = await refusal(() =>
      redeemCallback(fetch, transaction, { ...callbackOf(params), state: 'forged-state' }, options),
    );
    expect(error.code).to.equal('state_mismatch');
    expect(await requestsOf(clientId, 'token')).to.deep.equal([]);
  });

  it('Aries’ refusal (the person denied): access_denied, and no token request', async () => {
    const clientId = await createBlankPageClient({ consent: 'deny' });
    const { transaction, params } = await authorizeAtEmulator(emulatorConfig(clientId));
    expect(params.get('error')).to.equal('access_denied');
    const error = await refusal(() => redeemCallback(fetch, transaction, callbackOf(params), options));
    expect(error.code).to.equal('access_denied');
    expect(await requestsOf(clientId, 'token')).to.deep.equal([]);
  });

  it('a transaction older than its lifetime: expired_transaction, and no token request', async () => {
    const clientId = await createBlankPageClient();
    const { transaction, params } = await authorizeAtEmulator(emulatorConfig(clientId));
    const stale = { ...transaction, createdAt: Date.now() - 11 * 60_000 };
    const error = await refusal(() => redeemCallback(fetch, stale, callbackOf(params), options));
    expect(error.code).to.equal('expired_transaction');
    expect(await requestsOf(clientId, 'token')).to.deep.equal([]);
  });
});
