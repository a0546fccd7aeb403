// The session's timers, refreshes, tokens on demand, resume and tabs, on a test clock, with the backend's answers faked
// (it is outside the element). Two sessions on one channel name are two tabs of one app (real BroadcastChannels).
import { expect } from '@open-wc/testing';
import { AriesLoginError } from '../src/errors.js';
import type { AppWindow } from '../src/popup-channel.js';
import {
  MAX_TIMER_DELAY,
  MIN_REFRESH_DELAY,
  MIN_RESUME_ASK_DELAY,
  Session,
  refreshAt,
  type SessionHandlers,
  type TabMessage,
} from '../src/session.js';
import type { AriesTokens, SignedInSession } from '../src/token-client.js';

/** Lets fetches, body reads, channel messages and promise chains settle (a few turns of the real event loop). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/**
 * A clock that moves only when told; like a browser's, a delay beyond what setTimeout can wait fires at once. `held`:
 * time passes but no timer runs, as in a laptop asleep or a frozen tab.
 */
class TestClock {
  // Years before the real time: tokens read from a response are dated with Date.now(), so they outlive the test.
  time = 1_700_000_000_000;
  held = false;
  private _timers = new Map<number, { at: number; callback: () => void }>();
  private _next = 0;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const delay = ms > MAX_TIMER_DELAY || !(ms >= 0) ? 0 : ms;
    this._timers.set(++this._next, { at: this.time + delay, callback });
    return this._next;
  };
  clearTimeout = (handle: unknown) => void this._timers.delete(handle as number);
  get pending() {
    return this._timers.size;
  }
  /** Moves time forward, running each timer due on the way (and letting promises settle after each). */
  async advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = [...this._timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (this.held || !due) break;
      this._timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = end;
    await settle();
  }
}

type Answer = { status: number; body?: object; headers?: Record<string, string> };

/** A window on the test clock whose fetch answers from a script of backend answers, counting calls. */
function fakeWindow(answers: Answer[], clock: TestClock) {
  const calls: string[] = [];
  const inits: (RequestInit | undefined)[] = [];
  const win = {
    Date: { now: clock.now },
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    BroadcastChannel,
    navigator: { locks: { request: (_name: string, run: () => Promise<unknown>) => run() } },
    fetch: async (url: string, init?: RequestInit) => {
      calls.push(url);
      inits.push(init);
      const next = answers.length > 1 ? answers.shift()! : answers[0];
      // A body read at once (a real Response streams it, which a loaded browser may finish only after `settle`).
      const { status, body, headers } = next;
      return {
        status,
        ok: status >= 200 && status < 300,
        headers: new Headers({ 'Content-Type': 'application/json', ...headers }),
        json: () => (body ? Promise.resolve(body) : Promise.reject(new SyntaxError('no body'))),
      } as unknown as Response;
    },
  } as unknown as AppWindow;
  return { win, calls, inits };
}

const fresh = (expiresIn: number, extra: object = {}) => ({
  status: 200,
  body: { access_token: `token-${Math.random()}`, expires_in: expiresIn, token_type: 'Bearer', scope: '', ...extra },
});
const tokens = (clock: TestClock, expiresIn: number, accessToken = 'first'): AriesTokens => ({
  accessToken,
  tokenType: 'Bearer',
  expiresIn,
  expiresAt: clock.now() + expiresIn * 1000,
  scope: '',
});

