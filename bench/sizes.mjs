/** Bytes the widget costs a page: the CDN files (raw, gzip, brotli) and the element's own code with lit left out. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { rollup } from 'rollup';
import typescript from '@rollup/plugin-typescript';

/** The CDN build this bench mirrors (in rollup.config.mjs). */
const CDN_FILE = 'cdn/aries-login.min.js';
const CALLBACK_FILE = 'cdn/aries-login-callback.min.js';
const LIT = [/^lit(\/|$)/, /^@lit\//];

/**
 * @typedef {{ raw: number, gzip: number, brotli: number }} Sizes
 */

/** The same three numbers for any bytes: gzip at level 9 (what CDNs serve at most), brotli at quality 11. */
export function compressedSizes(/** @type {Buffer} */ bytes) {
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

async function readBuilt(/** @type {string} */ root, /** @type {string} */ file) {
  try {
    return await readFile(join(root, file));
  } catch {
    throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

/**
 * Builds src/index.ts exactly as the CDN file is built, except that lit stays an import, and measures the result:
 * that is the widget's own code. The plugins come from rollup.config.mjs itself, so a change to the minifier's
 * settings there shows here too; only the TypeScript plugin is made afresh, because its `outDir` must be the temp dir.
 * @param {string} root the repository
 */
export async function buildElementOnly(root) {
  const { default: configs } = await import(pathToFileURL(join(root, 'rollup.config.mjs')).href);
  const cdn = /** @type {import('rollup').RollupOptions[]} */ (configs).find(
    (config) => !Array.isArray(config.output) && config.output?.file === CDN_FILE,
  );
  if (!cdn) throw new Error(`rollup.config.mjs has no build writing ${CDN_FILE}: the bench cannot mirror it`);
  const output = /** @type {import('rollup').OutputOptions} */ (cdn.output);
  const dir = await mkdtemp(join(tmpdir(), 'aries-login-bench-'));
  try {
    const file = join(dir, 'aries-login.element.min.js');
    const plugins = /** @type {import('rollup').Plugin[]} */ (cdn.plugins).filter(
      (plugin) => plugin?.name !== 'typescript',
    );
    const warnings = /** @type {string[]} */ ([]);
    const bundle = await rollup({
      input: join(root, /** @type {string} */ (cdn.input)),
      external: LIT,
      plugins: [typescript({ outDir: dir, declaration: false, declarationMap: false, sourceMap: true }), ...plugins],
      onwarn: (warning) => warnings.push(warning.message),
    });
    let imports;
    try {
      const { output: chunks } = await bundle.write({ ...output, file });
      imports = /** @type {import('rollup').OutputChunk} */ (chunks[0]).imports;
    } finally {
      await bundle.close();
    }
    // Lit left out means lit imported: if nothing is imported, the "element only" figure would silently include lit.
    if (!imports.some((name) => LIT.some((re) => re.test(name)))) {
      throw new Error(
        `the element-only build imports no lit module (${imports.join(', ') || 'none'}): lit was bundled`,
      );
    }
    return { ...compressedSizes(await readFile(file)), externals: imports, warnings };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * All size figures.
 * @param {string} root the repository
 */
export async function measureSizes(root) {
  const [cdn, callback, element] = await Promise.all([
    readBuilt(root, CDN_FILE).then(compressedSizes),
    readBuilt(root, CALLBACK_FILE).then(compressedSizes),
    buildElementOnly(root),
  ]);
  return { cdn: { file: CDN_FILE, ...cdn }, callback: { file: CALLBACK_FILE, ...callback }, element };
}
