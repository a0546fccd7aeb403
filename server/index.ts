/** aries-login/server: the backend (BFF) for <aries-login backend-url>, its session stores, and their types. */
export { createBackend, DEFAULT_ARIES_TIMEOUT, DEFAULT_TOKEN_URL } from './backend.js';
export type { Backend, BackendOptions, RequestInfo } from './backend.js';
export { memoryStore, DEFAULT_MAX_SESSIONS } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export { redisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export type { SessionStore, StoredSession, SessionLifetime, ReleaseLock } from './store.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { Middleware } from './node.js';
