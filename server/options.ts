/** Checks of the server entry's options: every number finite and in range, every origin a serialized one; a TypeError names the option. */

/** Throws a TypeError saying which option of which function is wrong, and what it must be. */
export function invalid(where: string, name: string, must: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new TypeError(`${where}: ${name} must be ${must}, not ${shown}`);
}

/** A finite number above zero (ms, bytes), optionally at most `max`; undefined keeps the default. */
export function positive(where: string, name: string, value: unknown, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    invalid(
      where,
      name,
      max < Number.MAX_SAFE_INTEGER ? `a number above 0, at most ${max}` : 'a finite number above 0',
      value,
    );
  }
}

/** A whole number at least `min` (points, counts, seconds of a rate-limit window); undefined keeps the default. */
export function whole(where: string, name: string, value: unknown, min = 1): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    invalid(where, name, `a whole number of at least ${min}`, value);
  }
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** The URL, if it is `https:`, or `http:` on a loopback host (where nothing but this machine can listen). */
function secureUrl(value: unknown): URL | undefined {
  try {
    const url = typeof value === 'string' ? new URL(value) : undefined;
    return url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopbackHost(url.hostname)) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A serialized origin (`https://app.example`, `http://localhost:5173`): `https:`, or `http:` on a loopback host. Never
 * `null` (sandboxed documents and `file:` pages all send it), `*`, a path, a query or a trailing slash.
 */
export function checkOrigin(where: string, name: string, value: unknown): void {
  if (secureUrl(value)?.origin !== value) {
    invalid(where, name, 'an origin such as "https://app.example" (http: only on localhost, 127.0.0.1, [::1])', value);
  }
}

/** An absolute https: URL (http: on a loopback host, for an emulator). */
export function checkUrl(where: string, name: string, value: unknown): void {
  if (!secureUrl(value)) invalid(where, name, 'an https: URL (http: only on localhost, 127.0.0.1, [::1])', value);
}

export function checkFunction(where: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') invalid(where, name, 'a function', value);
}