let channels = 0;
const sessions: Session[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

/** A session of a fresh app (its own channel), recording what it tells. */
function start(
  answers: Answer[],
  {
    clock = new TestClock(),
    /** No backend. */
    public: publicMode = false,
    channel = `test:${++channels}`,
    notice = 120_000,
  } = {},
) {
  const { win, calls, inits } = fakeWindow(answers, clock);
  const events: { type: string; detail?: unknown }[] = [];
  const handlers: SessionHandlers = {
    renewed: (t, signedIn) => events.push({ type: signedIn ? 'signed-in' : 'refreshed', detail: t }),
    troubled: (e) => events.push({ type: 'troubled', detail: e.code }),
    ended: (r) => events.push({ type: 'ended', detail: typeof r === 'string' ? r : r.code }),
    expiring: (d) => events.push({ type: 'expiring', detail: d }),
    signedInElsewhere: (on) => events.push({ type: 'elsewhere', detail: on }),
  };
  const backendUrl = publicMode ? undefined : '/auth';
  const session = new Session(win, { backendUrl, channel, requestTimeout: 5_000, notice: () => notice }, handlers);
  sessions.push(session);
  const types = () => events.map((e) => e.type);
  return { session, win, calls, inits, events, types, clock, channel };
}

describe('Session timers', () => {
  it('refreshAt: a minute ahead of expiry, never sooner than the minimum gap, whatever the wire says', () => {
    const now = 1_000;
    expect(refreshAt({ expiresAt: now + 3_600_000, expiresIn: 3600 } as AriesTokens, now)).to.equal(now + 3_540_000);
    expect(refreshAt({ expiresAt: now + 1000, expiresIn: 1 } as AriesTokens, now)).to.equal(now + MIN_REFRESH_DELAY);
    expect(refreshAt({ expiresAt: NaN, expiresIn: NaN } as AriesTokens, now)).to.equal(now + MIN_REFRESH_DELAY);
  });

  it('a token living longer than setTimeout can wait (expires_in 3000000) is kept, and refreshed only near its expiry', async () => {
    const { session, calls, types, clock } = start([fresh(3600)]);
    session.signIn(tokens(clock, 3_000_000));
    await clock.advance(MAX_TIMER_DELAY + 1);
    expect(calls, 'not refreshed when the first timer step ends').to.deep.equal([]);
    expect(types()).to.deep.equal(['signed-in']);
    await clock.advance(3_000_000_000 - MAX_TIMER_DELAY - 61_000);
    expect(calls).to.deep.equal([]);
    await clock.advance(2_000);
    expect(calls).to.deep.equal(['/auth/refresh']);
    expect(types()).to.deep.equal(['signed-in', 'refreshed']);
  });

  it('without a backend, a very long-lived token expires at its expiry, not at once', async () => {
    const { session, events, clock } = start([fresh(1)], { public: true, notice: 0 });
    session.signIn(tokens(clock, 3_000_000));
    await clock.advance(MAX_TIMER_DELAY * 1.2);
    expect(events.filter((e) => e.type === 'ended')).to.deep.equal([]);
    await clock.advance(3_000_000_000);
    expect(events.filter((e) => e.type === 'ended')).to.deep.equal([{ type: 'ended', detail: 'expired' }]);
  });

  it('a backend answering tokens of 1 s cannot make the tab spin on /refresh', async () => {
    const { session, calls, clock } = start([fresh(1)]);
    session.signIn(tokens(clock, 1));
    await clock.advance(60_000);
    expect(calls.length).to.be.at.most(60_000 / MIN_REFRESH_DELAY);
  });

  it('at most one refresh in flight: concurrent renewals share it', async () => {
    const { session, calls, clock } = start([fresh(3600)]);
    await Promise.all([session.renew(), session.renew(), session.renew(true)]);
    await clock.advance(0);
    expect(calls).to.have.length(1);
  });

  it('never hands out an expired token, even while its timer is held', async () => {
    const { session, clock } = start([fresh(3600)], { public: true });
    const held = tokens(clock, 60);
    session.signIn(held);
    expect(session.tokens).to.equal(held);
    clock.held = true;
    await clock.advance(60_000);
    expect(session.tokens, 'its expiry has come').to.equal(null);
  });
});

describe('Session refresh failures', () => {
  for (const [answer, code] of [
    [{ status: 502, body: { error: 'server_error' } }, 'server_error'],
    [{ status: 503, body: undefined }, 'server_error'],
    [{ status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '10' } }, 'rate_limited'],
  ] as const) {
    it(`a transient ${answer.status} keeps the tab signed in, reports ${code}, and retries until it works`, async () => {
      const { session, calls, events, types, clock } = start([answer as Answer, answer as Answer, fresh(3600)]);
      session.signIn(tokens(clock, 3600));
      await clock.advance(3_540_000);
      expect(events.slice(1)).to.deep.equal([{ type: 'troubled', detail: code }]);
      await clock.advance(60_000 - 5_000);
      expect(types()).to.deep.equal(['signed-in', 'troubled', 'troubled', 'refreshed']);
      expect(calls).to.have.length(3);
    });
  }

  it('a network error is transient too', async () => {
    const { session, win, calls, types, clock } = start([fresh(3600)]);
    const answer = win.fetch;
    let failures = 1;
    win.fetch = (...args: Parameters<typeof fetch>) =>
      failures-- > 0 ? Promise.reject(new TypeError('Failed to fetch')) : answer(...args);
    session.signIn(tokens(clock, 3600));
    await clock.advance(3_540_000 + 3_000);
    expect(types()).to.deep.equal(['signed-in', 'troubled', 'refreshed']);
    expect(calls).to.have.length(1);
  });

  it('honours the rate limit’s reset time before retrying', async () => {
    const { session, calls, clock } = start([
      { status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '30' } },
      fresh(3600),
    ]);
    session.signIn(tokens(clock, 3600));
    await clock.advance(3_540_000);
    await clock.advance(29_000);
    expect(calls).to.have.length(1);
    await clock.advance(2_000);
    expect(calls).to.have.length(2);
  });

  it('backs off, and signs out only when the token actually expires', async () => {
    const { session, calls, events, clock } = start([{ status: 503 }]);
    session.signIn(tokens(clock, 3600));
    await clock.advance(3_600_000 + 1);
    const ended = events.filter((e) => e.type === 'ended');
    expect(ended).to.deep.equal([{ type: 'ended', detail: 'expired' }]);
    expect(calls.length, 'backoff: 2, 4, 8, 16, 32 s… within the last minute').to.be.within(4, 8);
    expect(events.slice(1, -1).every((e) => e.type === 'troubled')).to.equal(true);
  });

  it('session_expired signs out at once', async () => {
    const { session, events, clock } = start([{ status: 401, body: { error: 'session_expired' } }]);
    session.signIn(tokens(clock, 3600));
    await clock.advance(3_540_000);
    expect(events.slice(1)).to.deep.equal([{ type: 'ended', detail: 'session_expired' }]);
  });

  it('204 (no session in this browser): nothing on restore, signed out on a refresh', async () => {
    const { session, events, clock } = start([{ status: 204 }]);
    await session.renew();
    expect(events).to.deep.equal([]);
    session.signIn(tokens(clock, 3600));
    await clock.advance(3_540_000);
    expect(events.slice(1)).to.deep.equal([{ type: 'ended', detail: 'session_expired' }]);
  });

  it('a sign-out while a refresh is in flight: the refresh’s tokens are dropped', async () => {
    const { session, types, clock } = start([fresh(3600)]);
    session.signIn(tokens(clock, 3600));
    const refreshing = session.renew();
    await session.signOut().catch(() => {});
    await refreshing;
    expect(types()).to.deep.equal(['signed-in', 'ended']);
    expect(session.tokens).to.equal(null);
  });

  it('the backend answering the token already held is no refresh: nothing is told', async () => {
    const clock = new TestClock();
    const held = tokens(clock, 3600, 'same');
    const { session, types } = start([fresh(3600, { access_token: 'same' })], { clock });
    session.signIn(held);
    await session.renew();
    expect(types()).to.deep.equal(['signed-in']);
  });
});

