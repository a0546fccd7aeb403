/** Registers `<aries-login>`; guarded, so loading the npm and the CDN build on one page does not throw. */
import { AriesLoginElement } from './aries-login-element.js';
// Kept in the .d.ts (a value import is not): the typed events come with this entry.
import './events.js';

declare global {
  interface HTMLElementTagNameMap {
    'aries-login': AriesLoginElement;
  }
}

if (!customElements.get('aries-login')) customElements.define('aries-login', AriesLoginElement);
