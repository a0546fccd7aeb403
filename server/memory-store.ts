/** The embedded session store: one process, bounded (maxSessions, least recently used evicted first), with idle and absolute timeouts. */
// The store interface is asynchronous (Redis answers over the network); memory answers at once.
/* eslint-disable @typescript-eslint/require-await */
import {
  DEFAULT_ABSOLUTE_TIMEOUT,
  DEFAULT_IDLE_TIMEOUT,
  timeToLive,
  type SessionLifetime,
  type SessionStore,
  type StoredSession,
} from './store.js';

export interface MemoryStoreOptions extends SessionLifetime {
  /** The most sessions kept; beyond it the least recently used is ended. Default 10,000 (about 8 MB of heap). */
  maxSessions?: number;
}

export const DEFAULT_MAX_SESSIONS = 10_000;

export function memoryStore({
  maxSessions = DEFAULT_MAX_SESSIONS,
  idleTimeout = DEFAULT_IDLE_TIMEOUT,
  absoluteTimeout = DEFAULT_ABSOLUTE_TIMEOUT,
}: MemoryStoreOptions = {}): SessionStore {
  if (!(Number.isInteger(maxSessions) && maxSessions > 0))
    throw new TypeError('maxSessions must be a positive integer');
  /** Map order is use order: the first entry is the least recently used, so eviction and idle sweeps start there. */
  const sessions = new Map<string, { session: StoredSession; lastSeen: number }>();
  const locks = new Map<string, number>();

  const alive = (entry: { session: StoredSession; lastSeen: number }, now: number) =>
    timeToLive(entry.session, idleTimeout - (now - entry.lastSeen), absoluteTimeout, now) > 0;

  function put(id: string, session: StoredSession) {
    sessions.delete(id);
    sessions.set(id, { session, lastSeen: Date.now() });
  }

  return {
    lifetime: { idleTimeout, absoluteTimeout },
    async create(id, session) {
      const now = Date.now();
      // Idle sessions sit at the front; so do the oldest when the cap is reached.
      for (const [oldId, entry] of sessions) {
        if (sessions.size < maxSessions && alive(entry, now)) break;
        sessions.delete(oldId);
      }
      put(id, session);
    },
    async get(id) {
      const entry = sessions.get(id);
      if (!entry) return undefined;
      if (!alive(entry, Date.now())) {
        sessions.delete(id);
        return undefined;
      }
      put(id, entry.session);
      return entry.session;
    },
    async update(id, session) {
      if (!sessions.has(id)) return false;
      put(id, session);
      return true;
    },
    async delete(id) {
      sessions.delete(id);
    },
    async lock(id, ttl) {
      const now = Date.now();
      if ((locks.get(id) ?? 0) > now) return undefined;
      const until = now + ttl;
      locks.set(id, until);
      return async () => {
        if (locks.get(id) === until) locks.delete(id);
      };
    },
    rateLimitBacking: { kind: 'memory' },
    close: () => Promise.resolve(),
  };
}
