// Two builds from one source: dist/ (ES modules, lit external, .d.ts) for npm, and one self-contained minified file for CDNs.
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const entries = ['src/index.ts', 'src/aries-login-define.ts', 'src/aries-login-element.ts', 'src/callback-page.ts'];

export default [
  {
    input: entries,
    external: [/^lit(\/|$)/, /^@lit\//],
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
    plugins: [typescript({ outDir: 'dist', declaration: true, declarationMap: true, sourceMap: true })],
  },
  // Each CDN file stands alone: one <script type="module"> and nothing else to fetch.
  ...[
    ['src/index.ts', 'cdn/aries-login.min.js'],
    ['src/callback-page.ts', 'cdn/aries-login-callback.min.js'],
  ].map(([input, file]) => ({
    input,
    output: { file, format: 'es', sourcemap: true },
    plugins: [
      resolve(),
      typescript({ outDir: 'cdn', declaration: false, declarationMap: false, sourceMap: true }),
      terser({ ecma: 2021, module: true, compress: { passes: 2 }, format: { comments: false } }),
    ],
  })),
];
