/** Carries Aries' answer from the popup's callback page to the page that opened it: the messages and their channel (named for the sign-in's `state`), and the callback page's side, which relays the answer until a waiting sign-in takes it. */
import type { CallbackParams } from './parse-callback.js';
import { waitingLockName } from './waiting-lock.js';

/** A window with its globals (`BroadcastChannel`), so tests and other frames can pass their own. */
export type AppWindow = Window & typeof globalThis;

export const CALLBACK = 'aries-login:callback';
/** The waiting page took the answer. */
export const ACK = 'aries-login:ack';
/** The waiting page, back from sleep, asks for the answer again. */
export const ASK = 'aries-login:ask';
/**
 * The property of the callback page's window that holds the answer while it is relayed: the opener reads it there as it
 * wakes, whether or not this page is awake then to answer (on a phone, the tab the user left sleeps in turn). Only the
 * opener holds a reference to this window (it has no name by which another page could find it).
 */
export const ANSWER = 'aries-login:answer';

/**
 * The channel of one sign-in, both ways (the answer, and the acknowledgement): named for its `state`, so that only a
 * page that knows the `state` can listen, never every page of the origin.
 */
export const callbackChannel = (win: AppWindow, state: string) => new win.BroadcastChannel(`${CALLBACK}:${state}`);

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

/** Ms between two relays of the answer while a sign-in waits for it: a page that sleeps may miss a message. */
const RELAY_EVERY = 500;
/** Ms after which a sign-in that waits but has not taken the answer (its page asleep, or still loading) is called back. */
const CALL_BACK_AFTER = 1000;
/** Ms an answer that no sign-in waits for is still offered (as before Web Locks: a page without them holds none). */
const GRACE = 1500;

/**
 * How a relay ended: `taken` (acknowledged), `unclaimed` (no sign-in waits for this answer) or `expired` (one waited,
 * but did not take it within the limit).
 */
export type RelayOutcome = 'taken' | 'unclaimed' | 'expired';

export interface RelayOptions {
  /** Ms after which an answer a sign-in waits for but does not take is given up: that sign-in has expired by then. */
  limit: number;
  /** Called once when a sign-in waits but has not taken the answer after a second: the page asks the user to go back. */
  onWaiting?: () => void;
}

/** Whether a page holds the lock `name` names: a sign-in waits for this answer (false without Web Locks). */
const someoneWaits = async (win: Window, name?: Promise<string>) =>
  !!name &&
  !!(await win.navigator.locks?.request(await name, { ifAvailable: true }, (lock) => !lock).catch(() => false));

/**
 * In the popup: hands the callback to the opener (its own origin only, never `*`), to the channel of its `state` (none
 * without one: no sign-in waits for such an answer, and only the opener is told, which then reports it), and leaves it
 * on this window for the opener to read (`ANSWER`). While a sign-in waits for it (a page holds its waiting lock) it is
 * relayed again every half second, and at once when that page asks (it does as it wakes): a page asleep in a background
 * tab, or one whose flow is still loading, takes it when it can. Resolves with how the relay ended.
 */
export function postCallback(win: AppWindow, callback: CallbackParams, { limit, onWaiting }: RelayOptions) {
  const { state } = callback;
  const message: CallbackMessage = { type: CALLBACK, ...callback };
  const channel = state === null ? undefined : callbackChannel(win, state);
  const lock = state === null ? undefined : waitingLockName(win.crypto, state);
  Object.defineProperty(win, ANSWER, { value: message, configurable: true });
  return new Promise<RelayOutcome>((resolve) => {
    let waited = 0;
    let ended = false;
    const post = () => {
      (win.opener as Window | null)?.postMessage(message, win.location.origin);
      channel?.postMessage(message);
    };
    const end = (outcome: RelayOutcome) => {
      ended = true;
      win.clearInterval(relay);
      win.clearTimeout(limiter);
      channel?.close();
      delete (win as unknown as Record<string, unknown>)[ANSWER];
      resolve(outcome);
    };
    if (channel) {
      channel.onmessage = ({ data }: MessageEvent<{ type?: unknown; state?: unknown } | null>) => {
        if (data?.state !== state) return;
        if (data?.type === ACK) end('taken');
        else if (data?.type === ASK) post();
      };
    }
    const relay = win.setInterval(() => {
      waited += RELAY_EVERY;
      void someoneWaits(win, lock).then((waiting) => {
        if (ended) return;
        if (!waiting) return waited >= GRACE && end('unclaimed');
        post();
        if (waited < CALL_BACK_AFTER) return;
        onWaiting?.();
        onWaiting = undefined;
      });
    }, RELAY_EVERY);
    const limiter = win.setTimeout(end, limit, 'expired');
    post();
  });
}
