/** Counters over time windows (rate-limiter-flexible): in memory, or shared through Redis when Redis holds the sessions, every call with a deadline. */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { deadline } from './deadline.js';
import type { SessionStore } from './store.js';

export interface RateLimitOptions {
  /** Calls allowed in each window. */
  points?: number;
  /** The window, in whole seconds. */
  duration?: number;
}

/** A count per key and window. */
export interface Counter {
  /** Counts one call: whether it is allowed, the points left in this window, and when the window ends (epoch ms). */
  consume(key: string): Promise<{ allowed: boolean; remaining: number; resetAt: number }>;
  /** Gives back a point consumed by a call that did not go ahead. */
  reward(key: string): Promise<void>;
  /** Refuses every call on `key` until `until` (epoch ms). */
  block(key: string, until: number): Promise<void>;
}

export function createCounter(
  store: SessionStore,
  { points, duration, keyPrefix }: { points: number; duration: number; keyPrefix: string },
): Counter {
  const backing = store.rateLimitBacking;
  const options = { points, duration, keyPrefix };
  let limiter: Promise<RateLimiterAbstract> | undefined;
  const get = () =>
    (limiter ??=
      backing.kind === 'redis'
        ? backing
            .connect()
            .then((client) => new RateLimiterRedis({ ...options, storeClient: client, useRedisPackage: true }))
        : Promise.resolve(new RateLimiterMemory(options)));

  /** Runs one limiter call: a refusal (RateLimiterRes) is an answer; anything else (Redis away or stalled) is thrown. */
  async function run<T>(call: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T | RateLimiterRes> {
    try {
      const work = get().then(call);
      return await (backing.kind === 'redis' ? deadline(work, backing.commandTimeout, 'Redis') : work);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return refusal;
      limiter = undefined;
      throw refusal;
    }
  }

  return {
    async consume(key) {
      const result = await run((l) => l.consume(key));
      return {
        allowed: result.consumedPoints <= points,
        remaining: result.remainingPoints,
        resetAt: Date.now() + Math.max(1, result.msBeforeNext),
      };
    },
    async reward(key) {
      await run((l) => l.reward(key));
    },
    async block(key, until) {
      // Whole seconds, at least one: the Redis limiter would keep a block of 0 s forever.
      await run((l) => l.block(key, Math.max(1, Math.ceil((until - Date.now()) / 1000))));
    },
  };
}
