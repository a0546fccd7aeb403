/**
 * `aries-login/vue`: adds `<aries-login>` to Vue's `GlobalComponents`, so that `vue-tsc` checks its attributes and types
 * `e.detail` in `@aries-login-success="(e) => …"`. Turn it on with `/// <reference types="aries-login/vue" />` (or
 * `"types": ["aries-login/vue"]` in tsconfig).
 */
import '../dist/custom-elements-vue.js';
