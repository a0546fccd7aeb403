/** aries-login/server: the token-mediating backend for <aries-login backend-url>, its session stores, and their types. */
export { createBackend, DEFAULT_ARIES_TIMEOUT, DEFAULT_TOKEN_URL } from './backend.js';
export type { Backend, BackendOptions, RequestInfo } from './backend.js';
export { memoryStore, DEFAULT_MAX_SESSIONS } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export { redisStore, DEFAULT_COMMAND_TIMEOUT } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export type { SessionStore, StoredSession, SessionLifetime, SessionLock } from './store.js';
export { DEFAULT_ARIES_QUOTA, DEFAULT_CLIENT_LIMIT } from './quota.js';
export type { AriesQuotaOptions } from './quota.js';
export type { TrustProxy } from './client-ip.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { Middleware } from './node.js';
