/** Registers `<aries-login>`; guarded, so loading the npm and the CDN build on one page does not throw. */
import { AriesLoginElement } from './aries-login-element.js';

if (!customElements.get('aries-login')) customElements.define('aries-login', AriesLoginElement);

declare global {
  interface HTMLElementTagNameMap {
    'aries-login': AriesLoginElement;
  }
}