describe('Session.getAccessToken', () => {
  it('hands out a token that lasts, without asking anyone', async () => {
    const { session, calls, clock } = start([fresh(3600)]);
    session.signIn(tokens(clock, 3600));
    expect(await session.getAccessToken()).to.equal('first');
    expect(await session.getAccessToken(3599)).to.equal('first');
    expect(calls).to.deep.equal([]);
  });

  it('backend: refreshes a token about to expire first, once for every concurrent caller', async () => {
    const { session, calls, types, clock } = start([fresh(3600, { access_token: 'second' })]);
    session.signIn(tokens(clock, 3600));
    await clock.advance(3_600_000 - 70_000);
    expect(calls, 'before its own timer').to.deep.equal([]);
    // 70 s left: not enough for any of these.
    const answers = await Promise.all([
      session.getAccessToken(90),
      session.getAccessToken(90),
      session.getAccessToken(100),
    ]);
    expect(answers).to.deep.equal(['second', 'second', 'second']);
    expect(calls).to.deep.equal(['/auth/refresh']);
    expect(types().at(-1)).to.equal('refreshed');
    expect(session.tokens!.accessToken).to.equal('second');
  });

  it('backend: the session gone at the backend is session_expired; a transient failure is that error', async () => {
    for (const [answer, code] of [
      [{ status: 401, body: { error: 'session_expired' } }, 'session_expired'],
      [{ status: 502, body: { error: 'server_error' } }, 'server_error'],
    ] as const) {
      const { session, clock } = start([answer]);
      session.signIn(tokens(clock, 10));
      const error = (await session.getAccessToken().catch((e: unknown) => e)) as AriesLoginError;
      expect(error).to.be.instanceOf(AriesLoginError);
      expect(error.code).to.equal(code);
    }
  });

  it('backend: waits for a restore in flight; signed out without one, login_required without a request', async () => {
    const restoring = start([fresh(3600, { access_token: 'restored' })]);
    const restore = restoring.session.renew();
    expect(await restoring.session.getAccessToken()).to.equal('restored');
    await restore;
    const signedOut = start([{ status: 204 }]);
    await signedOut.session.renew();
    signedOut.calls.length = 0;
    const error = (await signedOut.session.getAccessToken().catch((e: unknown) => e)) as AriesLoginError;
    expect(error.code).to.equal('login_required');
    expect(signedOut.calls).to.deep.equal([]);
  });

  it('no backend: login_required when signed out, or when the token would not last; the token is kept', async () => {
    const { session, clock } = start([], { public: true });
    expect(((await session.getAccessToken().catch((e: unknown) => e)) as AriesLoginError).code).to.equal(
      'login_required',
    );
    session.signIn(tokens(clock, 20));
    expect(((await session.getAccessToken().catch((e: unknown) => e)) as AriesLoginError).code).to.equal(
      'login_required',
    );
    expect(await session.getAccessToken(10)).to.equal('first');
    expect(session.tokens!.accessToken).to.equal('first');
  });
});

