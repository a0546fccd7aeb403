/** What the element shows in place of its button while signed in; it travels with the flow, since only a sign-in brings it on screen. */
import { html, nothing } from 'lit';
import type { AriesLoginStrings } from './labels.js';
import { fill } from './strings.js';

/**
 * "Signed in with Aries" after `mark` (or "Signed in as `user`", with `show-user`) in the element's wording `t` and,
 * with `onSignOut` (the `sign-out` attribute), the sign-out button.
 */
export const renderStatus = (
  user: string | undefined,
  mark: unknown,
  t: (key: keyof AriesLoginStrings) => string,
  onSignOut?: () => void,
) =>
  html`<span part="status" role="status">${mark}${user ? fill(t('signedInAs'), { name: user }) : t('signedIn')}</span>${
      onSignOut ? html`<button part="sign-out" @click=${onSignOut}>${t('signOut')}</button>` : nothing
    }`;
