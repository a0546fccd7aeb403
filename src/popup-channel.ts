/** Carries the callback from the popup to the page that opened it: read from the popup's URL, or posted by its page (to the opener, and on a same-origin BroadcastChannel named for the sign-in's `state`). */
import { takeCallback, type CallbackParams } from './parse-callback.js';
import { AriesLoginError } from './errors.js';

/** A window with its globals (`BroadcastChannel`), so tests and other frames can pass their own. */
export type AppWindow = Window & typeof globalThis;

const CALLBACK = 'aries-login:callback';
const ACK = 'aries-login:ack';

/**
 * The channel of one sign-in, both ways (the answer, and the acknowledgement): named for its `state`, so that only a
 * page that knows the `state` can listen, never every page of the origin.
 */
const callbackChannel = (win: AppWindow, state: string) => new win.BroadcastChannel(`${CALLBACK}:${state}`);

export interface CallbackMessage extends CallbackParams {
  type: typeof CALLBACK;
}

const isOptionalString = (value: unknown) => value === undefined || typeof value === 'string';

/** Only this exact shape is read; anything else on the channel is ignored. */
export const isCallbackMessage = (data: unknown): data is CallbackMessage => {
  const message = data as CallbackMessage | null;
  return (
    message?.type === CALLBACK &&
    (message.state === null || typeof message.state === 'string') &&
    isOptionalString(message.code) &&
    isOptionalString(message.error) &&
    isOptionalString(message.errorDescription) &&
    isOptionalString(message.invalid) &&
    !!(message.code || message.error || message.invalid)
  );
};

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
 * In the opener: resolves with the callback for `state`, from the app's own origin only.
 * Messages for other states are ignored, unless they come from this very popup: then its answer was forged or stale.
 *
 * The answer is read from the popup's own URL as soon as the popup is back on the `redirect-uri` page (readable only
 * on the app's origin), and taken out of it, so that the page there finds nothing to relay: the sign-in need not wait
 * for that page to load and run its script. The page's relay (below) is the way when the link is severed.
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
      clearInterval(poll);
      clearInterval(read);
      clearTimeout(timer);
      win.removeEventListener('message', onMessage);
      signal.removeEventListener('abort', onAbort);
      if (callback) channel.postMessage({ type: ACK, state });
      channel.close();
      if (callback) resolve(callback);
      else reject(error);
    };
    // Every frame (16 ms) while the window is there: reading a window of another origin throws, which is cheap. A
    // closed or severed window can never be read again.
    const read = setInterval(() => {
      if (popup.closed) return clearInterval(read);
      try {
        const callback = takeCallback(popup, redirectUri);
        if (callback) accept({ type: CALLBACK, ...callback }, true);
      } catch {
        // Still on Aries' page (or about to be), or gone.
      }
    }, 16);
    const accept = (data: unknown, fromPopup: boolean) => {
      if (!isCallbackMessage(data)) return;
      const { state: answered, code, error, errorDescription, invalid } = data;
      if (answered === state) finish(undefined, { state, code, error, errorDescription, invalid });
      else if (fromPopup) finish(new AriesLoginError('state_mismatch'));
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin === win.location.origin) accept(event.data, event.source === popup);
    };
    const onAbort = () => finish(signal.reason);
    channel.onmessage = (event: MessageEvent) => accept(event.data, false);
    win.addEventListener('message', onMessage);
    signal.addEventListener('abort', onAbort);
    // The link counts as seen once the popup showed Aries' page on two polls in a row: a page with COOP can be glimpsed
    // once, for an instant before the browser severs the link, and its `closed` then means severed, not closed.
    let sightings = 0;
    const poll = setInterval(() => {
      if (!popup.closed) linkSeen ||= (sightings = isCrossOrigin(popup) ? sightings + 1 : 0) > 1;
      else if (linkSeen) finish(new AriesLoginError('popup_closed'));
      else if (isFramedCrossOrigin(win)) finish(new AriesLoginError('popup_unreachable'));
      else {
        clearInterval(poll); // severed, or closed unseen: only the channel can answer now
        onGone?.();
      }
    }, 250);
    const timer = setTimeout(() => finish(new AriesLoginError('popup_timeout')), timeout);
  });
}

/**
 * In the popup: hands the callback to the opener (its own origin only, never `*`) and to the channel of its `state`
 * (none without one: no sign-in waits for such an answer, and only the opener is told, which then reports it).
 * Resolves true once a waiting page acknowledged it, false if none did within `ackTimeout` ms.
 */
export function postCallback(win: AppWindow, callback: CallbackParams, ackTimeout = 1500): Promise<boolean> {
  const message: CallbackMessage = { type: CALLBACK, ...callback };
  const channel = callback.state === null ? undefined : callbackChannel(win, callback.state);
  return new Promise((resolve) => {
    const done = (acknowledged: boolean) => {
      clearTimeout(timer);
      channel?.close();
      resolve(acknowledged);
    };
    const timer = setTimeout(done, ackTimeout, false);
    if (channel) {
      channel.onmessage = ({ data }: MessageEvent<{ type?: unknown; state?: unknown } | null>) =>
        data?.type === ACK && data.state === callback.state && done(true);
    }
    (win.opener as Window | null)?.postMessage(message, win.location.origin);
    channel?.postMessage(message);
  });
}
