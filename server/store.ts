/** What a session store keeps and the few operations the backend needs from one (memory and Redis implement it). */
import { positive } from './options.js';

/** One signed-in browser: the refresh token never leaves the server. */
export interface StoredSession {
  refreshToken?: string;
  /** Aries checks it again on every refresh: it must equal the sign-in's. */
  redirectUri: string;
  accessToken: string;
  tokenType: 'Bearer';
  scope: string;
  /** Seconds the current access token was issued for. */
  expiresIn: number;
  /** Epoch ms at which the current access token expires. */
  expiresAt: number;
  /** Epoch ms of the sign-in: the absolute lifetime counts from here. */
  createdAt: number;
}

/** A session's refresh lock, as taken with `SessionStore.lock`. */
export interface SessionLock {
  /** Keeps the lock `ttl` ms longer (while Aries is waited for); false when it lapsed meanwhile. */
  extend(ttl: number): Promise<boolean>;
  /** Lets go of the lock, if it is still this holder's. */
  release(): Promise<void>;
}

export interface SessionStore {
  /** Stores a new session under a fresh id. */
  create(id: string, session: StoredSession): Promise<void>;
  /** The session, or undefined when it is unknown, ended or timed out; reading it counts as activity (idle timeout). */
  get(id: string): Promise<StoredSession | undefined>;
  /**
   * Replaces a session only if it still holds `refreshToken`, the one sent to Aries (compare-and-set): false when it
   * was ended (so sign-out always wins) or refreshed by another holder meanwhile. Atomic.
   */
  update(id: string, session: StoredSession, refreshToken: string): Promise<boolean>;
  /** Ends a session; with `refreshToken`, only if it still holds that one (false otherwise). Atomic. */
  delete(id: string, refreshToken?: string): Promise<boolean>;
  /** Takes the refresh lock of a session for `ttl` ms; undefined when another holder has it. */
  lock(id: string, ttl: number): Promise<SessionLock | undefined>;
  /**
   * The rate limiters' backing: Redis shares counts between instances (every call bounded by `commandTimeout` ms);
   * memory counts per process.
   */
  readonly rateLimitBacking:
    { kind: 'memory' } | { kind: 'redis'; connect: () => Promise<unknown>; commandTimeout: number };
  /** The timeouts it ends sessions by, so that the browser can be told when its session ends (`session_expires_in`). */
  readonly lifetime?: Required<SessionLifetime>;
  /** Closes connections (Redis); the memory store has none. */
  close(): Promise<void>;
}

/** Timeouts shared by both stores. */
export interface SessionLifetime {
  /** Ms without any request after which a session ends. Default 7 days. */
  idleTimeout?: number;
  /** Ms after sign-in at which a session ends whatever happens. Default 30 days. */
  absoluteTimeout?: number;
}

export const DEFAULT_IDLE_TIMEOUT = 7 * 24 * 3600_000;
export const DEFAULT_ABSOLUTE_TIMEOUT = 30 * 24 * 3600_000;

/** Checks the timeouts of a store's options (finite, above zero). */
export function checkLifetime(where: string, { idleTimeout, absoluteTimeout }: SessionLifetime): void {
  positive(where, 'idleTimeout', idleTimeout);
  positive(where, 'absoluteTimeout', absoluteTimeout);
}

/** Ms a session may still live: until idle, or until its absolute end, whichever comes first. */
export const timeToLive = (session: StoredSession, idle: number, absolute: number, now: number) =>
  Math.min(idle, session.createdAt + absolute - now);
