/** The shared session store: Redis (the official `redis` client), with TTLs, so any number of instances share sessions and a restart loses none. */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { deadline } from './deadline.js';
import { invalid, positive } from './options.js';
import {
  checkLifetime,
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
  /**
   * Ms any one Redis command may take (and a request waits for a connection) before the request is answered 500: a
   * stalled Redis is a fast failure, never a hang. Default 1,000; at most 2,000, well inside the refresh lock's 10 s.
   */
  commandTimeout?: number;
}

export const DEFAULT_COMMAND_TIMEOUT = 1_000;
const MAX_COMMAND_TIMEOUT = 2_000;

/** The stored session's refresh token, from its JSON (nil when it has none, or the value is not a session). */
const STORED_REFRESH_TOKEN =
  "local stored = redis.call('GET', KEYS[1]) if not stored then return nil end " +
  'local ok, session = pcall(cjson.decode, stored) if not ok or type(session) ~= "table" then return nil end ' +
  'local token = session.refreshToken ';
/** Replaces the session only if it still holds the refresh token sent to Aries. */
const UPDATE_IF = `${STORED_REFRESH_TOKEN} if token ~= ARGV[1] then return 0 end redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1`;
/** Deletes the session only if it still holds that refresh token. */
const DELETE_IF = `${STORED_REFRESH_TOKEN} if token ~= ARGV[1] then return 0 end redis.call('DEL', KEYS[1]) return 1`;
/** Extends or deletes the lock only if it is still ours (it may have lapsed and been taken by another instance). */
const EXTEND_LOCK =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";
const RELEASE_LOCK = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export function redisStore({
  url,
  client: given,
  prefix = 'aries-login:',
  idleTimeout = DEFAULT_IDLE_TIMEOUT,
  absoluteTimeout = DEFAULT_ABSOLUTE_TIMEOUT,
  commandTimeout = DEFAULT_COMMAND_TIMEOUT,
}: RedisStoreOptions = {}): SessionStore {
  if (!url && !given) throw new TypeError('redisStore needs a url (or a client)');
  if (typeof prefix !== 'string') invalid('redisStore', 'prefix', 'a string', prefix);
  checkLifetime('redisStore', { idleTimeout, absoluteTimeout });
  positive('redisStore', 'commandTimeout', commandTimeout, MAX_COMMAND_TIMEOUT);
  // Commands fail at once while Redis is away (answered 5xx) instead of queueing; the client reconnects in the background.
  const client = given ?? createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: commandTimeout } });
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
          }, commandTimeout);
          client.once('ready', onReady);
          if (!client.isOpen) client.connect().catch(() => {});
        });
  // Every command has a deadline: a connected Redis that stops answering (failover, a paused process, a black-holed
  // link) fails the request after `commandTimeout` instead of holding it for the whole stall. (The client's own
  // command timeout ends only the wait to be written, not the wait for the reply.)
  const run = async <T>(command: (redis: typeof client) => Promise<T>): Promise<T> =>
    deadline(command(await ready()), commandTimeout, 'Redis');
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
      if (ms > 0) {
        await run((redis) => redis.set(key(id), JSON.stringify(session), { expiration: { type: 'PX', value: ms } }));
      }
    },
    async get(id) {
      // Reading renews the idle timeout, but never past the absolute end.
      const session = parse(await run((redis) => redis.get(key(id))));
      if (!session) return undefined;
      const ms = ttl(session);
      if (ms <= 0) return void (await run((redis) => redis.del(key(id))));
      await run((redis) => redis.pExpire(key(id), ms));
      return session;
    },
    async update(id, session, refreshToken) {
      const ms = ttl(session);
      // Past its absolute end, the session ends here, as a read would end it.
      const script = ms > 0 ? UPDATE_IF : DELETE_IF;
      const done = await run((redis) =>
        redis.eval(script, { keys: [key(id)], arguments: [refreshToken, JSON.stringify(session), String(ms)] }),
      );
      return ms > 0 && done === 1;
    },
    async delete(id, refreshToken) {
      if (refreshToken === undefined) {
        await run((redis) => redis.del(key(id)));
        return true;
      }
      return (await run((redis) => redis.eval(DELETE_IF, { keys: [key(id)], arguments: [refreshToken] }))) === 1;
    },
    async lock(id, ms) {
      const token = randomBytes(16).toString('base64url');
      const lockKey = `${prefix}lock:${id}`;
      const taken = await run((redis) =>
        redis.set(lockKey, token, { condition: 'NX', expiration: { type: 'PX', value: ms } }),
      );
      if (taken !== 'OK') return undefined;
      return {
        extend: async (more) =>
          (await run((redis) => redis.eval(EXTEND_LOCK, { keys: [lockKey], arguments: [token, String(more)] }))) === 1,
        release: async () => {
          await run((redis) => redis.eval(RELEASE_LOCK, { keys: [lockKey], arguments: [token] }));
        },
      };
    },
    rateLimitBacking: { kind: 'redis', connect: ready, commandTimeout },
    async close() {
      if (given || !client.isOpen) return;
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}
