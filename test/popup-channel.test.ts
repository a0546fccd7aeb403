// The messages between the popup's callback page and its opener, and the callback page's relay: until taken, for as long
// as a sign-in waits for the answer, never to another origin.
import { expect } from '@open-wc/testing';
import { ANSWER, isCallbackMessage, postCallback, type AppWindow, type RelayOutcome } from '../src/popup-channel.js';
import { holdWaitingLock, waitingLockName } from '../src/waiting-lock.js';

const message = (fields: Record<string, unknown>) => ({ type: 'aries-login:callback', state: 's', ...fields });

/** A callback page's window whose opener records what it is sent; its other globals are this page's. */
function callbackPage(timers: Partial<AppWindow> = {}) {
  const posted: [unknown, string][] = [];
  const win = {
    opener: { postMessage: (data: unknown, targetOrigin: string) => posted.push([data, targetOrigin]) },
    location: window.location,
    navigator: window.navigator,
    crypto: window.crypto,
    BroadcastChannel,
    setInterval: setInterval.bind(window),
    clearInterval: clearInterval.bind(window),
    setTimeout: setTimeout.bind(window),
    clearTimeout: clearTimeout.bind(window),
    ...timers,
  } as unknown as AppWindow;
  return { win, posted };
}

/** Holds the waiting lock of `state`, as the page of a sign-in that waits for it does, until `release()`. */
async function aSignInWaits(state: string) {
  let release!: () => void;
  const name = await waitingLockName(crypto, state);
  holdWaitingLock(window, name, new Promise<void>((resolve) => (release = resolve)));
  // Granted asynchronously: the relay must find it held from its first check on.
  while (!(await navigator.locks.query()).held?.some((lock) => lock.name === name)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return release;
}

/** Records what the channel of `state` carries. */
function listen(state: string) {
  const channel = new BroadcastChannel(`aries-login:callback:${state}`);
  const heard: unknown[] = [];
  channel.onmessage = ({ data }: MessageEvent) => heard.push(data);
  return { heard, channel, ack: () => channel.postMessage({ type: 'aries-login:ack', state }) };
}

const settled = <T>(promise: Promise<T>) => {
  const seen: { value?: T } = {};
  void promise.then((value) => (seen.value = value));
  return seen;
};

describe('popup channel', () => {
  const shapes: [string, unknown, boolean][] = [
    ['a code', message({ code: 'c' }), true],
    ['an error', message({ error: 'access_denied', errorDescription: 'no' }), true],
    ['a null state', message({ state: null, code: 'c' }), true],
    ['neither code nor error', message({}), false],
    ['an empty code, found malformed (invalid)', message({ code: '', invalid: 'empty code' }), true],
    ['a numeric invalid', message({ code: 'c', invalid: 1 }), false],
    ['an empty code, not found malformed', message({ code: '' }), false],
    ['another type', { ...message({ code: 'c' }), type: 'other' }, false],
    ['a numeric code', message({ code: 42 }), false],
    ['an object state', message({ state: {}, code: 'c' }), false],
    ['a string', 'aries-login:callback', false],
    ['null', null, false],
  ];
  for (const [name, data, ok] of shapes) {
    it(`${ok ? 'accepts' : 'ignores'} a message with ${name}`, () => expect(isCallbackMessage(data)).to.equal(ok));
  }
});

describe('postCallback (the callback page)', () => {
  it('posts to the opener with its own origin as target, never "*"', async () => {
    const { win, posted } = callbackPage();
    await postCallback(win, { state: 's', code: 'c' }, { limit: 5000 });
    expect(posted).to.deep.equal([[message({ code: 'c' }), location.origin]]);
  });

  it('gives up an answer no sign-in waits for (no page holds its lock) after a grace of 1.5 s: unclaimed', async () => {
    const { win } = callbackPage();
    const { heard, channel } = listen('nobody');
    const started = Date.now();
    let waiting = 0;
    try {
      const outcome = await postCallback(
        win,
        { state: 'nobody', code: 'c' },
        { limit: 60_000, onWaiting: () => waiting++ },
      );
      expect(outcome).to.equal('unclaimed');
      expect(Date.now() - started).to.be.within(1400, 5000);
      // Offered once, and nobody was asked to return anywhere.
      expect(heard).to.have.length(1);
      expect(waiting).to.equal(0);
    } finally {
      channel.close();
    }
  });

  it('relays again while a sign-in waits (its page may sleep), asks the user back after a second, and ends when taken', async () => {
    const release = await aSignInWaits('asleep');
    const { win, posted } = callbackPage();
    const { heard, channel, ack } = listen('asleep');
    let waiting = 0;
    try {
      const relay = postCallback(win, { state: 'asleep', code: 'c' }, { limit: 60_000, onWaiting: () => waiting++ });
      const outcome = settled(relay);
      // Past the old 1.5 s: still relaying, the notice shown once.
      await new Promise((resolve) => setTimeout(resolve, 2600));
      expect(outcome.value).to.equal(undefined);
      expect(heard.length).to.be.at.least(4);
      expect(posted.length).to.equal(heard.length);
      expect(heard.every((data) => JSON.stringify(data) === JSON.stringify(message({ state: 'asleep', code: 'c' })))).to
        .be.true;
      expect(waiting).to.equal(1);
      // The page wakes and takes it.
      ack();
      expect(await relay).to.equal('taken');
    } finally {
      release();
      channel.close();
    }
  });

  it('answers at once when the waiting page asks again, as it does when it wakes', async () => {
    const release = await aSignInWaits('ask');
    // The relay's own timers asleep: only the question can bring the answer.
    const { win } = callbackPage({ setInterval: (() => 0) as unknown as AppWindow['setInterval'] });
    const { heard, channel, ack } = listen('ask');
    try {
      const relay = postCallback(win, { state: 'ask', code: 'c' }, { limit: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).to.have.length(1);
      channel.postMessage({ type: 'aries-login:ask', state: 'someone-else' });
      channel.postMessage({ type: 'aries-login:ask', state: 'ask' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).to.have.length(2);
      ack();
      expect(await relay).to.equal('taken');
    } finally {
      release();
      channel.close();
    }
  });

  it('gives up at the limit an answer a sign-in waits for but never takes: expired', async () => {
    const release = await aSignInWaits('never');
    const { win } = callbackPage();
    try {
      expect(await postCallback(win, { state: 'never', code: 'c' }, { limit: 800 })).to.equal('expired');
    } finally {
      release();
    }
  });

  it('stops relaying once the waiting page is gone (its lock released)', async () => {
    const release = await aSignInWaits('gone');
    const { win } = callbackPage();
    const relay = postCallback(win, { state: 'gone', code: 'c' }, { limit: 60_000 });
    const outcome = settled(relay);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(outcome.value).to.equal(undefined);
    release();
    expect(await relay).to.equal('unclaimed');
  });

  it('leaves the answer on its window while it relays, for the opener to read, and takes it away after', async () => {
    const { win } = callbackPage();
    const relay = postCallback(win, { state: 's', code: 'c' }, { limit: 5000 });
    expect((win as unknown as Record<string, unknown>)[ANSWER]).to.deep.equal(message({ code: 'c' }));
    const outcome: RelayOutcome = await relay;
    expect(outcome).to.equal('unclaimed');
    expect(win).not.to.have.property(ANSWER);
  });

  it('relays an answer without a state to the opener only: there is no channel to name after it', async () => {
    const { win, posted } = callbackPage();
    const { heard, channel } = listen('null');
    try {
      expect(await postCallback(win, { state: null, code: 'c' }, { limit: 5000 })).to.equal('unclaimed');
      expect(posted).to.deep.equal([[message({ state: null, code: 'c' }), location.origin]]);
      expect(heard).to.deep.equal([]);
    } finally {
      channel.close();
    }
  });
});
