/** Opens the sign-in window, centred over the page, in the click's own task so that popup blockers let it through. */
import { AriesLoginError } from './errors.js';

export interface PopupSize {
  width: number;
  height: number;
}

/** A blank window, navigated once the challenge is ready: hashing is async, and `window.open` after an `await` is blocked. */
export function openPopup(win: Window, name: string, { width, height }: PopupSize): Window {
  const left = Math.round(win.screenX + Math.max(0, (win.outerWidth - width) / 2));
  const top = Math.round(win.screenY + Math.max(0, (win.outerHeight - height) / 2));
  let popup: Window | null = null;
  try {
    popup = win.open('', name, `popup,width=${width},height=${height},left=${left},top=${top}`);
  } catch {
    // Firefox throws where Chromium returns null (a sandboxed frame without allow-popups).
  }
  if (!popup) throw new AriesLoginError('popup_blocked');
  return popup;
}
