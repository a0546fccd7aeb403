// An element's next sign-in, made ready before the click: used once, only for the configuration it was made with.
import { expect } from '@open-wc/testing';
import { NextSignIn } from '../src/next-sign-in.js';
import { waitingLockName } from '../src/waiting-lock.js';

describe('NextSignIn', () => {
  const config = {
    clientId: 'demo-spa',
    redirectUri: new URL('/callback', location.href).href,
    scope: 'user:information',
    authorizeUrl: 'https://app.aries.com/oauth2/authorize',
    tokenUrl: 'https://api.aries.com/v1/oauth2/token',
  };
  const stateOf = (url: string | undefined) => url && new URL(url).searchParams.get('state');

  it('hands the prepared sign-in to the click once, and prepares the next one', async () => {
    const next = new NextSignIn(crypto);
    await next.prepare(config);
    const first = next.take(config)!;
    expect(stateOf(first.url)).to.equal(first.transaction.state);
    // Taken: the next click gets another sign-in, never the same `state` twice.
    await next.prepare(config);
    const second = next.take(config)!;
    expect(second.transaction.state).not.to.equal(first.transaction.state);
    expect(stateOf(second.url)).to.equal(second.transaction.state);
  });

  it('names the waiting lock after the state’s hash, never the state itself', async () => {
    const next = new NextSignIn(crypto);
    await next.prepare(config);
    const { lock, transaction } = next.take(config)!;
    expect(lock).to.equal(await waitingLockName(crypto, transaction.state));
    expect(lock).not.to.include(transaction.state);
  });

  it('makes one sign-in however often it is asked for the same configuration', async () => {
    let made = 0;
    const counting = {
      getRandomValues: <T extends ArrayBufferView | null>(array: T) => (made++, crypto.getRandomValues(array)),
      subtle: crypto.subtle,
    } as Crypto;
    const next = new NextSignIn(counting);
    await Promise.all([next.prepare(config), next.prepare(config), next.prepare({ ...config })]);
    // Two random values each: the state and the verifier.
    expect(made).to.equal(2);
  });

  it('gives nothing for a configuration it was not made for', async () => {
    const next = new NextSignIn(crypto);
    await next.prepare(config);
    expect(next.take({ ...config, scope: 'account:information' })).to.equal(undefined);
  });

  it('gives nothing before anything is ready: the click prepares its own', () => {
    expect(new NextSignIn(crypto).take(config)).to.equal(undefined);
  });

  it('dates the transaction from the click, not from when it was made', async () => {
    const next = new NextSignIn(crypto);
    await next.prepare(config);
    const before = Date.now();
    expect(next.take(config)!.transaction.createdAt).to.be.at.least(before);
  });

  it('is made again when making it failed', async () => {
    let fail = true;
    const flaky = {
      getRandomValues: <T extends ArrayBufferView | null>(array: T) => crypto.getRandomValues(array),
      subtle: {
        digest: (...args: Parameters<SubtleCrypto['digest']>) =>
          fail ? Promise.reject(new Error('no digest')) : crypto.subtle.digest(...args),
      },
    } as unknown as Crypto;
    const next = new NextSignIn(flaky);
    await next.prepare(config);
    fail = false;
    await next.prepare(config);
    expect(next.take(config)?.url).to.be.a('string');
  });
});
