// The public entry (aries-login/server, server/index.ts): exactly what the package's users may import, each the
// module's own (the README documents these names).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import './support.mjs'; // builds dist/server

const entry = await import('../../dist/server/index.js');

describe('aries-login/server', () => {
  it('exports the backend, the stores, the errors, the route table and their defaults, and nothing else', async () => {
    assert.deepEqual(Object.keys(entry).sort(), [
      'ARIES_API_ROUTES',
      'AriesSessionError',
      'DEFAULT_API_RATE_LIMITS',
      'DEFAULT_API_URL',
      'DEFAULT_ARIES_QUOTA',
      'DEFAULT_ARIES_TIMEOUT',
      'DEFAULT_CLIENT_LIMIT',
      'DEFAULT_COMMAND_TIMEOUT',
      'DEFAULT_MAX_RESPONSE_SIZE',
      'DEFAULT_MAX_SESSIONS',
      'DEFAULT_TOKEN_URL',
      'createBackend',
      'memoryStore',
      'redisStore',
    ]);
    const modules = {
      backend: ['createBackend', 'DEFAULT_ARIES_TIMEOUT', 'DEFAULT_TOKEN_URL'],
      'memory-store': ['memoryStore', 'DEFAULT_MAX_SESSIONS'],
      'redis-store': ['redisStore', 'DEFAULT_COMMAND_TIMEOUT'],
      quota: ['DEFAULT_ARIES_QUOTA', 'DEFAULT_CLIENT_LIMIT'],
      'access-token': ['AriesSessionError'],
      'api-routes': ['ARIES_API_ROUTES'],
      'api-proxy': ['DEFAULT_API_URL', 'DEFAULT_API_RATE_LIMITS', 'DEFAULT_MAX_RESPONSE_SIZE'],
    };
    for (const [module, names] of Object.entries(modules)) {
      const own = await import(`../../dist/server/${module}.js`);
      for (const name of names) assert.equal(entry[name], own[name], `${name} from ${module}`);
    }
  });

  it('its defaults are the documented ones', () => {
    assert.equal(entry.DEFAULT_TOKEN_URL, 'https://api.aries.com/v1/oauth2/token');
    assert.equal(entry.DEFAULT_API_URL, 'https://api.aries.com');
    assert.equal(entry.DEFAULT_ARIES_TIMEOUT, 10_000);
    assert.equal(entry.DEFAULT_MAX_SESSIONS, 10_000);
    assert.equal(entry.DEFAULT_COMMAND_TIMEOUT, 1_000);
    assert.deepEqual({ ...entry.DEFAULT_ARIES_QUOTA }, { points: 10, duration: 60, refreshReserve: 2 });
    assert.deepEqual({ ...entry.DEFAULT_CLIENT_LIMIT }, { points: 2, duration: 60 });
    assert.equal(entry.ARIES_API_ROUTES.length, 19);
  });
});