describe('Session.resume', () => {
  it('no backend: a tab whose timers were held past expiry drops the token at once', async () => {
    const { session, types, clock } = start([], { public: true, notice: 0 });
    session.signIn(tokens(clock, 60));
    clock.held = true;
    await clock.advance(3_600_000);
    expect(types(), 'asleep: no timer ran').to.deep.equal(['signed-in']);
    session.resume(false);
    expect(types()).to.deep.equal(['signed-in', 'ended']);
    expect(session.tokens).to.equal(null);
  });

  it('backend: a tab whose timers were held past expiry refreshes at once', async () => {
    const { session, calls, types, clock } = start([fresh(3600, { access_token: 'after-sleep' })]);
    session.signIn(tokens(clock, 600));
    clock.held = true;
    await clock.advance(3_600_000);
    expect(calls).to.deep.equal([]);
    expect(session.tokens, 'expired: not handed out').to.equal(null);
    session.resume(false);
    await settle();
    expect(calls).to.deep.equal(['/auth/refresh']);
    expect(types()).to.deep.equal(['signed-in', 'refreshed']);
    expect(session.tokens!.accessToken).to.equal('after-sleep');
  });

  it('backend: after a time away, asks the backend again (another tab may have signed in or out), throttled', async () => {
    const { session, calls, clock } = start([fresh(3600)]);
    session.signIn(tokens(clock, 3600));
    session.resume(false);
    await settle();
    expect(calls, 'back from a mere focus change: nothing to ask').to.deep.equal([]);
    session.resume(true);
    session.resume(true);
    await clock.advance(MIN_RESUME_ASK_DELAY - 1);
    session.resume(true);
    await settle();
    expect(calls, 'once per MIN_RESUME_ASK_DELAY').to.have.length(1);
    await clock.advance(1);
    session.resume(true);
    await settle();
    expect(calls).to.have.length(2);
  });

  it('a timer not yet due is armed again for the time left (timers do not count the time asleep)', async () => {
    const { session, clock, types } = start([], { public: true, notice: 0 });
    session.signIn(tokens(clock, 60));
    clock.held = true;
    await clock.advance(30_000);
    clock.held = false;
    session.resume(false);
    await clock.advance(29_999);
    expect(types()).to.deep.equal(['signed-in']);
    await clock.advance(1);
    expect(types()).to.deep.equal(['signed-in', 'ended']);
  });
});

