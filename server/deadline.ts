/** Time limits on promises the backend does not control (Redis, Aries): the work's late outcome is dropped, the timer never outlives the race. */

/** Settles as `work` does, or with `late()` once `ms` have passed first. */
export async function race<T, U>(work: Promise<T>, ms: number, late: () => U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  // Past the deadline, the work's failure is nobody's to handle (and must not be an unhandled rejection).
  work.catch(() => {});
  const expired = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const TIMED_OUT = Symbol('timed out');

/** `work`, or a rejection once `ms` have passed: a command sent to a stalled server never answers by itself. */
export async function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  const result = await race(work, ms, () => TIMED_OUT);
  if (result === TIMED_OUT) throw new Error(`${what} did not answer within ${ms} ms`);
  return result as T;
}
