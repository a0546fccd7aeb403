// web-test-runner's closing summary, per browser: how many tests passed, failed and were skipped, each skipped test by name (with the reason its title carries).

/** Every test of a session's result tree, with its suites' names in front of its own. */
function* testsOf(suite, path = []) {
  for (const test of suite?.tests ?? []) yield { ...test, name: [...path, test.name].join(' › ') };
  for (const child of suite?.suites ?? []) yield* testsOf(child, [...path, child.name]);
}

/** @returns {import('@web/test-runner').Reporter} */
export function summaryReporter() {
  return {
    stop({ sessions }) {
      const byBrowser = new Map();
      for (const session of sessions) {
        const name = session.browser.name;
        const tally = byBrowser.get(name) ?? { passed: 0, failed: 0, skipped: [], brokenFiles: 0 };
        byBrowser.set(name, tally);
        // A file that failed to load or threw outside a test has no test results of its own.
        if (!session.passed && !session.testResults?.tests.length && !session.testResults?.suites.length)
          tally.brokenFiles++;
        for (const test of testsOf(session.testResults)) {
          const file = session.testFile.replace(`${process.cwd()}/`, '');
          if (test.skipped) tally.skipped.push(`${file}: ${test.name}`);
          else if (test.passed) tally.passed++;
          else tally.failed++;
        }
      }
      for (const [browser, { passed, failed, skipped, brokenFiles }] of byBrowser) {
        const broken = brokenFiles ? `, ${brokenFiles} test file(s) failed to run` : '';
        console.log(`${browser}: ${passed} passed, ${failed} failed, ${skipped.length} skipped${broken}`);
        for (const name of skipped) console.log(`  skipped: ${name}`);
      }
    },
  };
}