describe('Session expiring notice', () => {
  it('no backend: once, the notice’s lead time before the token expires', async () => {
    const { session, events, clock } = start([], { public: true, notice: 120_000 });
    const held = tokens(clock, 600);
    session.signIn(held);
    await clock.advance(480_000 - 1);
    expect(events.map((e) => e.type)).to.deep.equal(['signed-in']);
    await clock.advance(1);
    expect(events[1]).to.deep.equal({ type: 'expiring', detail: { expiresAt: held.expiresAt, reason: 'token' } });
    await clock.advance(120_000);
    expect(events.map((e) => e.type)).to.deep.equal(['signed-in', 'expiring', 'ended']);
  });

  it('no backend: at once on resume when its lead time passed while asleep', async () => {
    const { session, types, clock } = start([], { public: true, notice: 120_000 });
    session.signIn(tokens(clock, 600));
    clock.held = true;
    await clock.advance(500_000);
    session.resume(false);
    expect(types()).to.deep.equal(['signed-in', 'expiring']);
  });

  it('backend: before the backend’s own session ends (session_expires_in), once, whatever the refreshes', async () => {
    const clock = new TestClock();
    // Answers are dated by Date.now(): here it is the test clock's.
    clock.time = Date.now();
    const realNow = Date.now;
    Date.now = clock.now;
    try {
      // The backend's session ends 2 h from now, whatever the refreshes; each answer says how long it has left.
      const sessionEnd = clock.now() + 7_200_000;
      const { session, win, events } = start([], { clock, notice: 300_000 });
      let answered = 0;
      win.fetch = () => {
        answered++;
        return Promise.resolve(
          Response.json(fresh(3600, { session_expires_in: Math.round((sessionEnd - clock.now()) / 1000) }).body),
        );
      };
      await session.renew();
      await clock.advance(3_600_000);
      expect(answered, 'refreshed in the meantime').to.be.greaterThan(1);
      expect(events.filter((e) => e.type === 'expiring')).to.deep.equal([]);
      await clock.advance(7_200_000 - 3_600_000 - 300_000);
      const told = events.filter((e) => e.type === 'expiring');
      expect(told).to.deep.equal([{ type: 'expiring', detail: { expiresAt: sessionEnd, reason: 'session' } }]);
      await clock.advance(200_000);
      expect(events.filter((e) => e.type === 'expiring')).to.have.length(1);
    } finally {
      Date.now = realNow;
    }
  });
});

