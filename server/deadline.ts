/** Time limits on promises the backend does not control (Redis, Aries): the work's late outcome is dropped, the timer never outlives the race. */

/** Settles as `work` does, or with `late()` once `ms` have passed first. */
export async function race<T, U>(work: Promise<T>, ms: number, late: () => U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  // Past the deadline, the work's failure is nobody's to handle (and must not be an unhandled rejection).
  work.catch(() => {});
  const expired = new Promise<U>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** `work`, or a rejection once `ms` have passed: a command sent to a stalled server never answers by itself. */
export const deadline = <T>(work: Promise<T>, ms: number, what: string): Promise<T> =>
  race(work, ms, (): never => {
    throw new Error(`${what} did not answer within ${ms} ms`);
  });
