/** What the element shows about its session besides "Signed in": the warning before a session ends, and a sign-in in another tab. */
import { html, nothing } from 'lit';
import { sessionLabels } from './session-labels.js';
import { fill } from './strings.js';

/** `seconds` as m:ss (`125` → `2:05`). */
export const minutesAndSeconds = (seconds: number): string =>
  `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/**
 * The seconds left at which the warning next changes, `seconds` before the end: each whole minute, then 30 and 10
 * seconds before it, then at the end. Its live region is read out at each change, and no more often.
 */
export const nextReading = (seconds: number): number =>
  seconds > 60 ? Math.ceil(seconds / 60) * 60 - 60 : seconds > 30 ? 30 : seconds > 10 ? 10 : 0;

/** The part of the element's state this draws. */
export interface SessionNoticeState {
  /** The end (epoch ms) the element warns of. */
  warning?: number;
  /** Signed out here, signed in in another tab (no backend). */
  elsewhere: boolean;
}

/**
 * "Your session ends in 1:45" (a live region) after a "Stay signed in" button that calls `onStay`, while a warning is
 * shown; "Signed in with Aries in another tab", while that is so; else nothing. `t` gives the element's wording of a
 * label, after the English given.
 */
export function renderSessionNotice(
  { warning, elsewhere }: SessionNoticeState,
  t: (key: keyof typeof sessionLabels, english: string) => string,
  onStay: () => void,
  now = Date.now(),
) {
  const label = (key: keyof typeof sessionLabels) => t(key, sessionLabels[key]);
  if (warning) {
    const time = minutesAndSeconds(Math.max(0, Math.ceil((warning - now) / 1000)));
    return html`<button part="stay-signed-in" @click=${onStay}>${label('staySignedIn')}</button
      ><span part="notice" role="status">${fill(label('sessionEndsIn'), { time })}</span>`;
  }
  return elsewhere ? html`<span part="notice" role="status">${label('signedInElsewhere')}</span>` : nothing;
}
