import { expect } from '@open-wc/testing';
import { checkCallback, parseCallback, stripCallbackParams, type CallbackParams } from '../src/callback.js';
import { TRANSACTION_LIFETIME, type Transaction } from '../src/transaction.js';

describe('callback', () => {
  const parseCases: [string, CallbackParams | null][] = [
    ['https://a.example/cb', null],
    ['https://a.example/cb?page=2#top', null],
    ['https://a.example/cb?state=s', null],
    ['https://a.example/cb?code=c&state=s', { state: 's', code: 'c', error: undefined, errorDescription: undefined }],
    ['https://a.example/cb?code=c', { state: null, code: 'c', error: undefined, errorDescription: undefined }],
    [
      'https://a.example/cb?error=access_denied&error_description=User%20said%20no&state=s',
      { state: 's', code: undefined, error: 'access_denied', errorDescription: 'User said no' },
    ],
  ];
  for (const [url, expected] of parseCases) {
    it(`parses ${url}`, () => expect(parseCallback(url)).to.deep.equal(expected));
  }

  const stripCases: [string, string][] = [
    ['https://a.example/cb?code=c&state=s', 'https://a.example/cb'],
    ['https://a.example/cb?tab=2&code=c&state=s#section', 'https://a.example/cb?tab=2#section'],
    ['https://a.example/cb?error=access_denied&error_description=no&state=s&x=1', 'https://a.example/cb?x=1'],
  ];
  for (const [url, clean] of stripCases) {
    it(`cleans ${url}`, () => expect(stripCallbackParams(url)).to.equal(clean));
  }

  const transaction: Transaction = {
    state: 'state-1',
    codeVerifier: 'v',
    clientId: 'c',
    redirectUri: 'https://a.example/cb',
    tokenUrl: 'https://api.example/token',
    createdAt: 1_000,
  };
  const checkCases: [string, CallbackParams, number, string][] = [
    ['another state', { state: 'state-2', code: 'c' }, 1_000, 'state_mismatch'],
    ['no state (F7)', { state: null, code: 'c' }, 1_000, 'state_mismatch'],
    ['a state that only starts the same', { state: 'state-1x', code: 'c' }, 1_000, 'state_mismatch'],
    ['an expired transaction', { state: 'state-1', code: 'c' }, 1_001 + TRANSACTION_LIFETIME, 'expired_transaction'],
    ['a denial (F10)', { state: 'state-1', error: 'access_denied' }, 1_000, 'access_denied'],
    ['a forged denial (F10)', { state: 'nope', error: 'access_denied' }, 1_000, 'state_mismatch'],
  ];
  for (const [name, callback, now, code] of checkCases) {
    it(`refuses ${name} with ${code}`, () => {
      expect(() => checkCallback(transaction, callback, now))
        .to.throw()
        .with.property('code', code);
    });
  }

  it('returns the code when the state is exactly the transaction’s', () => {
    expect(checkCallback(transaction, { state: 'state-1', code: 'the-code' }, 2_000)).to.equal('the-code');
  });
});
