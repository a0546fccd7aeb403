// Type-checks the fixture apps in test/types/ against the packed tarball (`npm pack`, as an app installs it), each
// fixture as its own program with its host's compiler: React 19 TSX (tsc), a Vue SFC (vue-tsc, strictTemplates), a
// callback page that imports only `aries-login/callback.js` (tsc), a plain TypeScript app (tsc), Angular (ngc,
// strictTemplates). The README's snippets marked `<!-- types: fixture/file -->` are compiled with them. A fixture's
// correct files must have no error, and each `mistake*` file exactly the one error its first line expects (`expect
// TS2322: Type '"blue"' …`): a check that cannot fail would pass neither way. Run `npm run build` first.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
/** The fixture's compiler. */
const compilers = {
  react: bin('tsc'),
  callback: bin('tsc'),
  plain: bin('tsc'),
  vue: bin('vue-tsc'),
  angular: bin('ngc'),
};
const only = process.argv.slice(2);

if (!existsSync(join(root, 'dist', 'index.d.ts'))) {
  console.error('check-types: dist/ is missing. Run `npm run build` first.');
  process.exit(1);
}

// Under the repository, so that the hosts' packages (react, vue, @angular/*, typescript) resolve from its
// node_modules; `aries-login` resolves to the unpacked tarball first, in the work folder's own node_modules.
const work = join(root, '.type-fixtures');
rmSync(work, { recursive: true, force: true });
mkdirSync(work);
const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' })
  .trim()
  .split('\n')
  .pop();
const installed = join(work, 'node_modules', 'aries-login');
mkdirSync(installed, { recursive: true });
execFileSync('tar', ['-xzf', join(work, tarball), '-C', installed, '--strip-components=1']);

/** README code blocks that follow `<!-- types: fixture/file -->`, by fixture. */
const snippets = {};
const readme = readFileSync(join(root, 'README.md'), 'utf8');
for (const [, fixture, file, code] of readme.matchAll(/<!-- types: (\w+)\/([\w.-]+) -->\s*```\w*\n([\s\S]*?)```/g)) {
  (snippets[fixture] ??= []).push({ file, code });
}

/** Errors as `{ file, line, code, message }` (with its indented lines), from tsc's and ngc's plain output. */
const parseErrors = (output) =>
  [...output.matchAll(/^(.+?)[(:](\d+)[,:]\d+\)?(?::| -) error (TS\d+): (.*(?:\n[ \t]+\S.*)*)$/gm)].map(
    ([, file, line, code, message]) => ({ file: file.trim(), line: Number(line), code, message }),
  );

const problems = [];
const fixtures = readdirSync(join(root, 'test', 'types')).filter((name) => !only.length || only.includes(name));
for (const fixture of fixtures) {
  const dir = join(work, fixture);
  cpSync(join(root, 'test', 'types', fixture), dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `${fixture}-fixture`, private: true, type: 'module' })}\n`,
  );
  for (const { file, code } of snippets[fixture] ?? []) writeFileSync(join(dir, file), code);
  if (['react', 'vue', 'angular'].includes(fixture) && !snippets[fixture]?.length) {
    problems.push(`${fixture}: README has no snippet marked <!-- types: ${fixture}/… -->`);
  }

  const started = Date.now();
  const run = spawnSync(compilers[fixture], ['-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
  // ngc colours its template errors whatever `pretty` says.
  // eslint-disable-next-line no-control-regex
  const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  const errors = parseErrors(output).map((e) => ({ ...e, file: relative(dir, join(dir, e.file)) }));
  if (run.status !== 0 && !errors.length)
    problems.push(`${fixture}: the compiler failed without a TS error:\n${output}`);

  const files = readdirSync(dir).filter((f) => /\.(tsx?|vue)$/.test(f) && !f.endsWith('.d.ts'));
  for (const file of files) {
    const found = errors.filter((e) => e.file === file);
    const expected =
      /^mistake/i.test(file) && readFileSync(join(dir, file), 'utf8').match(/expect (TS\d+): (.*?)(?: -->)?\n/);
    if (!expected) {
      for (const e of found) problems.push(`${fixture}/${file}:${e.line}: ${e.code} ${e.message}`);
    } else if (found.length !== 1 || found[0].code !== expected[1] || !found[0].message.includes(expected[2])) {
      problems.push(
        `${fixture}/${file}: expected exactly one ${expected[1]} "${expected[2]}", got ${found.length ? found.map((e) => `${e.code} ${e.message}`).join('; ') : 'none'}`,
      );
    }
  }
  for (const e of errors.filter((e) => !files.includes(e.file))) {
    problems.push(`${fixture}: an error outside the fixture's files: ${e.file}:${e.line}: ${e.code} ${e.message}`);
  }
  const mistakes = files.filter((f) => /^mistake/i.test(f)).length;
  console.log(
    `check-types: ${fixture}: ${files.length - mistakes} correct file(s), ${mistakes} mistake(s) (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
}

if (problems.length) {
  console.error(`check-types: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
console.log(`check-types: ${tarball}: every fixture compiles, and every mistake fails as expected.`);
