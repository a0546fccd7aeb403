/** On the `redirect-uri` page: takes the callback out of the URL, once, and hands it to the page that is waiting for it. */
import { parseCallback, stripCallbackParams } from './callback.js';
import { AriesLoginError } from './errors.js';
import { relayCallback, type AppWindow } from './popup-channel.js';

let taken = false;

/**
 * Finishes the callback found in `win`'s URL, if any. In a popup it is relayed to the opener and the popup closes.
 * Rejects when no sign-in of this app is waiting for it.
 */
export async function completeCallback(win: AppWindow): Promise<void> {
  const callback = parseCallback(win.location.href);
  // Exactly once per page: a second element (or a framework mounting twice) finds nothing to do.
  if (!callback || taken) return;
  taken = true;
  // The code is never left in the address bar, the history or a bookmark.
  win.history.replaceState(win.history.state, '', stripCallbackParams(win.location.href));
  const acknowledged = await relayCallback(win, callback);
  if (acknowledged || win.opener) {
    win.close();
    return;
  }
  throw new AriesLoginError(callback.state ? 'missing_transaction' : 'state_mismatch');
}
