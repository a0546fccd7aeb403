/** Opens the sign-in window, centred over the page, in the click's own task so that popup blockers let it through. */

/**
 * A window at `url`: Aries' authorize page when the sign-in was prepared before the click, else blank, navigated once
 * the challenge is ready (hashing is async, and `window.open` after an `await` is blocked). Null when a popup blocker
 * refused it. Browsers read a position like `left=500.5` as 500 (window features are parsed as integers).
 */
export function openPopup(win: Window, width: number, height: number, url = ''): Window | null {
  const left = win.screenX + Math.max(0, (win.outerWidth - width) / 2);
  const top = win.screenY + Math.max(0, (win.outerHeight - height) / 2);
  try {
    return win.open(url, '', `popup,width=${width},height=${height},left=${left},top=${top}`);
  } catch {
    // Firefox throws where Chromium returns null (a sandboxed frame without allow-popups).
    return null;
  }
}

/**
 * Closes the sign-in window. Chromium may drop a close sent to a window still on its way to another origin (opened at
 * Aries, its page not yet committed) and the window then stays open: the close is sent again until the window reads
 * closed, for a few seconds at most.
 */
export function closePopup(popup: Window, tries = 30): void {
  popup.close();
  if (!popup.closed && tries) setTimeout(() => closePopup(popup, tries - 1), 100);
}
