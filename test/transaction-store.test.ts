// This tab's pending redirect sign-ins in session storage: taken once, expired ones swept, never another store.
import { expect } from '@open-wc/testing';
import { createTransaction } from '../src/transaction.js';
import {
  TRANSACTION_LIFETIME,
  hasTransactions,
  openSessionStorage,
  saveTransaction,
  takeTransaction,
} from '../src/transaction-store.js';

const config = {
  clientId: 'demo-spa',
  redirectUri: 'https://app.example/cb',
  scope: 'user:information',
  authorizeUrl: 'https://app.aries.com/oauth2/authorize',
  tokenUrl: 'https://api.aries.com/v1/oauth2/token',
};

describe('stored transactions', () => {
  beforeEach(() => sessionStorage.clear());

  it('are taken out of session storage once: the second take finds nothing', () => {
    const storage = openSessionStorage(window);
    const transaction = { ...createTransaction(crypto, config, Date.now()), returnTo: 'https://app.example/start' };
    saveTransaction(storage, transaction);
    expect(hasTransactions(storage)).to.equal(true);
    // As stored: JSON leaves out the fields a transaction without a backend does not have.
    expect(takeTransaction(storage, transaction.state, Date.now())).to.deep.equal(
      JSON.parse(JSON.stringify(transaction)),
    );
    expect(takeTransaction(storage, transaction.state, Date.now())).to.equal(undefined);
    expect(hasTransactions(storage)).to.equal(false);
  });

  it('leave other pending transactions alone, and sweep expired and unreadable ones', () => {
    const storage = openSessionStorage(window);
    const now = Date.now();
    const mine = createTransaction(crypto, config, now);
    const other = createTransaction(crypto, config, now);
    const stale = createTransaction(crypto, config, now - TRANSACTION_LIFETIME - 1);
    [mine, other, stale].forEach((t) => saveTransaction(storage, t));
    storage.setItem('aries-login:garbage', '{not json');
    storage.setItem('unrelated', 'kept');
    takeTransaction(storage, mine.state, now);
    expect(Object.keys(storage).sort()).to.deep.equal([`aries-login:${other.state}`, 'unrelated'].sort());
  });

  it('return an expired transaction for its own state, so that it is refused as expired', () => {
    const storage = openSessionStorage(window);
    const stale = {
      ...createTransaction(crypto, config, Date.now() - TRANSACTION_LIFETIME - 1),
      returnTo: 'https://app.example/start',
    };
    saveTransaction(storage, stale);
    expect(takeTransaction(storage, stale.state, Date.now())).to.deep.equal(JSON.parse(JSON.stringify(stale)));
    expect(hasTransactions(storage)).to.equal(false);
  });

  it('report storage_unavailable when session storage is blocked, with no other store', () => {
    // Browsers throw a SecurityError when storage is blocked (cookies off, sandboxed frames).
    const blocked = {
      get sessionStorage(): Storage {
        throw new DOMException('blocked', 'SecurityError');
      },
    };
    expect(() => openSessionStorage(blocked as Window))
      .to.throw()
      .with.property('code', 'storage_unavailable');
    const full = {
      sessionStorage: {
        setItem() {
          throw new DOMException('full', 'QuotaExceededError');
        },
      },
    };
    expect(() => openSessionStorage(full as unknown as Window))
      .to.throw()
      .with.property('code', 'storage_unavailable');
  });
});
