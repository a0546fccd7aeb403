/** The shared session store: Redis (the official `redis` client), with TTLs, so any number of instances share sessions and a restart loses none. */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import {
  DEFAULT_ABSOLUTE_TIMEOUT,
  DEFAULT_IDLE_TIMEOUT,
  timeToLive,
  type SessionLifetime,
  type SessionStore,
  type StoredSession,
} from './store.js';

export interface RedisStoreOptions extends SessionLifetime {
  /** `redis://host:port` (or `rediss://` for TLS). */
  url?: string;
  /** An already created client of the `redis` package, instead of `url`; the store then does not close it. */
  client?: ReturnType<typeof createClient>;
  /** Prefix of every key the store writes. Default `aries-login:`. */
  prefix?: string;
}

/** Deletes the lock only if it is still ours (it may have expired and been taken by another instance meanwhile). */
/** Ms a request waits for Redis to be reachable before it is answered 500. */
const CONNECT_WAIT = 2_000;

const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export function redisStore({
  url,
  client: given,
  prefix = 'aries-login:',
  idleTimeout = DEFAULT_IDLE_TIMEOUT,
  absoluteTimeout = DEFAULT_ABSOLUTE_TIMEOUT,
}: RedisStoreOptions = {}): SessionStore {
  if (!url && !given) throw new TypeError('redisStore needs a url (or a client)');
  // Commands fail at once while Redis is away (answered 5xx) instead of queueing; the client reconnects in the background.
  const client = given ?? createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: CONNECT_WAIT } });
  // Without a listener, a lost connection would crash the process.
  if (!given) client.on('error', () => {});
  const ready = () =>
    client.isReady
      ? Promise.resolve(client)
      : new Promise<typeof client>((resolve, reject) => {
          const onReady = () => {
            clearTimeout(timer);
            resolve(client);
          };
          const timer = setTimeout(() => {
            client.off('ready', onReady);
            reject(new Error('Redis is not reachable'));
          }, CONNECT_WAIT);
          client.once('ready', onReady);
          if (!client.isOpen) client.connect().catch(() => {});
        });
  const key = (id: string) => `${prefix}session:${id}`;
  const ttl = (session: StoredSession) => Math.floor(timeToLive(session, idleTimeout, absoluteTimeout, Date.now()));

  const parse = (text: string | null) => {
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as StoredSession;
    } catch {
      return undefined;
    }
  };

  return {
    lifetime: { idleTimeout, absoluteTimeout },
    async create(id, session) {
      const ms = ttl(session);
      if (ms > 0)
        await (await ready()).set(key(id), JSON.stringify(session), { expiration: { type: 'PX', value: ms } });
    },
    async get(id) {
      const redis = await ready();
      // Reading renews the idle timeout, but never past the absolute end.
      const session = parse(await redis.get(key(id)));
      if (!session) return undefined;
      const ms = ttl(session);
      if (ms <= 0) return void (await redis.del(key(id)));
      await redis.pExpire(key(id), ms);
      return session;
    },
    async update(id, session) {
      const ms = ttl(session);
      const redis = await ready();
      if (ms <= 0) {
        await redis.del(key(id));
        return false;
      }
      // XX: written only if the session still exists; a sign-out (DEL) that came first is never undone.
      const done = await redis.set(key(id), JSON.stringify(session), {
        condition: 'XX',
        expiration: { type: 'PX', value: ms },
      });
      return done === 'OK';
    },
    async delete(id) {
      await (await ready()).del(key(id));
    },
    async lock(id, ms) {
      const redis = await ready();
      const token = randomBytes(16).toString('base64url');
      const lockKey = `${prefix}lock:${id}`;
      const taken = await redis.set(lockKey, token, { condition: 'NX', expiration: { type: 'PX', value: ms } });
      if (taken !== 'OK') return undefined;
      return async () => {
        await redis.eval(RELEASE, { keys: [lockKey], arguments: [token] }).catch(() => {});
      };
    },
    rateLimitBacking: { kind: 'redis', connect: ready },
    async close() {
      if (given || !client.isOpen) return;
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}
