// The size budget, checked after `npm run build`: the CDN file (lit included) and the element's own code (lit left out).
import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';
import { minifyPlugins } from '../rollup.config.mjs';

const KB = 1024;
const CDN_FILE = 'cdn/aries-login.min.js';
/** Issue 6's targets: not met yet (see the README's Performance section). */
export const TARGETS = { cdn: 10 * KB, own: 4 * KB };
/**
 * What CI enforces until the targets are met: today's size and a little room, so that the files cannot grow
 * unnoticed while the code is being cut down. Lower these with every cut; they must never rise.
 */
export const BUDGETS = { cdn: 11.5 * KB, own: 6 * KB + 128 };

export const sizes = (bytes) => ({
  raw: bytes.length,
  gzip: zlib.gzipSync(bytes, { level: 9 }).length,
  brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** src/index.ts minified exactly like the CDN file, except that lit stays an import: the bytes that are ours. */
export async function buildOwnCode() {
  const bundle = await rollup({
    input: 'src/index.ts',
    external: [/^lit(\/|$)/, /^@lit\//],
    plugins: [
      typescript({ outDir: 'cdn', declaration: false, declarationMap: false, sourceMap: false }),
      ...minifyPlugins(),
    ],
  });
  try {
    const { output } = await bundle.generate({ format: 'es' });
    if (!output[0].imports.some((name) => /^lit(\/|$)/.test(name))) throw new Error('the own-code build bundled lit');
    return Buffer.from(output[0].code);
  } finally {
    await bundle.close();
  }
}

const format = (label, { raw, gzip, brotli }, budget, target) =>
  `${label.padEnd(34)} ${String(raw).padStart(6)} B raw  ${String(gzip).padStart(6)} B gzip -9  ${String(brotli).padStart(6)} B brotli` +
  `   ceiling ${budget} B gzip: ${gzip <= budget ? 'ok' : `OVER by ${gzip - budget} B`}` +
  `   target ${target} B: ${gzip <= target ? 'met' : `${gzip - target} B to cut`}`;

if (import.meta.url === `file://${process.argv[1]}`) {
  let cdnBytes;
  try {
    cdnBytes = await readFile(CDN_FILE);
  } catch {
    console.error(`check-size: ${CDN_FILE} is missing; run \`npm run build\` first.`);
    process.exit(1);
  }
  const cdn = sizes(cdnBytes);
  const own = sizes(await buildOwnCode());
  console.log(format(`${CDN_FILE} (lit included)`, cdn, BUDGETS.cdn, TARGETS.cdn));
  console.log(format('own code (src/index.ts, lit external)', own, BUDGETS.own, TARGETS.own));
  const over = [
    cdn.gzip > BUDGETS.cdn && `${CDN_FILE} is ${cdn.gzip} B gzip, over its ${BUDGETS.cdn} B ceiling`,
    own.gzip > BUDGETS.own && `the element's own code is ${own.gzip} B gzip, over its ${BUDGETS.own} B ceiling`,
  ].filter(Boolean);
  if (over.length) {
    console.error(`check-size: ${over.join('; ')}.`);
    process.exit(1);
  }
}
