// Two builds from one source: dist/ (ES modules, lit external, .d.ts) for npm, and self-contained minified files for CDNs.
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';

const LIT = [/^lit(\/|$)/, /^@lit\//];

/** lit's licence, at the top of the one file that bundles lit (terser drops every other comment). */
const LIT_NOTICE =
  '/*! lit, lit-html, lit-element, @lit/reactive-element: Copyright 2017, 2019 Google LLC, SPDX-License-Identifier: BSD-3-Clause */';

/**
 * What makes a CDN file small: lit's templates minified, then terser. Properties named `__x` (lit's reactive state,
 * which cannot be `#private`) are shortened consistently across the file; every other private member is an ES
 * `#private` field, which terser shortens like a variable.
 */
const minify = () => [
  minifyHTML({ include: 'src/**', options: { minifyOptions: { removeAttributeQuotes: true } } }),
  terser({
    ecma: 2022,
    module: true,
    compress: { passes: 3 },
    mangle: { properties: { regex: /^__/ } },
    format: { comments: /^!/ },
  }),
];

const cdnPlugins = (outDir = 'cdn', sourceMap = true) => [
  resolve(),
  // `inlineSources`: the maps carry the TypeScript sources themselves, so that a CDN user's devtools show them.
  typescript({ outDir, declaration: false, declarationMap: false, sourceMap, inlineSources: sourceMap }),
  ...minify(),
];

const entries = [
  'src/index.ts',
  'src/aries-login-define.ts',
  'src/aries-login-element.ts',
  'src/callback.ts',
  'src/react.ts',
];

/** The lazy files of the button's CDN build: the flow and the relay are hashed, a language file is data. */
const chunkFileNames = ({ name }) =>
  name === 'flow'
    ? 'aries-login-flow-[hash].min.js'
    : name === 'relay-callback'
      ? 'aries-login-relay-[hash].min.js'
      : 'i18n/[name].js';

export default [
  {
    input: entries,
    external: [...LIT, /^react(\/|$)/],
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
    plugins: [
      typescript({ outDir: 'dist', declaration: true, declarationMap: true, sourceMap: true, inlineSources: true }),
    ],
  },
  // The CDN files: one <script type="module"> each, lit included. The button's file fetches the rest (the flow after
  // the click, a language other than English) from beside itself on first use; the callback page's file stands alone.
  {
    input: { 'aries-login': 'src/index.ts' },
    // The flow imports a few internals from the entry file, which exports them too, rather than a third file.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'cdn',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].min.js',
      // A cached entry file never runs another release's flow or relay (src/relay-callback.ts, all that the element
      // on a popup's callback page runs; the flow imports the modules it shares with it from there); a language file is
      // data, and a string it lacks falls back to English.
      chunkFileNames,
      banner: (chunk) => (chunk.isEntry ? LIT_NOTICE : ''),
    },
    plugins: cdnPlugins(),
  },
  // The same file with lit left out, for the size check only (never published): the bytes that are the element's own.
  {
    input: { 'aries-login': 'src/index.ts' },
    preserveEntrySignatures: 'allow-extension',
    external: LIT,
    output: { dir: 'build/own-code', format: 'es', entryFileNames: '[name].min.js', chunkFileNames },
    plugins: cdnPlugins('build/own-code', false),
  },
  // The callback page's file relays a popup's answer on its own; a redirect sign-in's token exchange and a failure's
  // messages are fetched from beside it when needed.
  {
    input: { 'aries-login-callback': 'src/callback.ts' },
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'cdn',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].min.js',
      chunkFileNames: 'aries-login-callback-[name]-[hash].min.js',
    },
    plugins: cdnPlugins(),
  },
];
