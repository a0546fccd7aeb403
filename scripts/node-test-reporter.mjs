// A short reporter for `node --test`: one line of counts, each skipped test by name with its reason, failures in full.
import { inspect } from 'node:util';
import { relative } from 'node:path';

export default async function* compactReporter(source) {
  let passed = 0;
  const skipped = [];
  const failures = [];
  /** What each test file wrote to stderr: shown with its failures (a file that crashed on import says why only there). */
  const stderr = new Map();
  for await (const { type, data } of source) {
    // Suites report too; only tests count. A suite's failure (a hook that threw) is reported in full below.
    if (type === 'test:pass' && data.details?.type !== 'suite') {
      if (data.skip !== undefined || data.todo !== undefined) {
        const reason = typeof (data.skip ?? data.todo) === 'string' ? ` (${data.skip ?? data.todo})` : '';
        skipped.push(`${where(data)}${data.name}${reason}`);
      } else passed++;
    }
    if (type === 'test:fail') {
      const error = data.details?.error;
      // A suite fails when a test in it does: the test is already reported.
      if (data.details?.type === 'suite' && error?.failureType === 'subtestsFailed') continue;
      failures.push({
        file: data.file,
        text: `✖ ${where(data)}${data.name}\n${inspect(error?.cause ?? error, { depth: 4 })}`,
      });
    }
    if (type === 'test:stderr') stderr.set(data.file, (stderr.get(data.file) ?? '') + data.message);
  }
  const told = new Set();
  for (const { file, text } of failures) {
    yield `${text}\n\n`;
    if (stderr.get(file)?.trim() && !told.has(file)) yield `stderr of ${where({ file })}\n${stderr.get(file)}\n`;
    told.add(file);
  }
  yield `${passed} passed, ${failures.length} failed, ${skipped.length} skipped\n`;
  for (const name of skipped) yield `  skipped: ${name}\n`;
}

const where = (data) => (data.file ? `${relative(process.cwd(), data.file)}: ` : '');
