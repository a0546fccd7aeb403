// The lock a waiting sign-in holds, so that its callback page keeps relaying while the waiting page sleeps.
import { expect } from '@open-wc/testing';
import { sha256Base64url } from '../src/pkce.js';
import { holdWaitingLock, waitingLockName } from '../src/waiting-lock.js';

const held = async (name: string) => ((await navigator.locks.query()).held ?? []).some((lock) => lock.name === name);

/** Resolves once the lock `name` is held (or not), as the lock manager answers: it grants and releases asynchronously. */
async function until(name: string, isHeld: boolean) {
  for (let tries = 0; (await held(name)) !== isHeld; tries++) {
    if (tries > 200) throw new Error(`the lock was ${isHeld ? 'never held' : 'never released'}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('waiting lock', () => {
  it('is named after the state’s SHA-256, never the state itself', async () => {
    const state = 'the-state';
    const name = await waitingLockName(crypto, state);
    expect(name).to.equal(`aries-login:${await sha256Base64url(crypto, state)}`);
    expect(name).not.to.include(state);
  });

  for (const [outcome, settle] of [
    ['fulfils', (resolve: () => void) => resolve()],
    ['rejects', (_: () => void, reject: (error: Error) => void) => reject(new Error('failed'))],
  ] as const) {
    it(`is held until the sign-in ends, and released when it ${outcome}`, async () => {
      const name = `aries-login:test-${outcome}`;
      let end!: () => void;
      let fail!: (error: Error) => void;
      const signIn = new Promise<void>((resolve, reject) => ((end = resolve), (fail = reject)));
      signIn.catch(() => {});
      holdWaitingLock(window, name, signIn);
      await until(name, true);
      settle(end, fail);
      await until(name, false);
    });
  }

  it('is released at once when the sign-in ended before the lock was granted', async () => {
    const name = 'aries-login:test-ended';
    holdWaitingLock(window, name, Promise.resolve());
    await navigator.locks.request(name, () => {}); // granted after the first request
    expect(await held(name)).to.equal(false);
  });

  it('does nothing where Web Locks are missing', () => {
    expect(() => holdWaitingLock({ navigator: {} } as Window, 'x', Promise.resolve())).not.to.throw();
  });
});
