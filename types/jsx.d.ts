/**
 * `aries-login/jsx`: `<aries-login>` as a typed intrinsic element in React 19 JSX. Turn it on with
 * `/// <reference types="aries-login/jsx" />` (or `"types": ["aries-login/jsx"]` in tsconfig).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { AriesLoginElementProps } from '../dist/custom-elements-jsx.js';
import type { AriesLoginElement } from '../dist/index.js';

/**
 * The element's attributes with their value types and `onaries-…` listeners (generated from custom-elements.json), as
 * React 19 applies them to a custom element: a dashed name (`client-id`) becomes an attribute, an `on` + event name
 * prop a listener for that event; with React's own props (`className`, `ref`, `key`, …). `tokens` is read-only.
 */
export type AriesLoginJsxProps = Omit<AriesLoginElementProps, 'tokens'> &
  DetailedHTMLProps<HTMLAttributes<AriesLoginElement>, AriesLoginElement>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'aries-login': AriesLoginJsxProps;
    }
  }
}
