// One session per app on the page: shared by the app's elements, kept for a grace after the last one leaves, found by
// getAccessToken. Members here are plain recorders, not elements.
import { expect } from '@open-wc/testing';
import { AppSessions, afterGrace, appSessions, type AppConfig, type Member } from '../src/app-sessions.js';
import { AriesLoginError } from '../src/errors.js';
import { getAccessToken } from '../src/get-access-token.js';
import { ariesFetch } from '../src/session-fetch.js';
import type { AppWindow } from '../src/popup-channel.js';
import type { AriesTokens } from '../src/token-client.js';

const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition(), what).to.equal(true);
};
const frameAndTask = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve))));
const tokens = (accessToken: string, lifetime = 600_000): AriesTokens => ({
  accessToken,
  tokenType: 'Bearer',
  expiresIn: lifetime / 1000,
  expiresAt: Date.now() + lifetime,
  scope: '',
});

function member(notice = 0) {
  const heard: string[] = [];
  const recorder: Member = {
    notice,
    renewed: (t, signedIn) => heard.push(`${signedIn ? 'signed-in' : 'refreshed'} ${t.accessToken}`),
    troubled: (e) => heard.push(`troubled ${e.code}`),
    ended: (r) => heard.push(`ended ${typeof r === 'string' ? r : r.code}`),
    expiring: (d) => heard.push(`expiring ${d.reason}`),
    signedInElsewhere: (on) => heard.push(`elsewhere ${on}`),
  };
  return { recorder, heard };
}

/** The real window, with the backend's fetch counted (and answered 204: nobody signed in). */
function countingWindow() {
  const requests: string[] = [];
  const win = Object.create(window, {
    fetch: {
      value: (url: string) => {
        requests.push(url);
        return Promise.resolve(new Response(null, { status: 204 }));
      },
    },
  }) as AppWindow;
  // Called on a window other than itself, a browser's own methods would throw: these are bound to the real one.
  for (const name of ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] as const) {
    Object.defineProperty(win, name, { value: (window[name] as (...args: unknown[]) => unknown).bind(window) });
  }
  // The listeners it holds on the window, counted.
  const listening = new Set<unknown>();
  Object.defineProperty(win, 'addEventListener', {
    value: (type: string, listener: EventListener) => listening.add(`${type} ${String(listener)}`),
  });
  Object.defineProperty(win, 'removeEventListener', {
    value: (type: string, listener: EventListener) => listening.delete(`${type} ${String(listener)}`),
  });
  for (const name of ['document', 'navigator'] as const) Object.defineProperty(win, name, { value: window[name] });
  return { win, requests, listening };
}

let apps = 0;
const config = (extra: Partial<AppConfig> = {}): AppConfig => ({
  clientId: `client-${++apps}-${Math.random()}`,
  tokenUrl: 'https://api.aries.com/v1/oauth2/token',
  requestTimeout: 5_000,
  ...extra,
});

describe('afterGrace', () => {
  it('runs after the next frame and the task after it, once; or not at all once called off', async () => {
    const ran: string[] = [];
    afterGrace(window, () => ran.push('kept'));
    const cancel = afterGrace(window, () => ran.push('called off'));
    cancel();
    expect(ran).to.deep.equal([]);
    await frameAndTask();
    await new Promise((r) => setTimeout(r, 1100));
    expect(ran).to.deep.equal(['kept']);
  });
});

