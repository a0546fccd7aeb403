import { expect } from '@open-wc/testing';
import {
  checkCallback,
  isCallbackPage,
  parseCallback,
  stripCallbackParams,
  type CallbackParams,
} from '../src/parse-callback.js';
import type { Transaction } from '../src/transaction.js';
import { TRANSACTION_LIFETIME } from '../src/transaction-store.js';

const answer = (fields: Partial<CallbackParams>): CallbackParams => ({
  state: null,
  code: undefined,
  error: undefined,
  errorDescription: undefined,
  ...fields,
});
const malformed = (problem: string) => `Aries' answer to the sign-in could not be read: ${problem}.`;

describe('callback', () => {
  const parseCases: [string, CallbackParams | null][] = [
    ['', null],
    ['?page=2', null],
    ['?state=s', null],
    ['?codes=c&errors=e', null],
    ['?code=c&state=s', answer({ state: 's', code: 'c' })],
    ['?code=c', answer({ code: 'c' })],
    [
      '?error=access_denied&error_description=User%20said%20no&state=s',
      answer({ state: 's', error: 'access_denied', errorDescription: 'User said no' }),
    ],
    ['?code=c&state=s&iss=https%3A%2F%2Faries.example', answer({ state: 's', code: 'c' })],
    // RFC 6749 §3.1: no parameter more than once. The first state is kept, so that the sign-in it names fails.
    ['?code=a&code=b&state=s', answer({ state: 's', code: 'a', invalid: malformed('`code` appears more than once') })],
    [
      '?code=c&state=s&state=t',
      answer({ state: 's', code: 'c', invalid: malformed('`state` appears more than once') }),
    ],
    [
      '?error=x&error=access_denied&state=s',
      answer({ state: 's', error: 'x', invalid: malformed('`error` appears more than once') }),
    ],
    [
      '?error=x&error_description=a&error_description=b&state=s',
      answer({
        state: 's',
        error: 'x',
        errorDescription: 'a',
        invalid: malformed('`error_description` appears more than once'),
      }),
    ],
    [
      '?code=c&state=s&iss=a&iss=a',
      answer({ state: 's', code: 'c', invalid: malformed('`iss` appears more than once') }),
    ],
    ['?code=c&code=c&state=s', answer({ state: 's', code: 'c', invalid: malformed('`code` appears more than once') })],
    // Empty values are errors, never silence.
    ['?code=&state=s', answer({ state: 's', code: '', invalid: malformed('`code` is empty') })],
    ['?error=&state=s', answer({ state: 's', error: '', invalid: malformed('`error` is empty') })],
    ['?code&state=s', answer({ state: 's', code: '', invalid: malformed('`code` is empty') })],
    // Prototype names are plain values.
    ['?error=__proto__&state=constructor', answer({ state: 'constructor', error: '__proto__' })],
  ];
  for (const [query, expected] of parseCases) {
    it(`parses ${JSON.stringify(query)}`, () => expect(parseCallback(query)).to.deep.equal(expected));
  }

  const pages: [string, string | undefined, boolean][] = [
    ['https://a.example/cb?code=c', 'https://a.example/cb', true],
    ['https://a.example/cb?code=c#x', 'https://a.example/cb?from=aries', true],
    ['https://a.example/cb', 'https://A.EXAMPLE:443/cb', true],
    ['https://a.example/app.html?error=404&code=SPRING-SALE', 'https://a.example/cb', false],
    ['https://a.example/cb/?code=c', 'https://a.example/cb', false],
    ['https://b.example/cb?code=c', 'https://a.example/cb', false],
    ['http://a.example/cb?code=c', 'https://a.example/cb', false],
    ['https://a.example/cb?code=c', undefined, false],
    ['https://a.example/cb?code=c', '/cb', false],
    ['https://a.example/cb?code=c', 'https://', false],
  ];
  for (const [page, redirectUri, expected] of pages) {
    it(`${expected ? 'handles' : 'leaves alone'} ${page} for redirect-uri ${redirectUri}`, () =>
      expect(isCallbackPage(page, redirectUri)).to.equal(expected));
  }

  const stripCases: [string, string][] = [
    ['https://a.example/cb?code=c&state=s', 'https://a.example/cb'],
    ['https://a.example/cb?tab=2&code=c&state=s#section', 'https://a.example/cb?tab=2#section'],
    ['https://a.example/cb?error=access_denied&error_description=no&state=s&x=1', 'https://a.example/cb?x=1'],
    ['https://a.example/cb?code=&code=c&state=s&state=t&iss=i&error_uri=u&keep=1', 'https://a.example/cb?keep=1'],
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
    ['no state', { state: null, code: 'c' }, 1_000, 'state_mismatch'],
    ['a state that only starts the same', { state: 'state-1x', code: 'c' }, 1_000, 'state_mismatch'],
    ['an expired transaction', { state: 'state-1', code: 'c' }, 1_001 + TRANSACTION_LIFETIME, 'expired_transaction'],
    ['a denial', { state: 'state-1', error: 'access_denied' }, 1_000, 'access_denied'],
    ['a forged denial', { state: 'nope', error: 'access_denied' }, 1_000, 'state_mismatch'],
  ];
  for (const [name, callback, now, code] of checkCases) {
    it(`refuses ${name} with ${code}`, () => {
      expect(() => checkCallback(transaction, callback, now))
        .to.throw()
        .with.property('code', code);
    });
  }

  it('refuses a malformed answer for this sign-in with invalid_request, naming the problem', () => {
    const callback = parseCallback('?code=a&code=b&state=state-1')!;
    expect(() => checkCallback(transaction, callback, 1_000))
      .to.throw(malformed('`code` appears more than once'))
      .with.property('code', 'invalid_request');
    const empty = parseCallback('?code=&state=state-1')!;
    expect(() => checkCallback(transaction, empty, 1_000))
      .to.throw(malformed('`code` is empty'))
      .with.property('code', 'invalid_request');
  });

  it('refuses a malformed answer for another sign-in as state_mismatch: it says nothing about this one', () => {
    expect(() => checkCallback(transaction, parseCallback('?error=&state=other')!, 1_000))
      .to.throw()
      .with.property('code', 'state_mismatch');
  });

  it('returns the code when the state is exactly the transaction’s', () => {
    expect(checkCallback(transaction, { state: 'state-1', code: 'the-code' }, 2_000)).to.equal('the-code');
  });
});