describe('Session tabs', () => {
  const listen = (channel: string) => {
    const heard: TabMessage[] = [];
    const spy = new BroadcastChannel(channel);
    spy.onmessage = ({ data }) => heard.push(data as TabMessage);
    return { heard, close: () => spy.close() };
  };

  it('a sign-out in one tab signs out every tab of that app, and only of that app', async () => {
    const first = start([], { public: true });
    const second = start([], { public: true, channel: first.channel });
    const otherApp = start([], { public: true });
    for (const tab of [first, second, otherApp]) tab.session.signIn(tokens(tab.clock, 3600));
    await first.session.signOut();
    await settle();
    expect(second.types()).to.deep.equal(['signed-in', 'ended']);
    expect(second.events.at(-1)!.detail).to.equal('logout');
    expect(otherApp.types()).to.deep.equal(['signed-in']);
    expect(otherApp.session.tokens).to.not.equal(null);
  });

  it('backend: a sign-in in one tab has the others take the session the backend now holds, as a sign-in', async () => {
    const signedIn = start([fresh(3600, { access_token: 'picked-up' })]);
    signedIn.session.signIn(tokens(signedIn.clock, 3600, 'old-user'));
    await settle();
    const signedOut = start([fresh(3600, { access_token: 'picked-up' })], { channel: signedIn.channel });
    const tab = start([], { channel: signedIn.channel });
    tab.session.signIn(tokens(tab.clock, 3600, 'new-user'));
    await settle();
    for (const other of [signedOut, signedIn]) {
      expect(other.calls).to.deep.equal(['/auth/refresh']);
      expect(other.events.at(-1)!.type).to.equal('signed-in');
      expect(other.session.tokens!.accessToken).to.equal('picked-up');
    }
  });

  it('no backend: no token crosses tabs; a signed-out tab knows another is signed in, until that token expires', async () => {
    const signedIn = start([], { public: true });
    signedIn.session.signIn(tokens(signedIn.clock, 3600, 'own'));
    await settle();
    const { channel } = signedIn;
    const spy = listen(channel);
    const signingIn = start([], { public: true, channel });
    const signedOut = start([], { public: true, channel });
    const theirs = tokens(signingIn.clock, 600, 'secret-token');
    signingIn.session.signIn(theirs);
    await settle();
    expect(JSON.stringify(spy.heard)).not.to.include('secret-token');
    expect(spy.heard.at(-1)).to.deep.equal({ type: 'signed-in', until: theirs.expiresAt });
    expect(signedOut.types()).to.deep.equal(['elsewhere']);
    expect(signedOut.session.elsewhere).to.equal(true);
    expect(signedOut.session.tokens).to.equal(null);
    expect(signedIn.session.tokens!.accessToken, 'a signed-in tab keeps its own token').to.equal('own');
    await signedOut.clock.advance(600_000);
    expect(signedOut.events.at(-1)).to.deep.equal({ type: 'elsewhere', detail: false });
    spy.close();
  });

  it('no backend: another tab signing out ends "signed in elsewhere" too', async () => {
    const signingIn = start([], { public: true });
    const signedOut = start([], { public: true, channel: signingIn.channel });
    signingIn.session.signIn(tokens(signingIn.clock, 600));
    await settle();
    await signingIn.session.signOut();
    await settle();
    expect(signedOut.types()).to.deep.equal(['elsewhere', 'elsewhere']);
    expect(signedOut.session.elsewhere).to.equal(false);
  });

  it('backend: a refresh in one tab lets a tab that is retrying try again at once', async () => {
    const retrying = start([{ status: 503 }, fresh(3600, { access_token: 'fresh' })]);
    retrying.session.signIn(tokens(retrying.clock, 3600));
    await retrying.clock.advance(3_540_000);
    expect(retrying.types()).to.deep.equal(['signed-in', 'troubled']);
    const other = start([fresh(3600, { access_token: 'old' }), fresh(3600, { access_token: 'fresh' })], {
      channel: retrying.channel,
    });
    await other.session.renew();
    await settle();
    retrying.calls.length = 0;
    // Refreshed: a new token.
    await other.session.renew();
    await settle();
    expect(retrying.calls, 'before its backoff is over').to.deep.equal(['/auth/refresh']);
    expect(retrying.session.tokens!.accessToken).to.equal('fresh');
  });

  it('backend: the backend’s session_expired in one tab has the app’s other signed-in tabs ask the backend, which ends theirs', async () => {
    const expired = { status: 401, body: { error: 'session_expired' } };
    const first = start([expired]);
    // It takes the session of the first tab's sign-in from the backend, which later has none.
    const second = start([fresh(3600), { status: 204 }], { channel: first.channel });
    first.session.signIn(tokens(first.clock, 3600));
    await settle();
    expect(second.types()).to.deep.equal(['signed-in']);
    const signedOut = start([fresh(3600)], { channel: first.channel });
    await first.clock.advance(3_540_000);
    await settle();
    expect(first.events.at(-1)).to.deep.equal({ type: 'ended', detail: 'session_expired' });
    expect(second.calls, 'it asked the backend itself').to.deep.equal(['/auth/refresh', '/auth/refresh']);
    expect(second.events.at(-1)).to.deep.equal({ type: 'ended', detail: 'session_expired' });
    expect(signedOut.calls, 'a tab signed out has nothing to end').to.deep.equal([]);
  });

  it('no backend: a session-expired message asks nobody (there is no backend to ask) and ends nothing', async () => {
    const { session, calls, clock, channel, types } = start([], { public: true });
    session.signIn(tokens(clock, 3600));
    const tab = new BroadcastChannel(channel);
    tab.postMessage({ type: 'session-expired' } satisfies TabMessage);
    tab.close();
    await settle();
    expect(calls).to.deep.equal([]);
    expect(types()).to.deep.equal(['signed-in']);
  });

  it('a disposed session keeps no timer and hears no tab', async () => {
    const { session, clock, channel, types } = start([], { public: true });
    session.signIn(tokens(clock, 600));
    session.dispose();
    expect(clock.pending).to.equal(0);
    const tab = start([], { public: true, channel });
    await tab.session.signOut();
    await settle();
    expect(types()).to.deep.equal(['signed-in']);
  });
});

/** A logout the backend did not confirm is tried again after these (ms). */
const LOGOUT_RETRY_DELAYS = [500, 1_500];

