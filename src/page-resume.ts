/** Tells when the page comes back (shown, visible, online, focused, unfrozen) and whether it may have missed something while away: timers wait while a tab sleeps, is frozen or is in the back/forward cache. */

/** The events that mean the page may have been away; each marks that something may have been missed. */
const AWAY = ['pagehide', 'offline', 'freeze'];
/** The events that mean it is back. `visibilitychange` is both: away when hidden, back when visible. */
const BACK = ['pageshow', 'online', 'focus', 'resume', 'visibilitychange'];

/**
 * Calls `onResume(missed)` each time `win`'s page comes back; `missed` when it was hidden, frozen, offline or restored
 * from the back/forward cache since the last call. The listeners are on the window (`freeze` and `resume` on its
 * document, where they are fired, without bubbling); the returned function removes them.
 */
export function watchResume(win: Window, onResume: (missed: boolean) => void): () => void {
  let missed = false;
  const listener = (event: Event) => {
    const { type } = event;
    if (AWAY.includes(type) || (type === 'visibilitychange' && win.document.hidden)) {
      missed = true;
      return;
    }
    const wasAway = missed || (event as PageTransitionEvent).persisted === true || type === 'resume';
    missed = false;
    onResume(wasAway);
  };
  const targets = (each: (target: EventTarget, type: string) => void) => {
    for (const type of [...AWAY, ...BACK]) each(/^(freeze|resume)$/.test(type) ? win.document : win, type);
  };
  targets((target, type) => target.addEventListener(type, listener));
  return () => targets((target, type) => target.removeEventListener(type, listener));
}
