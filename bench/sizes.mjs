/** Bytes the widget costs a page: the figures of scripts/check-size.mjs (one source), under the names the report uses. */
import { measureSizes as measure } from '../scripts/check-size.mjs';

/**
 * All size figures: `cdn` (the file every page loads), `element` (our code in it, lit left out), `flow` (fetched on the
 * first click), `languages`, `callback`.
 * @param {string} root the repository
 */
export async function measureSizes(root) {
  const measured = await measure(root);
  return { ...measured, element: measured.own };
}
