/** The element's look: its palettes, sizes and states, themed through `--aries-login-*` custom properties and parts. */
import { css } from 'lit';

export const styles = css`
  /*
   * One palette per colour scheme, picked by light-dark() from the scheme the element inherits: the page's own
   * color-scheme (its CSS or <meta>; with "light dark", the user's preference), unless the color-scheme attribute
   * sets it.
   */
  :host {
    --_accent: light-dark(#0b3d91, #a8c7fa);
    --_bg: var(--_accent);
    --_fg: light-dark(#fff, #062e6f);
    --_danger: light-dark(#b00020, #ffb4ab);
    display: inline-block;
    font-family: var(--aries-login-font-family); /* when unset, inherited as usual */
  }
  :host([hidden]) {
    display: none;
  }
  :host([full-width]) {
    display: block;
  }
  :host([variant='dark']) {
    --_accent: light-dark(#1b1b1f, #fff);
    --_fg: light-dark(#fff, #1b1b1f);
  }
  :host([color-scheme='light']) {
    color-scheme: light;
  }
  :host([color-scheme='dark']) {
    color-scheme: dark;
  }
  :host([color-scheme='auto']) {
    color-scheme: light dark;
  }
  /* After the palettes, so that an outline button takes its colour from the palette in force. */
  :host([variant='outline']) {
    --_bg: transparent;
    --_fg: var(--_accent);
    --_border: currentColor;
  }
  :host([size='small']) {
    --_size: 0.875em;
    --_padding: 0.4em 0.8em;
  }
  :host([size='large']) {
    --_size: 1.125em;
    --_padding: 0.75em 1.4em;
  }
  :host([shape='pill']) {
    --_radius: 999px;
  }
  .base {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  /* The status has the button's box, so that the element keeps its height when the user signs in. */
  button,
  [part='status'] {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: var(--aries-login-gap, 0.6em);
    font: inherit;
    font-size: var(--aries-login-font-size, var(--_size, 1em));
    font-weight: var(--aries-login-font-weight, 600);
    line-height: 1.25;
    padding: var(--aries-login-padding, var(--_padding, 0.6em 1.1em));
    border: var(--aries-login-border-width, 1px) solid var(--aries-login-border-color, var(--_border, transparent));
    border-radius: var(--aries-login-radius, var(--_radius, 6px));
  }
  button {
    background: var(--aries-login-background, var(--_bg));
    color: var(--aries-login-color, var(--_fg));
    cursor: pointer;
  }
  [part='status'] {
    padding-inline: 0;
    border-color: transparent;
  }
  [part='cancel'],
  [part='sign-out'] {
    background: none;
    color: var(--aries-login-accent, var(--_accent));
    border-color: currentColor;
  }
  /* The button, or the status in its place. */
  :host([full-width]) .base > :first-child {
    flex: 1;
  }
  button:hover:not(:disabled) {
    background-image: linear-gradient(#7f7f7f2e 0 0);
  }
  button:focus-visible {
    outline: 2px solid var(--aries-login-focus, var(--_accent));
    outline-offset: 2px;
  }
  /* Dimmed, yet still 4.5:1: a rate-limited button's countdown must stay readable. */
  button:disabled {
    opacity: 0.75;
    cursor: not-allowed;
  }
  svg {
    flex: none;
    width: 1.2em;
    height: 1.2em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2.6;
    stroke-linecap: round;
  }
  /* Still under reduced motion. */
  @media (prefers-reduced-motion: no-preference) {
    [part='spinner'] {
      animation: spin 0.8s linear infinite;
    }
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  [part='message'] {
    flex-basis: 100%;
    font-size: 0.875em;
    color: var(--aries-login-error-color, var(--_danger));
  }
  /* Out of the layout while empty; an alert region is announced when it shows up with its text. */
  [part='message']:empty {
    display: none;
  }
  /* Windows high contrast: system colours replace ours (the focus ring's too); borders keep each button's edge. */
  @media (forced-colors: active) {
    button {
      border-color: ButtonText;
    }
    [part='status'] {
      border-color: Canvas;
    }
  }
`;
