/** The app's calls to Aries' token endpoint: a budget under Aries' quota with a share only refreshes may use, a limit per client on sign-ins, and Aries' own 429 obeyed until its reset. */
import { invalid, whole } from './options.js';
import { createCounter, type RateLimitOptions } from './rate-limit.js';
import type { SessionStore } from './store.js';

export interface AriesQuotaOptions {
  /** Token calls Aries allows this client in any `duration` seconds ("Authentication 10/min"). Default 10. */
  points?: number;
  /** Seconds. Default 60. */
  duration?: number;
  /** Of the calls the backend spends in each window, how many only refreshes may use. Default 2. */
  refreshReserve?: number;
}

export const DEFAULT_ARIES_QUOTA = { points: 10, duration: 60, refreshReserve: 2 } as const;
/** Sign-ins per client (IPv4 address or IPv6 /64) per window: below the app's sign-in share, so no one client takes it all. */
export const DEFAULT_CLIENT_LIMIT = { points: 2, duration: 60 } as const;

/** A call that may not go to Aries now: until when, and whose limit it met. */
export interface Refusal {
  retryAt: number;
  /** `client`: this client's sign-ins; `app`: the app's budget, or Aries' own 429 still in force. */
  by: 'client' | 'app';
}

export interface Quota {
  /** A sign-in by `client` (its bucket) may call Aries now: undefined, or the refusal. */
  admitSignIn(client: string): Promise<Refusal | undefined>;
  /** A refresh may call Aries now (it may use the whole budget): undefined, or the refusal. */
  admitRefresh(): Promise<Refusal | undefined>;
  /** Aries answered 429: no call at all, on any instance sharing the store, until `until` (epoch ms). */
  pause(until: number): Promise<void>;
}

/** Aries' quota as the backend spends it: half of it per fixed window (see below), of which `refreshReserve` is the refreshes'. */
export function checkQuota(
  ariesQuota: AriesQuotaOptions = {},
  perClient: RateLimitOptions = {},
): { points: number; duration: number; refreshReserve: number; perClient: Required<RateLimitOptions> } {
  const where = 'createBackend';
  const { points, duration, refreshReserve } = { ...DEFAULT_ARIES_QUOTA, ...ariesQuota };
  whole(where, 'ariesQuota.points', points, 2);
  whole(where, 'ariesQuota.duration', duration);
  whole(where, 'ariesQuota.refreshReserve', refreshReserve, 0);
  if (refreshReserve >= Math.floor(points / 2)) {
    invalid(
      where,
      'ariesQuota.refreshReserve',
      `below half of ariesQuota.points (${Math.floor(points / 2)})`,
      refreshReserve,
    );
  }
  const client = { ...DEFAULT_CLIENT_LIMIT, ...perClient };
  whole(where, 'tokenRateLimit.points', client.points);
  whole(where, 'tokenRateLimit.duration', client.duration);
  return { points, duration, refreshReserve, perClient: client };
}

const CALLS = 'calls';

export function createQuota(
  store: SessionStore,
  clientId: string,
  { points, duration, refreshReserve, perClient }: ReturnType<typeof checkQuota>,
): Quota {
  // Aries counts its quota over any `duration` seconds; the counter counts in fixed windows, and the end of one and the
  // start of the next fall within one such span. Spending at most half of the quota in each window keeps every span
  // (and so Aries) under the quota, whatever the timing.
  const app = createCounter(store, {
    points: Math.floor(points / 2),
    duration,
    keyPrefix: `aries-login:quota:${clientId}`,
  });
  const clients = createCounter(store, { ...perClient, keyPrefix: 'aries-login:token' });

  /** One call from the app's budget; a sign-in only while the refreshes' reserve is left untouched. */
  async function admit(kind: 'sign-in' | 'refresh'): Promise<Refusal | undefined> {
    const counted = await app.consume(CALLS);
    if (!counted.allowed) return { retryAt: counted.resetAt, by: 'app' };
    if (kind === 'sign-in' && counted.remaining < refreshReserve) {
      await app.reward(CALLS);
      return { retryAt: counted.resetAt, by: 'app' };
    }
    return undefined;
  }

  return {
    async admitSignIn(client) {
      const counted = await clients.consume(client);
      if (!counted.allowed) return { retryAt: counted.resetAt, by: 'client' };
      const refusal = await admit('sign-in');
      // The client did not reach Aries: its own bucket gets the point back.
      if (refusal) await clients.reward(client);
      return refusal;
    },
    admitRefresh: () => admit('refresh'),
    pause: (until) => app.block(CALLS, until),
  };
}
