// ESLint (flat config): typescript-eslint (type-aware for src/), lit and web-component rules for the element and its tests.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Build outputs.
  { ignores: ['dist/', 'cdn/', 'build/', 'node_modules/', '.wtr-cache/', '.type-fixtures/'] },
  js.configs.recommended,
  {
    files: ['src/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A caught value is rethrown as it is: it is already an AriesLoginError, or becomes one where it is reported.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `a || b` on strings means "a, unless empty": deliberate, and not the same as `??`.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
    },
  },
  {
    // The server entry (aries-login/server): type-aware like src/, with its own Node program.
    files: ['server/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.server.json', tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
  },
  {
    // lit binds `@event=${this.method}` listeners to the element itself, so template bindings are never unbound.
    files: ['src/**/*-element.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // Outside src/ TypeScript is only stripped (esbuild) or type-checked apart (types/ and test/types/, by
    // scripts/check-types.mjs), so the rules without type information.
    files: ['test/**/*.ts', 'demo/**/*.ts', 'types/**/*.ts'],
    extends: [...tseslint.configs.recommended, ...tseslint.configs.stylistic],
  },
  {
    files: ['**/*.ts'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/best-practice']],
    languageOptions: { globals: globals.browser },
    rules: {
      // Both are used on purpose: interfaces for shapes, types for unions and mapped types.
      '@typescript-eslint/consistent-type-definitions': 'off',
      // `() => {}` is how a listener or a `.catch` says "nothing to do here".
      '@typescript-eslint/no-empty-function': ['error', { allow: ['arrowFunctions'] }],
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: globals.mocha },
    // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
    // `const { secret, ...rest } = client` leaves `secret` out of `rest` on purpose.
    rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
  {
    // Code that runs in a page: the bench's page parts (evaluate, init scripts, bench pages) and test fixture scripts.
    files: ['bench/**/*.mjs', 'test/**/fixtures/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
