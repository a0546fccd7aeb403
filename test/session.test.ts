// The session's timers and refresh retries, on a test clock, with the backend's answers faked (it is outside the element).
import { expect } from '@open-wc/testing';
import type { AriesLoginError } from '../src/errors.js';
import type { AppWindow } from '../src/popup-channel.js';
import { MAX_TIMER_DELAY, MIN_REFRESH_DELAY, Session, refreshAt } from '../src/session.js';
import type { AriesTokens } from '../src/token-client.js';

/** Lets fetches, body reads and promise chains settle (a few turns of the real event loop). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** A clock that moves only when told; like a browser's, a delay beyond what setTimeout can wait fires at once. */
class TestClock {
  time = 1_700_000_000_000;
  private _timers = new Map<number, { at: number; callback: () => void }>();
  private _next = 0;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const delay = ms > MAX_TIMER_DELAY || !(ms >= 0) ? 0 : ms;
    this._timers.set(++this._next, { at: this.time + delay, callback });
    return this._next;
  };
  clearTimeout = (handle: unknown) => void this._timers.delete(handle as number);
  /** Moves time forward, running each timer due on the way (and letting promises settle after each). */
  async advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = [...this._timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
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
  const win = {
    Date: { now: clock.now },
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    BroadcastChannel,
    navigator: { locks: { request: (_name: string, run: () => Promise<unknown>) => run() } },
    fetch: async (url: string) => {
      calls.push(url);
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
  return { win, calls };
}

const fresh = (expiresIn: number) => ({
  status: 200,
  body: { access_token: `token-${Math.random()}`, expires_in: expiresIn, token_type: 'Bearer', scope: '' },
});
const tokens = (clock: TestClock, expiresIn: number): AriesTokens => ({
  accessToken: 'first',
  tokenType: 'Bearer',
  expiresIn,
  expiresAt: clock.now() + expiresIn * 1000,
  scope: '',
});

function start(answers: Answer[], clock = new TestClock()) {
  const { win, calls } = fakeWindow(answers, clock);
  const events: { type: string; detail?: unknown }[] = [];
  const session = new Session(win, () => '/auth', 5_000, {
    renewed: (t) => events.push({ type: 'renewed', detail: t }),
    troubled: (e) => events.push({ type: 'troubled', detail: e.code }),
    ended: (r) => events.push({ type: 'ended', detail: typeof r === 'string' ? r : (r as AriesLoginError).code }),
  });
  sessions.push(session);
  return { session, calls, events, clock };
}
const sessions: Session[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));

describe('Session timers', () => {
  it('refreshAt: a minute ahead of expiry, never sooner than the minimum gap, whatever the wire says', () => {
    const now = 1_000;
    expect(refreshAt({ expiresAt: now + 3_600_000, expiresIn: 3600 } as AriesTokens, now)).to.equal(now + 3_540_000);
    expect(refreshAt({ expiresAt: now + 1000, expiresIn: 1 } as AriesTokens, now)).to.equal(now + MIN_REFRESH_DELAY);
    expect(refreshAt({ expiresAt: NaN, expiresIn: NaN } as AriesTokens, now)).to.equal(now + MIN_REFRESH_DELAY);
  });

  it('a token living longer than setTimeout can wait (expires_in 3000000) is kept, and refreshed only near its expiry', async () => {
    const { session, calls, events, clock } = start([fresh(3600)]);
    session.hold(tokens(clock, 3_000_000));
    await clock.advance(MAX_TIMER_DELAY + 1);
    expect(calls, 'not refreshed when the first timer step ends').to.deep.equal([]);
    expect(events).to.deep.equal([]);
    await clock.advance(3_000_000_000 - MAX_TIMER_DELAY - 61_000);
    expect(calls).to.deep.equal([]);
    await clock.advance(2_000);
    expect(calls).to.deep.equal(['/auth/refresh']);
    expect(events.map((e) => e.type)).to.deep.equal(['renewed']);
  });

  it('without a backend, a very long-lived token expires at its expiry, not at once', async () => {
    const clock = new TestClock();
    const { win } = fakeWindow([fresh(1)], clock);
    const ended: string[] = [];
    const session = new Session(win, () => undefined, 5_000, {
      renewed: () => undefined,
      troubled: () => undefined,
      ended: (r) => ended.push(String(r)),
    });
    sessions.push(session);
    session.hold(tokens(clock, 3_000_000));
    await clock.advance(MAX_TIMER_DELAY * 1.2);
    expect(ended).to.deep.equal([]);
    await clock.advance(3_000_000_000);
    expect(ended).to.deep.equal(['expired']);
  });

  it('a backend answering tokens of 1 s cannot make the tab spin on /refresh', async () => {
    const { session, calls, clock } = start([fresh(1)]);
    session.hold(tokens(clock, 1));
    await clock.advance(60_000);
    expect(calls.length).to.be.at.most(60_000 / MIN_REFRESH_DELAY);
  });

  it('at most one refresh in flight: concurrent renewals share it', async () => {
    const { session, calls, clock } = start([fresh(3600)]);
    await Promise.all([session.renew(false), session.renew(false), session.renew(true)]);
    await clock.advance(0);
    expect(calls).to.have.length(1);
  });
});

describe('Session refresh failures', () => {
  for (const [answer, code] of [
    [{ status: 502, body: { error: 'server_error' } }, 'server_error'],
    [{ status: 503, body: undefined }, 'server_error'],
    [{ status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '10' } }, 'rate_limited'],
  ] as const) {
    it(`a transient ${answer.status} keeps the tab signed in, reports ${code}, and retries until it works`, async () => {
      const { session, calls, events, clock } = start([answer as Answer, answer as Answer, fresh(3600)]);
      session.hold(tokens(clock, 3600));
      await clock.advance(3_540_000);
      expect(events).to.deep.equal([{ type: 'troubled', detail: code }]);
      await clock.advance(60_000 - 5_000);
      expect(events.map((e) => e.type)).to.deep.equal(['troubled', 'troubled', 'renewed']);
      expect(calls).to.have.length(3);
    });
  }

  it('a network error is transient too', async () => {
    const clock = new TestClock();
    const { win, calls } = fakeWindow([fresh(3600)], clock);
    let failures = 1;
    const fetch = win.fetch;
    (win as unknown as { fetch: typeof fetch }).fetch = (...args: Parameters<typeof fetch>) =>
      failures-- > 0 ? Promise.reject(new TypeError('Failed to fetch')) : fetch(...args);
    const events: string[] = [];
    const session = new Session(win, () => '/auth', 5_000, {
      renewed: () => events.push('renewed'),
      troubled: (e) => events.push(e.code),
      ended: () => events.push('ended'),
    });
    sessions.push(session);
    session.hold(tokens(clock, 3600));
    await clock.advance(3_540_000 + 3_000);
    expect(events).to.deep.equal(['network_error', 'renewed']);
    expect(calls).to.have.length(1);
  });

  it('honours the rate limit’s reset time before retrying', async () => {
    const { session, calls, clock } = start([
      { status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '30' } },
      fresh(3600),
    ]);
    session.hold(tokens(clock, 3600));
    await clock.advance(3_540_000);
    await clock.advance(29_000);
    expect(calls).to.have.length(1);
    await clock.advance(2_000);
    expect(calls).to.have.length(2);
  });

  it('backs off, and signs out only when the token actually expires', async () => {
    const { session, calls, events, clock } = start([{ status: 503 }]);
    session.hold(tokens(clock, 3600));
    await clock.advance(3_600_000 + 1);
    const ended = events.filter((e) => e.type === 'ended');
    expect(ended).to.deep.equal([{ type: 'ended', detail: 'expired' }]);
    expect(calls.length, 'backoff: 2, 4, 8, 16, 32 s… within the last minute').to.be.within(4, 8);
    expect(events.slice(0, -1).every((e) => e.type === 'troubled')).to.equal(true);
  });

  it('session_expired signs out at once', async () => {
    const { session, events, clock } = start([{ status: 401, body: { error: 'session_expired' } }]);
    session.hold(tokens(clock, 3600));
    await clock.advance(3_540_000);
    expect(events).to.deep.equal([{ type: 'ended', detail: 'session_expired' }]);
  });

  it('204 (no session in this browser): nothing on restore, signed out on a refresh', async () => {
    const { session, events, clock } = start([{ status: 204 }]);
    await session.renew(true);
    expect(events).to.deep.equal([]);
    session.hold(tokens(clock, 3600));
    await clock.advance(3_540_000);
    expect(events).to.deep.equal([{ type: 'ended', detail: 'session_expired' }]);
  });

  it('a sign-out while a refresh is in flight: the refresh’s tokens are dropped', async () => {
    const { session, events } = start([fresh(3600)]);
    const refreshing = session.renew(false);
    await session.signOut().catch(() => {});
    await refreshing;
    expect(events.map((e) => e.type)).to.deep.equal(['ended']);
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
