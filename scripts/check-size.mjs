// The size budget, checked after `npm run build`: what a page loads up front (the CDN file, lit included, and the
// element's own code in it), and what the first click, or a page in another language, fetches on top.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import zlib from 'node:zlib';

const KB = 1024;
export const CDN_FILE = 'cdn/aries-login.min.js';
export const CALLBACK_FILE = 'cdn/aries-login-callback.min.js';
/** The CDN file built with lit left out (never published): the element's own bytes in what every page loads. */
export const OWN_CODE_FILE = 'build/own-code/aries-login.min.js';
/** The targets for the code every page loads. */
export const TARGETS = { cdn: 10 * KB, own: 4 * KB };
/**
 * What CI enforces, gzip bytes: for what every page loads, a ceiling on the CDN file and on the element's own code in it
 * (their size and a little room, until they are cut down to their targets: the first file grew past its target by what
 * a tap needs in it, the next sign-in prepared on screen, about 900 B); and ceilings for what is fetched later: the flow
 * (on the first click), the relay file and each language file, so that bytes cannot move out of the first file and grow
 * unnoticed. A later file's ceiling is its size and a little room; it rises only when code moves out of the first file
 * into it, or when a feature that lives there is added, never to let code grow.
 */
export const BUDGETS = { cdn: 11_000, own: 5440, flow: 8150, relay: 1750, language: 1.5 * KB };

export const sizes = (bytes) => ({
  raw: bytes.length,
  gzip: zlib.gzipSync(bytes, { level: 9 }).length,
  brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** Every figure, from the files `npm run build` wrote: the CDN files, and the element's own code in the first one. */
export async function measureSizes(root = '.') {
  const read = async (file) => {
    try {
      return await readFile(join(root, file));
    } catch {
      throw new Error(`${file} is missing; run \`npm run build\` first.`);
    }
  };
  const files = [
    ...(await readdir(join(root, 'cdn'))),
    ...(await readdir(join(root, 'cdn/i18n'))).map((f) => `i18n/${f}`),
  ];
  const chunk = (name) => {
    const file = files.find((f) => new RegExp(`^aries-login-${name}-[\\w-]+\\.min\\.js$`).test(f));
    if (!file) throw new Error(`cdn/ has no ${name} chunk; run \`npm run build\` first.`);
    return `cdn/${file}`;
  };
  const languages = {};
  for (const file of files.filter((f) => f.startsWith('i18n/') && f.endsWith('.js'))) {
    languages[file.slice('i18n/'.length, -'.js'.length)] = { file: `cdn/${file}`, ...sizes(await read(`cdn/${file}`)) };
  }
  const flowFile = chunk('flow');
  const relayFile = chunk('relay');
  return {
    cdn: { file: CDN_FILE, ...sizes(await read(CDN_FILE)) },
    flow: { file: flowFile, ...sizes(await read(flowFile)) },
    relay: { file: relayFile, ...sizes(await read(relayFile)) },
    languages,
    callback: { file: CALLBACK_FILE, ...sizes(await read(CALLBACK_FILE)) },
    // What the callback page fetches beside it only when needed: a redirect sign-in's token exchange, the messages.
    callbackChunks: await Promise.all(
      files
        .filter((f) => /^aries-login-callback-[\w-]+\.min\.js$/.test(f))
        .map(async (f) => ({ file: `cdn/${f}`, ...sizes(await read(`cdn/${f}`)) })),
    ),
    own: sizes(await read(OWN_CODE_FILE)),
  };
}

/** What is over its ceiling, as sentences; empty when all is within. */
export function overBudget(measured) {
  const over = (what, gzip, ceiling) => gzip > ceiling && `${what} is ${gzip} B gzip, over its ${ceiling} B ceiling`;
  return [
    over(CDN_FILE, measured.cdn.gzip, BUDGETS.cdn),
    over("the element's own code", measured.own.gzip, BUDGETS.own),
    over(measured.flow.file, measured.flow.gzip, BUDGETS.flow),
    over(measured.relay.file, measured.relay.gzip, BUDGETS.relay),
    ...Object.values(measured.languages).map((l) => over(l.file, l.gzip, BUDGETS.language)),
  ].filter(Boolean);
}

const format = (label, { raw, gzip, brotli }, budget, target) =>
  `${label.padEnd(48)} ${String(raw).padStart(6)} B raw  ${String(gzip).padStart(6)} B gzip -9  ${String(brotli).padStart(6)} B brotli` +
  (budget ? `   ceiling ${budget} B: ${gzip <= budget ? 'ok' : `OVER by ${gzip - budget} B`}` : '') +
  (target ? `   target ${target} B: ${gzip <= target ? 'met' : `${gzip - target} B to cut`}` : '');

if (import.meta.url === `file://${process.argv[1]}`) {
  let measured;
  try {
    measured = await measureSizes();
  } catch (error) {
    console.error(`check-size: ${error.message}`);
    process.exit(1);
  }
  console.log('Loaded by every page:');
  console.log(format(`  ${CDN_FILE} (lit included)`, measured.cdn, BUDGETS.cdn, TARGETS.cdn));
  console.log(format('  own code in it (lit left out)', measured.own, BUDGETS.own, TARGETS.own));
  console.log(
    "Fetched when the user comes near the button, or on the first click (or on a redirect sign-in's callback page, or to restore a backend session):",
  );
  console.log(format(`  ${measured.flow.file}`, measured.flow, BUDGETS.flow));
  console.log(
    "Imported by the flow, and alone what the element fetches on a popup's callback page (the flow comes only for a redirect's token exchange or an error):",
  );
  console.log(format(`  ${measured.relay.file}`, measured.relay, BUDGETS.relay));
  console.log('Fetched by pages in that language:');
  for (const language of Object.values(measured.languages)) {
    console.log(format(`  ${language.file}`, language, BUDGETS.language));
  }
  console.log('The callback page without a button:');
  console.log(format(`  ${CALLBACK_FILE}`, measured.callback));
  for (const chunk of measured.callbackChunks) console.log(format(`  ${chunk.file} (when needed)`, chunk));
  const over = overBudget(measured);
  if (over.length) {
    console.error(`check-size: ${over.join('; ')}.`);
    process.exit(1);
  }
}
