// The opener's side: the answer for its state only, from the popup's URL, from what its page left there, or relayed;
// and read again at once when the page comes back from sleep.
import { expect } from '@open-wc/testing';
import { ANSWER, postCallback, type AppWindow } from '../src/popup-channel.js';
import { waitForCallback } from '../src/wait-for-callback.js';

const message = (fields: Record<string, unknown>) => ({ type: 'aries-login:callback', state: 's', ...fields });

describe('waitForCallback', () => {
  const fakePopup = { closed: false } as Window;
  const redirectUri = new URL('/__callback', location.href).href;
  const wait = (signal = new AbortController().signal, timeout = 5000) =>
    waitForCallback(window, fakePopup, 'mine', { redirectUri, timeout, signal });

  it('resolves with the callback for its state, sent on the channel, and acknowledges it', async () => {
    const pending = wait();
    const relayed = postCallback(window, { state: 'mine', code: 'c' }, { limit: 5000 });
    expect(await pending).to.deep.equal({
      state: 'mine',
      code: 'c',
      error: undefined,
      errorDescription: undefined,
      invalid: undefined,
    });
    expect(await relayed).to.equal('taken');
  });

  it('relays and acknowledges only on the channel named for its state: no other same-origin listener hears the code', async () => {
    // Another page of the app (or a script on it) listening where the answer used to go, or where another sign-in's goes.
    const heard: unknown[] = [];
    const others = ['aries-login', 'aries-login:callback', 'aries-login:callback:someone-else'].map((name) => {
      const channel = new BroadcastChannel(name);
      channel.onmessage = ({ data }: MessageEvent) => heard.push({ name, data });
      return channel;
    });
    // A listener that knows the state hears both: the answer, then the opener's acknowledgement.
    const own = new BroadcastChannel('aries-login:callback:mine');
    const onOwn = new Promise<unknown[]>((resolve, reject) => {
      const got: unknown[] = [];
      own.onmessage = ({ data }: MessageEvent) => got.push(data) === 2 && resolve(got);
      setTimeout(() => reject(new Error(`the channel named for the state carried ${got.length} of 2 messages`)), 5000);
    });
    try {
      const pending = wait();
      const relayed = postCallback(window, { state: 'mine', code: 'c' }, { limit: 5000 });
      expect((await pending).code).to.equal('c');
      expect(await relayed).to.equal('taken');
      expect(await onOwn).to.deep.equal([
        message({ state: 'mine', code: 'c' }),
        { type: 'aries-login:ack', state: 'mine' },
      ]);
      // Messages of one page reach every channel in the order sent: any stray copy would be here by now.
      expect(heard).to.deep.equal([]);
    } finally {
      for (const channel of [...others, own]) channel.close();
    }
  });

  it('passes on why a relayed answer is malformed, so that the opener reports it', async () => {
    const pending = wait();
    const invalid = "Aries' answer to the sign-in could not be read: `code` appears more than once.";
    void postCallback(window, { state: 'mine', code: 'a', invalid }, { limit: 5000 });
    expect(await pending).to.include({ state: 'mine', code: 'a', invalid });
  });

  it('ignores messages for other states and of other shapes, and keeps waiting', async () => {
    const pending = wait();
    const channel = new BroadcastChannel('aries-login:callback:mine');
    channel.postMessage(message({ state: 'someone-else', code: 'x' }));
    channel.postMessage({ type: 'aries-login:callback', state: 'mine' });
    window.postMessage(message({ state: 'someone-else', code: 'x' }), location.origin);
    await new Promise((r) => setTimeout(r, 100));
    channel.postMessage(message({ state: 'mine', code: 'real' }));
    expect((await pending).code).to.equal('real');
    channel.close();
  });

  it('ends in popup_timeout when nothing comes back', async () => {
    const error = await wait(undefined, 100).catch((e: unknown) => e);
    expect(error).to.have.property('code', 'popup_timeout');
  });

  it('ends in popup_closed when the user closes a popup seen on Aries’ page', async () => {
    // A window on another origin: reading its location throws, as the opener sees Aries' page.
    const popup = {
      closed: false,
      get location(): Location {
        throw new DOMException('cross-origin', 'SecurityError');
      },
    };
    const pending = waitForCallback(window, popup as unknown as Window, 'mine', {
      redirectUri,
      timeout: 5000,
      signal: new AbortController().signal,
    });
    // Seen on two polls (four a second): a single glimpse could be a COOP page before the browser severs the link.
    await new Promise((r) => setTimeout(r, 600));
    popup.closed = true;
    expect(await pending.catch((e: unknown) => e)).to.have.property('code', 'popup_closed');
  });

  it('keeps waiting on the channel when the popup reads closed before its page was seen: COOP severed it', async () => {
    const popup = { closed: true };
    const pending = waitForCallback(window, popup as unknown as Window, 'mine', {
      redirectUri,
      timeout: 5000,
      signal: new AbortController().signal,
    });
    await new Promise((r) => setTimeout(r, 600));
    const channel = new BroadcastChannel('aries-login:callback:mine');
    channel.postMessage(message({ state: 'mine', code: 'through-the-channel' }));
    expect((await pending).code).to.equal('through-the-channel');
    channel.close();
  });

  describe('a popup back on the app’s origin', () => {
    /** A window of this origin at `path`, as the popup is once Aries sends it back (a frame: no popup blocker). */
    const windowAt = (path: string) => {
      const frame = document.createElement('iframe');
      frame.src = path;
      document.body.append(frame);
      return { popup: frame.contentWindow!, remove: () => frame.remove() };
    };
    const page = '/test/fixtures/blank.html';
    const waitOn = (popup: Window, signal = new AbortController().signal, callbackPage = page) =>
      waitForCallback(window, popup, 'mine', {
        redirectUri: new URL(callbackPage, location.href).href,
        timeout: 5000,
        signal,
      });

    it('reads the answer from its URL on the redirect-uri page, and takes it out, so that its page relays nothing', async () => {
      const { popup, remove } = windowAt(`${page}?keep=1&code=c&state=mine#here`);
      try {
        expect(await waitOn(popup)).to.deep.equal({
          state: 'mine',
          code: 'c',
          error: undefined,
          errorDescription: undefined,
          invalid: undefined,
        });
        expect(popup.location.pathname + popup.location.search + popup.location.hash).to.equal(`${page}?keep=1#here`);
      } finally {
        remove();
      }
    });

    it('reads the answer its page left on its window, when that page took it out of the URL first', async () => {
      const { popup, remove } = windowAt(page);
      try {
        await new Promise((resolve) => popup.addEventListener('load', resolve, { once: true }));
        Object.defineProperty(popup, ANSWER, { value: message({ state: 'mine', code: 'left-here' }) });
        expect((await waitOn(popup)).code).to.equal('left-here');
      } finally {
        remove();
      }
    });

    it('refuses an answer in its URL for another state with state_mismatch: this very window brought it', async () => {
      const { popup, remove } = windowAt(`${page}?code=c&state=someone-else`);
      try {
        expect(await waitOn(popup).catch((e: unknown) => e)).to.have.property('code', 'state_mismatch');
      } finally {
        remove();
      }
    });

    it('leaves another page of the app alone, with its own ?code=', async () => {
      const { popup, remove } = windowAt(`${page}?code=c&state=mine`);
      const controller = new AbortController();
      const pending = waitOn(popup, controller.signal, '/test/fixtures/the-callback.html');
      try {
        await new Promise((r) => setTimeout(r, 300));
        expect(popup.location.search).to.equal('?code=c&state=mine');
        controller.abort('done');
        expect(await pending.catch((e: unknown) => e)).to.equal('done');
      } finally {
        remove();
      }
    });
  });

  describe('a page back from sleep (hidden, frozen, a background tab on a phone)', () => {
    /** This window with its timers asleep: nothing it schedules runs, as in a suspended tab. Its events are real. */
    const asleep = () => {
      const win = Object.create(window, {
        setInterval: { value: () => 0 },
        clearInterval: { value: () => {} },
        setTimeout: { value: () => 0 },
        clearTimeout: { value: () => {} },
        location: { value: location },
        document: { value: document },
      }) as AppWindow;
      for (const name of ['addEventListener', 'removeEventListener'] as const) {
        Object.defineProperty(win, name, { value: window[name].bind(window) });
      }
      return win;
    };
    const sameOrigin = (fields: Record<string, unknown>) =>
      ({
        closed: false,
        location: new URL('/test/fixtures/blank.html', location.href),
        ...fields,
      }) as unknown as Window;

    for (const event of ['focus', 'pageshow', 'visibilitychange']) {
      it(`reads the popup again at once on ${event}, though its timers have not run`, async () => {
        const popup = sameOrigin({ [ANSWER]: message({ state: 'mine', code: 'read-on-wake' }) });
        const pending = waitForCallback(asleep(), popup, 'mine', {
          redirectUri,
          timeout: 5000,
          signal: new AbortController().signal,
        });
        window.dispatchEvent(new Event(event));
        expect((await pending).code).to.equal('read-on-wake');
      });
    }

    it('asks the callback page for the answer again on the channel, and takes the answer it sends', async () => {
      const channel = new BroadcastChannel('aries-login:callback:mine');
      const asked: unknown[] = [];
      channel.onmessage = ({ data }: MessageEvent) => {
        asked.push(data);
        if (data?.type === 'aries-login:ask') channel.postMessage(message({ state: 'mine', code: 'asked-for' }));
      };
      try {
        // A severed popup (COOP): nothing to read there, only the channel.
        const pending = waitForCallback(asleep(), { closed: true } as Window, 'mine', {
          redirectUri,
          timeout: 5000,
          signal: new AbortController().signal,
        });
        window.dispatchEvent(new Event('focus'));
        expect((await pending).code).to.equal('asked-for');
        expect(asked[0]).to.deep.equal({ type: 'aries-login:ask', state: 'mine' });
      } finally {
        channel.close();
      }
    });
  });

  it('rejects with the abort reason when abandoned', async () => {
    const controller = new AbortController();
    const pending = wait(controller.signal);
    controller.abort('done');
    expect(await pending.catch((e: unknown) => e)).to.equal('done');
  });
});
