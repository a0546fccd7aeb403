/** The per-client limit on `/token` (rate-limiter-flexible): in memory, or shared through Redis when Redis holds the sessions. */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SessionStore } from './store.js';

export interface RateLimitOptions {
  /** Sign-ins (code exchanges) allowed per client IP in each window. Default 10. */
  points?: number;
  /** The window, in seconds. Default 60. */
  duration?: number;
}

/** Resolves undefined when the request may go on, or the seconds until the client may try again. */
export type RateLimit = (key: string) => Promise<number | undefined>;

export function createRateLimit(store: SessionStore, { points = 10, duration = 60 }: RateLimitOptions = {}): RateLimit {
  const backing = store.rateLimitBacking;
  const options = { points, duration, keyPrefix: 'aries-login:token' };
  let limiter: Promise<RateLimiterAbstract> | undefined;
  const get = () =>
    (limiter ??=
      backing.kind === 'redis'
        ? backing
            .connect()
            .then((client) => new RateLimiterRedis({ ...options, storeClient: client, useRedisPackage: true }))
        : Promise.resolve(new RateLimiterMemory(options)));
  return async (key) => {
    try {
      await (await get()).consume(key);
      return undefined;
    } catch (refusal) {
      // A refusal resolves as RateLimiterRes; anything else (Redis unreachable) is a real error for the caller to answer.
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      limiter = undefined;
      throw refusal;
    }
  };
}
