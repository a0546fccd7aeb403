/** In the page that opened the popup: waits for Aries' answer for the sign-in's `state`, read from the popup itself or relayed by its page, and reads again when this page comes back from sleep. */
import { AriesLoginError } from './errors.js';
import { watchResume } from './page-resume.js';
import { takeCallback, type CallbackParams } from './parse-callback.js';
import { ACK, ANSWER, ASK, CALLBACK, callbackChannel, isCallbackMessage, type AppWindow } from './popup-channel.js';

export interface WaitOptions {
  /** The `redirect-uri`: back on its page, the popup's answer is read from its URL. */
  redirectUri: string;
  /** Ms until `popup_timeout`. */
  timeout: number;
  signal: AbortSignal;
  /** Called when the window is gone (or severed) before Aries' page was seen in it; the wait goes on (see below). */
  onGone?: () => void;
}

/** Whether the popup shows a page of another origin, that is, Aries' (reading its location throws then). */
const isCrossOrigin = (popup: Window) => {
  try {
    return !popup.location.href;
  } catch {
    return true;
  }
};

/** Inside a frame of another origin the channel may be partitioned away from the popup (a cross-site frame). */
const isFramedCrossOrigin = (win: Window) => {
  try {
    return win.top !== win && !win.top!.location.href;
  } catch {
    return true;
  }
};

/**
 * Resolves with the callback for `state`, from the app's own origin only.
 * Messages for other states are ignored, unless they come from this very popup: then its answer was forged or stale.
 *
 * The answer is read from the popup's own URL as soon as the popup is back on the `redirect-uri` page (readable only
 * on the app's origin), and taken out of it, so that the page there finds nothing to relay: the sign-in need not wait
 * for that page to load and run its script. When that page ran first, it left the answer on its window (`ANSWER`),
 * read the same way, and relays it (`postCallback`): the way when the link is severed. When this page comes back (it was
 * hidden, frozen, asleep in a background tab while the popup was a tab of its own), it reads the popup again at once and
 * asks the callback page for the answer on the channel, without waiting for its timers.
 *
 * `popup.closed` means two things. While the opener link is intact (we saw the popup open on Aries' page), it means
 * the user closed the window: `popup_closed`. When Aries' page sends `Cross-Origin-Opener-Policy`, the link is severed
 * as the page loads and `closed` reads true although the window is open: the answer can then only come through the
 * channel, so the flow waits for it until the timeout (or a cancel). In a frame of another origin the channel may not
 * reach the popup at all, so a severed link fails at once with `popup_unreachable` instead of waiting in vain.
 * A window closed before Aries' page ever showed in it (blank, or closed as it loaded) reads the same as a severed one:
 * the wait goes on, and `onGone` lets the element offer to open Aries again.
 */
export function waitForCallback(
  win: AppWindow,
  popup: Window,
  state: string,
  { redirectUri, timeout, signal, onGone }: WaitOptions,
) {
  return new Promise<CallbackParams>((resolve, reject) => {
    const channel = callbackChannel(win, state);
    let linkSeen = false;
    const finish = (error?: unknown, callback?: CallbackParams) => {
      win.clearInterval(poll);
      win.clearInterval(read);
      win.clearTimeout(timer);
      stopWatching();
      win.removeEventListener('message', onMessage);
      signal.removeEventListener('abort', onAbort);
      if (callback) channel.postMessage({ type: ACK, state });
      channel.close();
      if (callback) resolve(callback);
      else reject(error);
    };
    const accept = (data: unknown, fromPopup: boolean) => {
      if (!isCallbackMessage(data)) return;
      const { state: answered, code, error, errorDescription, invalid } = data;
      if (answered === state) finish(undefined, { state, code, error, errorDescription, invalid });
      else if (fromPopup) finish(new AriesLoginError('state_mismatch'));
    };
    /** The answer in the popup's URL, or left on its window by its page; nothing while it shows Aries' page, or is gone. */
    const readPopup = () => {
      try {
        const callback = takeCallback(popup, redirectUri);
        accept(
          callback ? { type: CALLBACK, ...callback } : (popup as unknown as Record<string, unknown>)[ANSWER],
          true,
        );
      } catch {
        // Still on Aries' page (or about to be), or gone.
      }
    };
    // Every frame (16 ms) while the window is there: reading a window of another origin throws, which is cheap. A
    // closed or severed window can never be read again.
    const read = win.setInterval(() => (popup.closed ? win.clearInterval(read) : readPopup()), 16);
    const onMessage = (event: MessageEvent) => {
      if (event.origin === win.location.origin) accept(event.data, event.source === popup);
    };
    const onAbort = () => finish(signal.reason);
    channel.onmessage = (event: MessageEvent) => accept(event.data, false);
    win.addEventListener('message', onMessage);
    signal.addEventListener('abort', onAbort);
    const stopWatching = watchResume(win, () => {
      // The question first: reading the popup may end the wait, and close the channel.
      channel.postMessage({ type: ASK, state });
      readPopup();
    });
    // The link counts as seen once the popup showed Aries' page on two polls in a row: a page with COOP can be glimpsed
    // once, for an instant before the browser severs the link, and its `closed` then means severed, not closed.
    let sightings = 0;
    const poll = win.setInterval(() => {
      if (!popup.closed) linkSeen ||= (sightings = isCrossOrigin(popup) ? sightings + 1 : 0) > 1;
      else if (linkSeen) finish(new AriesLoginError('popup_closed'));
      else if (isFramedCrossOrigin(win)) finish(new AriesLoginError('popup_unreachable'));
      else {
        win.clearInterval(poll); // severed, or closed unseen: only the channel can answer now
        onGone?.();
      }
    }, 250);
    const timer = win.setTimeout(() => finish(new AriesLoginError('popup_timeout')), timeout);
  });
}
