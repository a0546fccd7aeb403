/**
 * `aries-login/vue`: adds `<aries-login>` to Vue's `GlobalComponents`, so that `vue-tsc` checks its attributes and types
 * `e.detail` in `@aries-login-success="(e) => …"`. Turn it on with `/// <reference types="aries-login/vue" />` (or
 * `"types": ["aries-login/vue"]` in tsconfig).
 *
 * The attributes come from the types generated from custom-elements.json. The listeners are written here: Vue (and
 * vue-tsc) reads `@aries-login-success` as the prop `onAriesLoginSuccess`, which custom-element-vuejs-integration does
 * not produce (it names them `onaries-login-success`, which vue-tsc does not match).
 */
import type { DefineComponent, HTMLAttributes } from 'vue';
import type { AriesLoginElementProps } from '../dist/custom-elements-jsx.js';
import type { AriesLoginEventMap } from '../dist/index.js';

/** `aries-login-success` → `AriesLoginSuccess`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${Pascal<Tail>}`
  : Capitalize<S>;

/** The listener props, as Vue names them: `@aries-login-success` is `onAriesLoginSuccess`. */
export type AriesLoginVueListeners = {
  [K in keyof AriesLoginEventMap as `on${Pascal<K>}`]?: (event: AriesLoginEventMap[K]) => void;
};

/** `popup-timeout` → `popupTimeout`. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/**
 * The element's attributes with their value types, camelCased as vue-tsc reads template attributes: `client-id` and
 * `clientId`, `:popup-timeout` and `:popupTimeout` are both checked. `tokens` is read-only.
 */
export type AriesLoginVueAttributes = {
  [
    K in keyof AriesLoginElementProps as K extends `on${string}` | 'tokens' ? never : Camel<K>
  ]: AriesLoginElementProps[K];
};

declare module 'vue' {
  interface GlobalComponents {
    'aries-login': DefineComponent<AriesLoginVueAttributes & AriesLoginVueListeners & HTMLAttributes>;
  }
}