describe('Session sign-out', () => {
  it('a logout the backend did not confirm is tried again with backoff; logout_failed only after the last try', async () => {
    const { session, calls, events, clock } = start([{ status: 500, body: { error: 'server_error' } }]);
    let outcome: string | undefined;
    session.signOut().then(
      () => (outcome = 'confirmed'),
      (error: AriesLoginError) => (outcome = error.code),
    );
    await clock.advance(0);
    expect(events, 'signed out here at once').to.deep.equal([{ type: 'ended', detail: 'logout' }]);
    expect(calls).to.deep.equal(['/auth/logout']);
    await clock.advance(LOGOUT_RETRY_DELAYS[0]);
    expect(calls.length).to.equal(2);
    expect(outcome, 'still trying').to.equal(undefined);
    await clock.advance(LOGOUT_RETRY_DELAYS[1]);
    expect(calls.length).to.equal(3);
    expect(outcome).to.equal('logout_failed');
  });

  it('a logout that fails once (a network error, a 5xx) and then goes through: no error', async () => {
    const { session, calls, clock } = start([{ status: 503 }, { status: 204 }]);
    let outcome: string | undefined;
    session.signOut().then(
      () => (outcome = 'confirmed'),
      (error: AriesLoginError) => (outcome = error.code),
    );
    await clock.advance(LOGOUT_RETRY_DELAYS[0]);
    expect(calls.length).to.equal(2);
    expect(outcome).to.equal('confirmed');
  });
});

/** A backend that keeps the tokens (apiProxy): its answers name none. */
const heldByBackend = (expiresIn: number, extra: object = {}) => ({
  status: 200,
  body: { expires_in: expiresIn, scope: 'user:information', token_held_by: 'backend', ...extra },
});
/** Its session as the page holds it, dated like an answer read now (with the real clock, as requestTokens does). */
const backendSession = (expiresIn: number): SignedInSession => ({
  tokenHeldBy: 'backend',
  expiresIn,
  expiresAt: Date.now() + expiresIn * 1000,
  scope: 'user:information',
});