describe('AppSessions', () => {
  it('one session per app: elements of one app share it, another app (or backend) has its own', () => {
    const registry = new AppSessions();
    const { win } = countingWindow();
    const app = config();
    const one = registry.join(win, app, member().recorder);
    const two = registry.join(win, { ...app }, member().recorder);
    const otherApp = registry.join(win, config(), member().recorder);
    const otherToken = registry.join(win, { ...app, tokenUrl: 'https://other.example/token' }, member().recorder);
    expect(two).to.equal(one);
    expect(otherApp).to.not.equal(one);
    expect(otherToken).to.not.equal(one);
    expect(one.members.size).to.equal(2);
  });

  it('with a backend, the backend makes the app: an element without client-id (a callback page’s) shares its session', () => {
    const registry = new AppSessions();
    const { win } = countingWindow();
    const backendUrl = `${location.origin}/shared-backend`;
    const app = registry.join(win, config({ backendUrl }), member().recorder);
    expect(
      registry.join(win, config({ backendUrl, clientId: '', tokenUrl: 'https://x.example/t' }), member().recorder),
    ).to.equal(app);
    expect(registry.join(win, config({ backendUrl: `${backendUrl}-2` }), member().recorder)).to.not.equal(app);
  });

  it('every element hears what the session tells; the one that left hears nothing', async () => {
    const registry = new AppSessions();
    const { win } = countingWindow();
    const app = config();
    const [a, b] = [member(), member()];
    const session = registry.join(win, app, a.recorder);
    registry.join(win, app, b.recorder);
    session.session.signIn(tokens('t1'));
    session.leave(b.recorder);
    session.session.signIn(tokens('t2'));
    expect(a.heard).to.deep.equal(['signed-in t1', 'signed-in t2']);
    expect(b.heard).to.deep.equal(['signed-in t1']);
  });

  it('kept through a re-parent (left and joined in one task); ended after the grace, with its listeners', async () => {
    const registry = new AppSessions();
    const { win, requests, listening } = countingWindow();
    const app = config({ backendUrl: `${location.origin}/grace-backend` });
    const { recorder } = member();
    const first = registry.join(win, app, recorder);
    expect(listening.size, 'pageshow, pagehide, online, offline, focus, visibilitychange').to.equal(6);
    await until(() => requests.length === 1, 'a backend session restored once, as it is made');
    first.leave(recorder);
    expect(registry.join(win, app, recorder)).to.equal(first);
    first.leave(recorder);
    await frameAndTask();
    expect(() => registry.find(app.clientId)).to.throw(AriesLoginError);
    expect(listening.size, 'its resume listeners went with it').to.equal(0);
    // A new element of the app gets a new session (and restores it again).
    const second = registry.join(win, app, recorder);
    expect(second).to.not.equal(first);
    await until(() => requests.length === 2, 'the new session restored');
    second.leave(recorder);
  });

  it('the expiring notice comes at the longest lead time its elements ask for', async () => {
    const registry = new AppSessions();
    const { win } = countingWindow();
    const app = config();
    const early = member(60_000);
    const late = member(1_000);
    const session = registry.join(win, app, late.recorder);
    registry.join(win, app, early.recorder);
    // 30 s left: within the 60 s lead, so told at once, to both.
    session.session.signIn(tokens('t', 30_000));
    await new Promise((r) => setTimeout(r, 50));
    expect(early.heard).to.deep.equal(['signed-in t', 'expiring token']);
    expect(late.heard).to.deep.equal(['signed-in t', 'expiring token']);
  });

  it('find: the only app, or the one named; none is login_required; an ambiguous call is invalid_config', () => {
    const registry = new AppSessions();
    const { win } = countingWindow();
    expect(() => registry.find())
      .to.throw(AriesLoginError)
      .with.property('code', 'login_required');
    const a = config();
    const session = registry.join(win, a, member().recorder);
    expect(registry.find()).to.equal(session);
    const b = config();
    const other = registry.join(win, b, member().recorder);
    expect(() => registry.find())
      .to.throw(AriesLoginError)
      .with.property('code', 'invalid_config');
    expect(registry.find(b.clientId)).to.equal(other);
    expect(() => registry.find('nobody'))
      .to.throw(AriesLoginError)
      .with.property('code', 'login_required');
  });
});

