// Puppeteer (pulled in by @web/test-runner-puppeteer) downloads no browser at install: the tests, gallery and bench
// launch Debian's Chromium and Firefox ESR (scripts/ensure-browsers.mjs), so a plain `npm install` works offline from
// anything but the npm registry, with no environment variable.
/** @type {import('puppeteer').Configuration} */
module.exports = { skipDownload: true };
