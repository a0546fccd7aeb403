/** The operator's log: one JSON line per event through the `log` option; never a token, code, verifier, secret, cookie or session id. */
import { createHash } from 'node:crypto';

export type LogLevel = 'error' | 'warn' | 'info';

/**
 * What the backend reports:
 * - `aries_fault`: Aries could not be reached, timed out, answered 5xx, a redirect, an unreadable 200, `invalid_client`
 *   (level `error`: the backend's secret is wrong) or 429;
 * - `session_ended`: a sign-out, Aries' `invalid_grant` on a refresh, or a session left without a refresh token;
 * - `request_refused`: a request answered 4xx by the backend itself (`class`: `rate_limited`, `csrf`, `bad_request`,
 *   `code_refused` when Aries refused a sign-in's code);
 * - `store_failed`: the session store did not answer (Redis down or stalled);
 * - `config`: something to set or know about the deployment (no client address, the local-development cookie).
 */
export type LogEvent = 'aries_fault' | 'session_ended' | 'request_refused' | 'store_failed' | 'config' | 'refresh_late';

export type Report = (level: LogLevel, event: LogEvent, fields?: Record<string, string | number | undefined>) => void;

export function operatorLog(log: (line: string) => void): Report {
  return (level, event, fields = {}) => {
    try {
      log(JSON.stringify({ source: 'aries-login', level, event, ...fields }));
    } catch {
      // A failing log sink must not turn an answer into a 500.
    }
  };
}

/** A session's name in the log: 12 hex characters of its id's SHA-256, enough to follow it, useless to resume it. */
export const sessionTag = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 12);