describe('AppSessions.findBackend', () => {
  it('the only app with a backend, or the one named (relative or absolute); none is login_required; several invalid_config', () => {
    const registry = new AppSessions();
    const { win } = countingWindow();
    registry.join(win, config(), member().recorder);
    expect(() => registry.findBackend(undefined, location.href))
      .to.throw(AriesLoginError)
      .with.property('code', 'login_required');
    const auth = registry.join(win, config({ backendUrl: `${location.origin}/auth` }), member().recorder);
    expect(registry.findBackend(undefined, location.href)).to.equal(auth);
    const other = registry.join(win, config({ backendUrl: `${location.origin}/other` }), member().recorder);
    expect(() => registry.findBackend(undefined, location.href))
      .to.throw(AriesLoginError)
      .with.property('attribute', 'backendUrl');
    expect(registry.findBackend('/auth', location.href)).to.equal(auth);
    expect(registry.findBackend(`${location.origin}/other/`, location.href)).to.equal(other);
    expect(() => registry.findBackend('/nowhere', location.href))
      .to.throw(AriesLoginError)
      .with.property('code', 'login_required');
  });
});

describe('ariesFetch (the package function)', () => {
  it('through the only backend app’s session; with several, the one named; rejects with readable errors otherwise', async () => {
    const { win, requests } = countingWindow();
    const none = (await ariesFetch('/v1/users/me/accounts').catch((e: unknown) => e)) as AriesLoginError;
    expect(none.code).to.equal('login_required');
    expect(none.message).to.match(/not signed in/);
    const { recorder } = member();
    const auth = appSessions.join(win, config({ backendUrl: `${location.origin}/auth` }), recorder);
    const other = appSessions.join(win, config({ backendUrl: `${location.origin}/other` }), recorder);
    try {
      await until(() => requests.length === 2, 'both restores asked');
      auth.session.signIn({ tokenHeldBy: 'backend', expiresIn: 600, expiresAt: Date.now() + 600_000, scope: '' });
      const ambiguous = (await ariesFetch('/v1/users/me/accounts').catch((e: unknown) => e)) as AriesLoginError;
      expect(ambiguous.code).to.equal('invalid_config');
      expect(ambiguous.message).to.equal('`backendUrl` must be set.');
      const response = await ariesFetch('/v1/users/me/accounts', undefined, { backendUrl: '/auth' });
      expect(response.status).to.equal(204);
      expect(requests.at(-1)).to.equal(`${location.origin}/auth/api/v1/users/me/accounts`);
      const signedOut = (await ariesFetch('/v1/users/me/accounts', undefined, { backendUrl: '/other' }).catch(
        (e: unknown) => e,
      )) as AriesLoginError;
      expect(signedOut.code).to.equal('login_required');
      expect(requests).to.have.length(3);
    } finally {
      auth.leave(recorder);
      other.leave(recorder);
      await frameAndTask();
    }
  });
});

describe('getAccessToken (the package function)', () => {
  it('from the only app’s session; with several, the one named; rejects with readable errors otherwise', async () => {
    const { win } = countingWindow();
    const none = (await getAccessToken({ clientId: 'nobody' }).catch((e: unknown) => e)) as AriesLoginError;
    expect(none.code).to.equal('login_required');
    expect(none.message).to.match(/not signed in/);
    const a = config();
    const { recorder } = member();
    const app = appSessions.join(win, a, recorder);
    app.session.signIn(tokens('token-a'));
    const b = config();
    const other = appSessions.join(win, b, recorder);
    try {
      expect(await getAccessToken({ clientId: a.clientId })).to.equal('token-a');
      const ambiguous = (await getAccessToken().catch((e: unknown) => e)) as AriesLoginError;
      expect(ambiguous.code).to.equal('invalid_config');
      expect(ambiguous.message).to.equal('`clientId` must be set.');
      const signedOut = (await getAccessToken({ clientId: b.clientId }).catch((e: unknown) => e)) as AriesLoginError;
      expect(signedOut.code).to.equal('login_required');
      const tooShort = (await getAccessToken({ clientId: a.clientId, minValidity: 3600 }).catch(
        (e: unknown) => e,
      )) as AriesLoginError;
      expect(tooShort.code, 'no backend: a token that would not last').to.equal('login_required');
    } finally {
      app.leave(recorder);
      other.leave(recorder);
      await frameAndTask();
    }
  });
});
