// createBackend and the stores check their options before anything starts (issue 21, row 9): a TypeError names the
// option at fault, so a typo in a deployment fails at start, not as a hole at run time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBackend, memoryStore, redisStore } from './support.mjs';

const base = { clientId: 'c', clientSecret: 's', tokenUrl: 'http://127.0.0.1:1/v1/oauth2/token' };
const refuses = (options, name) =>
  assert.throws(
    () => createBackend({ ...base, ...options }),
    (error) => error instanceof TypeError && error.message.includes(name),
    JSON.stringify(options, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)),
  );

describe('createBackend checks its options', () => {
  it('allowedOrigins: serialized https: origins, or http: on a loopback host; never null, *, a path or a slash', () => {
    for (const origin of [
      'null',
      '*',
      'https://app.example/',
      'https://app.example/app',
      'https://app.example?x',
      'http://app.example',
      'http://10.0.0.1:3000',
      'app.example',
      'HTTPS://APP.EXAMPLE',
      '',
      null,
    ]) {
      refuses({ allowedOrigins: [origin] }, 'allowedOrigins');
    }
    refuses({ allowedOrigins: 'https://app.example' }, 'allowedOrigins');
    for (const origin of [
      'https://app.example',
      'https://app.example:8443',
      'http://localhost:5173',
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
    ]) {
      assert.doesNotThrow(() => createBackend({ ...base, allowedOrigins: [origin] }), origin);
    }
  });

  it('lifetimes and limits: finite and above zero (NaN, Infinity, 0, negative, text are refused)', () => {
    for (const bad of [NaN, Infinity, 0, -1, '1000']) {
      refuses({ ariesTimeout: bad }, 'ariesTimeout');
      refuses({ maxBodySize: bad }, 'maxBodySize');
      refuses({ tokenRateLimit: { points: bad } }, 'tokenRateLimit.points');
      refuses({ tokenRateLimit: { duration: bad } }, 'tokenRateLimit.duration');
      refuses({ ariesQuota: { points: bad } }, 'ariesQuota.points');
      refuses({ ariesQuota: { duration: bad } }, 'ariesQuota.duration');
    }
    refuses({ tokenRateLimit: { points: 1.5 } }, 'tokenRateLimit.points');
    refuses({ ariesQuota: { points: 10, refreshReserve: 5 } }, 'ariesQuota.refreshReserve');
    refuses({ ariesQuota: { refreshReserve: -1 } }, 'ariesQuota.refreshReserve');
  });

  it('the rest: tokenUrl https: (or loopback http:), basePath a path, trustProxy a count or addresses, functions, a store', () => {
    refuses({ tokenUrl: 'http://aries.example/v1/oauth2/token' }, 'tokenUrl');
    refuses({ tokenUrl: 'not a url' }, 'tokenUrl');
    refuses({ basePath: 'auth' }, 'basePath');
    refuses({ basePath: '/auth/' }, 'basePath');
    for (const trust of [-1, 1.5, NaN, '1', ['10.0.0.0/33'], ['not-an-ip'], ['10.0.0.0/8/1'], [1]]) {
      refuses({ trustProxy: trust }, 'trustProxy');
    }
    for (const trust of [0, 2, ['10.0.0.0/8', '192.0.2.1', '2001:db8::/32', '::1']]) {
      assert.doesNotThrow(() => createBackend({ ...base, trustProxy: trust }), String(trust));
    }
    refuses({ clientIp: 'x-forwarded-for' }, 'clientIp');
    refuses({ log: console }, 'log');
    refuses({ store: {} }, 'store');
  });

  it('the stores: lifetimes finite and above zero, maxSessions whole, commandTimeout at most 2 s', () => {
    for (const bad of [NaN, Infinity, 0, -5]) {
      assert.throws(() => memoryStore({ idleTimeout: bad }), /memoryStore: idleTimeout/);
      assert.throws(() => memoryStore({ absoluteTimeout: bad }), /memoryStore: absoluteTimeout/);
      assert.throws(() => memoryStore({ maxSessions: bad }), /memoryStore: maxSessions/);
      assert.throws(() => redisStore({ url: 'redis://127.0.0.1:1', idleTimeout: bad }), /redisStore: idleTimeout/);
      assert.throws(
        () => redisStore({ url: 'redis://127.0.0.1:1', absoluteTimeout: bad }),
        /redisStore: absoluteTimeout/,
      );
      assert.throws(
        () => redisStore({ url: 'redis://127.0.0.1:1', commandTimeout: bad }),
        /redisStore: commandTimeout/,
      );
    }
    assert.throws(() => redisStore({ url: 'redis://127.0.0.1:1', commandTimeout: 5_000 }), /at most 2000/);
  });
});

describe('the checks alone', async () => {
  const { checkFunction, checkOrigin, checkUrl, isLoopbackHost, positive, whole } =
    await import('../../dist/server/options.js');
  const message = (fn) => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof TypeError);
      return error.message;
    }
  };

  it('loopback hosts: localhost, 127.0.0.1 and [::1] as a URL writes them, nothing else', () => {
    for (const host of ['localhost', '127.0.0.1', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['127.0.0.2', 'localhost.example', '::1', '0.0.0.0', 'app.example', '']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it('a refusal names where, the option, what it must be and the value given', () => {
    assert.equal(
      message(() => positive('memoryStore', 'idleTimeout', 0)),
      'memoryStore: idleTimeout must be a finite number above 0, not 0',
    );
    assert.match(
      message(() => positive('redisStore', 'commandTimeout', 2_001, 2_000)),
      /^redisStore: commandTimeout must .*2000.*, not 2001$/,
    );
    assert.equal(positive('x', 'y', undefined), undefined, 'an option left out is the default’s');
    assert.match(
      message(() => whole('createBackend', 'ariesQuota.points', 1, 2)),
      /at least 2, not 1$/,
    );
    assert.match(
      message(() => checkUrl('createBackend', 'tokenUrl', 'http://aries.example/token')),
      /^createBackend: tokenUrl must be an https: URL/,
    );
    assert.match(
      message(() => checkOrigin('createBackend', 'allowedOrigins[0]', 'https://a.example/')),
      /allowedOrigins\[0\]/,
    );
    assert.match(
      message(() => checkFunction('createBackend', 'log', 'console')),
      /^createBackend: log must be a function, not "console"$/,
    );
    for (const ok of [
      () => checkUrl('c', 'u', 'http://[::1]:4010/x'),
      () => checkOrigin('c', 'o', 'https://a.example'),
      () => checkFunction('c', 'f', undefined),
    ]) {
      assert.doesNotThrow(ok);
    }
  });
});
