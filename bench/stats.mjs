/** Small statistics for the bench: timings are reported as median and 90th percentile, never as a single run. */

/**
 * @typedef {{ n: number, median: number, p90: number, min: number, max: number }} Stats
 */

/** Nearest-rank percentile of sorted values (`p` in 0..1). */
const percentile = (/** @type {number[]} */ sorted, /** @type {number} */ p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];

/** @returns {Stats | null} null when there is nothing to summarise (a figure the run could not measure). */
export function summarize(/** @type {(number | undefined | null)[]} */ values) {
  const sorted = values
    .filter((v) => typeof v === 'number' && Number.isFinite(v))
    .map(Number)
    .sort((a, b) => a - b);
  if (!sorted.length) return null;
  const round = (/** @type {number} */ v) => Math.round(v * 100) / 100;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    n: sorted.length,
    median: round(median),
    p90: round(percentile(sorted, 0.9)),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
  };
}
