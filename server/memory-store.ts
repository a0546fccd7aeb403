/** The embedded session store: one process, bounded (maxSessions, least recently used evicted first), with idle and absolute timeouts. */
// The store interface is asynchronous (Redis answers over the network); memory answers at once.
/* eslint-disable @typescript-eslint/require-await */
import { whole } from './options.js';
import {
  checkLifetime,
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
  whole('memoryStore', 'maxSessions', maxSessions);
  checkLifetime('memoryStore', { idleTimeout, absoluteTimeout });
  /** Map order is use order: the first entry is the least recently used, so eviction and idle sweeps start there. */
  const sessions = new Map<string, { session: StoredSession; lastSeen: number }>();
  /** The holder of each session's lock, and until when. */
  const locks = new Map<string, { until: number }>();

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
    async update(id, session, refreshToken) {
      const entry = sessions.get(id);
      if (!entry || !alive(entry, Date.now()) || entry.session.refreshToken !== refreshToken) return false;
      put(id, session);
      return true;
    },
    async delete(id, refreshToken) {
      if (refreshToken !== undefined && sessions.get(id)?.session.refreshToken !== refreshToken) return false;
      sessions.delete(id);
      return true;
    },
    async lock(id, ttl) {
      const now = Date.now();
      if ((locks.get(id)?.until ?? 0) > now) return undefined;
      const mine = { until: now + ttl };
      locks.set(id, mine);
      return {
        async extend(more) {
          const at = Date.now();
          if (locks.get(id) !== mine || mine.until <= at) return false;
          mine.until = at + more;
          return true;
        },
        async release() {
          if (locks.get(id) === mine) locks.delete(id);
        },
      };
    },
    rateLimitBacking: { kind: 'memory' },
    close: () => Promise.resolve(),
  };
}
