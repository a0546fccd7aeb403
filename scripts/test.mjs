// `npm test`: every check in order, one short summary per stage, a failing stage's output in full, skipped tests named.
import { spawn } from 'node:child_process';
import { ensureTestTools } from './ensure-browsers.mjs';

/**
 * The stages, in order. `summary` picks what a passing stage prints from its output (its last line when absent);
 * `needed` stops the run when the stage fails (nothing after it can run without it). Adding a stage is one line.
 */
const stages = [
  {
    name: 'lint',
    run: 'npm run --silent lint',
    summary: () => ['tsc, no import cycle (madge), ESLint, lit-analyzer and Prettier: clean'],
  },
  { name: 'build', run: 'npm run --silent build', needed: true, summary: () => ['dist/ and cdn/ built'] },
  { name: 'types', run: 'node scripts/check-types.mjs' },
  { name: 'docs', run: 'node scripts/check-docs.mjs' },
  {
    name: 'node tests',
    run: 'node --test --test-reporter=./scripts/node-test-reporter.mjs test/emulator/ test/server/',
    summary: all,
  },
  { name: 'chromium', run: 'web-test-runner', env: { BROWSERS: 'chromium' }, summary: browserSummary },
  { name: 'firefox', run: 'web-test-runner', env: { BROWSERS: 'firefox' }, summary: browserSummary },
  { name: 'webkit', run: 'web-test-runner', env: { BROWSERS: 'webkit' }, summary: browserSummary },
  { name: 'size', run: 'node scripts/check-size.mjs', summary: sizeSummary },
];

function all(lines) {
  return lines;
}
/** web-test-runner's own lines about files and logs stay out; the summary reporter's counts and skipped tests stay. */
function browserSummary(lines) {
  const start = lines.findIndex((l) => /^\w+: \d+ passed, \d+ failed, \d+ skipped/.test(l));
  return start < 0 ? lines.slice(-1) : lines.slice(start);
}

/** ANSI escape sequences (colours, cursor moves). */
const ESCAPES = new RegExp(String.raw`\x1b\[[\d;]*[A-Za-z]`, 'g');

/** The files every page loads and the flow, with their figures; the language files in one line. */
function sizeSummary(lines) {
  const figures = lines.filter((l) => /ceiling/.test(l)).map((l) => l.trim().replace(/\s{2,}/g, '  '));
  const languages = figures.filter((l) => l.startsWith('cdn/i18n/'));
  return [
    ...figures.filter((l) => !languages.includes(l)),
    `${languages.length} language files, each within its ceiling`,
  ];
}

/** Runs one command through the shell, output captured (stdout and stderr in the order written). */
function run(command, env) {
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      // Plain text: the output is read in a log or shown once the stage ends, never redrawn in place.
      env: { ...process.env, ...env, ARIES_TEST_SUMMARY: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // Whatever colours or cursor moves got through anyway (web-test-runner clears its own lines) are left out.
    child.on('close', (code) => resolve({ code, output: output.replace(ESCAPES, '') }));
  });
}

// `npm test -- size docs`: only the stages named (the build's outputs must be there for the later ones).
const only = process.argv.slice(2);
const chosen = only.length ? stages.filter((stage) => only.includes(stage.name)) : stages;

ensureTestTools();
const failed = [];
for (const stage of chosen) {
  const label = stage.name.padEnd(12);
  if (failed.some((f) => f.needed)) {
    console.log(`- ${label} not run (${failed.at(-1).name} failed)`);
    continue;
  }
  const started = Date.now();
  // On a terminal, the running stage is named until its line replaces it (a browser stage takes minutes).
  if (process.stdout.isTTY) process.stdout.write(`… ${label} running`);
  const { code, output } = await run(stage.run, stage.env);
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
  const seconds = `${Math.round((Date.now() - started) / 1000)} s`;
  const lines = output.split('\n').filter((line) => line.trim());
  if (code === 0) {
    const summary = (stage.summary ?? ((l) => l.slice(-1)))(lines);
    console.log(`✔ ${label} ${seconds.padStart(5)}  ${summary[0] ?? ''}`);
    for (const line of summary.slice(1)) console.log(`  ${' '.repeat(12)}        ${line}`);
  } else {
    failed.push(stage);
    console.log(`✖ ${label} ${seconds.padStart(5)}  failed (exit code ${code}): \`${stage.run}\`, its output:\n`);
    console.log(output.trimEnd().replace(/^/gm, '    '));
    console.log('');
  }
}
console.log(
  failed.length
    ? `npm test: ${failed.length} of ${chosen.length} stages failed: ${failed.map((f) => f.name).join(', ')}.`
    : `npm test: all ${chosen.length} stages passed.`,
);
process.exitCode = failed.length ? 1 : 0;