describe('Session with a backend that keeps the tokens (apiProxy)', () => {
  it('holds the backend’s session without a token; a later expiry is a refresh, the same one (give or take rounding) is not', async () => {
    const { session, events, types } = start([heldByBackend(3600), heldByBackend(3599), heldByBackend(7200)]);
    session.signIn(backendSession(3600));
    await session.renew();
    await session.renew();
    expect(types(), 'the backend answered the token it holds').to.deep.equal(['signed-in']);
    await session.renew();
    expect(types()).to.deep.equal(['signed-in', 'refreshed']);
    expect(events[1].detail).to.include({ tokenHeldBy: 'backend', expiresIn: 7200, scope: 'user:information' });
    expect(events[1].detail).not.to.have.property('accessToken');
    expect(session.tokens).to.include({ tokenHeldBy: 'backend' });
  });

  it('getAccessToken rejects with token_held_by_backend at once, without a request, however little time is left', async () => {
    const { session, calls } = start([heldByBackend(3600)]);
    session.signIn(backendSession(3600));
    for (const minValidity of [30, 7200]) {
      const error = (await session.getAccessToken(minValidity).catch((e: unknown) => e)) as AriesLoginError;
      expect(error).to.be.instanceOf(AriesLoginError);
      expect(error.code).to.equal('token_held_by_backend');
    }
    expect(calls).to.deep.equal([]);
    // A page restoring its session: the answer says the backend keeps the token.
    const restoring = start([heldByBackend(3600)]);
    const restore = restoring.session.renew();
    const error = (await restoring.session.getAccessToken().catch((e: unknown) => e)) as AriesLoginError;
    expect(error.code).to.equal('token_held_by_backend');
    await restore;
  });

  it('fetchApi: Aries’ path through {backend}/api with the cookie and the CSRF header; the answer as it came', async () => {
    const { session, calls, inits } = start([{ status: 200, body: { accounts: [] } }]);
    session.signIn(backendSession(3600));
    const response = await session.fetchApi('/v1/users/me/accounts?x=1', { headers: { Accept: 'application/json' } });
    expect(await response.json()).to.deep.equal({ accounts: [] });
    expect(calls).to.deep.equal(['/auth/api/v1/users/me/accounts?x=1']);
    expect(inits[0]!.credentials).to.equal('include');
    const headers = new Headers(inits[0]!.headers);
    expect(headers.get('X-Requested-With')).to.equal('aries-login');
    expect(headers.get('Accept')).to.equal('application/json');
  });

  it('fetchApi: the proxy’s session_expired ends the session here and, through the backend, in the app’s other tabs', async () => {
    const first = start([{ status: 401, body: { error: 'session_expired' } }]);
    // It takes the session of the first tab's sign-in from the backend, which later has none.
    const second = start([heldByBackend(3600), { status: 204 }], { channel: first.channel });
    first.session.signIn(backendSession(3600));
    await settle();
    expect(second.session.tokens).to.include({ tokenHeldBy: 'backend' });
    const error = (await first.session.fetchApi('/v1/users/me/accounts').catch((e: unknown) => e)) as AriesLoginError;
    expect(error.code).to.equal('session_expired');
    expect(first.session.tokens).to.equal(null);
    expect(first.events.at(-1)).to.deep.equal({ type: 'ended', detail: 'session_expired' });
    await settle();
    expect(second.calls).to.deep.equal(['/auth/refresh', '/auth/refresh']);
    expect(second.events.at(-1)).to.deep.equal({ type: 'ended', detail: 'session_expired' });
  });

  it('fetchApi: a sign-in while the call was out keeps the new session, whatever the old one’s answer', async () => {
    const { session, types } = start([{ status: 401, body: { error: 'session_expired' } }]);
    session.signIn(backendSession(3600));
    const call = session.fetchApi('/v1/users/me/accounts').catch((e: AriesLoginError) => e.code);
    session.signIn(backendSession(3600));
    expect(await call).to.equal('session_expired');
    expect(types()).to.deep.equal(['signed-in', 'signed-in']);
    expect(session.tokens).not.to.equal(null);
  });

  it('fetchApi: insufficient_scope, rate_limited and network errors reject; the session and its elements go on', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 30);
    const { session, types, win } = start([
      { status: 403, body: { error: 'insufficient_scope', error_description: 'order:execution is required' } },
      { status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': reset } },
    ]);
    session.signIn(backendSession(3600));
    const scope = (await session
      .fetchApi('/v1/orders', { method: 'POST' })
      .catch((e: unknown) => e)) as AriesLoginError;
    expect(scope).to.include({ code: 'insufficient_scope', status: 403, description: 'order:execution is required' });
    const limited = (await session
      .fetchApi('/v1/orders', { method: 'POST' })
      .catch((e: unknown) => e)) as AriesLoginError;
    expect(limited).to.include({ code: 'rate_limited', retryAt: Number(reset) * 1000 });
    win.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const offline = (await session.fetchApi('/v1/orders').catch((e: unknown) => e)) as AriesLoginError;
    expect(offline.code).to.equal('network_error');
    expect(types()).to.deep.equal(['signed-in']);
    expect(session.tokens).not.to.equal(null);
  });

  it('fetchApi: login_required without a request when nobody is signed in; a restore in flight is waited for', async () => {
    const signedOut = start([{ status: 204 }]);
    await signedOut.session.renew();
    signedOut.calls.length = 0;
    const error = (await signedOut.session
      .fetchApi('/v1/users/me/accounts')
      .catch((e: unknown) => e)) as AriesLoginError;
    expect(error.code).to.equal('login_required');
    expect(signedOut.calls).to.deep.equal([]);
    const restoring = start([heldByBackend(3600), { status: 200, body: { accounts: [] } }]);
    void restoring.session.renew();
    expect((await restoring.session.fetchApi('/v1/users/me/accounts')).status).to.equal(200);
    expect(restoring.calls).to.deep.equal(['/auth/refresh', '/auth/api/v1/users/me/accounts']);
  });

  it('fetchApi without a backend: invalid_config naming backend-url, and no request', async () => {
    const { session, calls, clock } = start([], { public: true });
    session.signIn(tokens(clock, 3600));
    const error = (await session.fetchApi('/v1/users/me/accounts').catch((e: unknown) => e)) as AriesLoginError;
    expect(error).to.include({ code: 'invalid_config', attribute: 'backend-url' });
    expect(calls).to.deep.equal([]);
  });
});
