/** In-page probes for the sign-in bench: live listeners, timers, BroadcastChannels, and the moments of each sign-in. */

/**
 * Runs in the bench page before any of its scripts (puppeteer's `evaluateOnNewDocument` serialises it), so it wraps
 * the platform before the widget can take a reference to it. It must not refer to anything outside itself.
 *
 * What counts as leaked is what stays reachable: a listener on a node that was dropped from the page dies with it,
 * so targets are held weakly and only those alive after a forced GC are counted. Timers and channels are different:
 * the browser keeps an unfired timer and an unclosed channel alive by itself, so they are counted until cleared/closed.
 * The bench's own listeners and timers use the saved originals (`raw`), so they never show up in the counts.
 */
export function installProbes() {
  const now = () => performance.timeOrigin + performance.now(); // epoch ms, sub-ms, comparable across windows
  const raw = {
    add: EventTarget.prototype.addEventListener,
    remove: EventTarget.prototype.removeEventListener,
    setTimeout: window.setTimeout.bind(window),
    setInterval: window.setInterval.bind(window),
    clearTimeout: window.clearTimeout.bind(window),
    clearInterval: window.clearInterval.bind(window),
    open: window.open,
    BroadcastChannel: window.BroadcastChannel,
  };
  /** Where a timer or channel was made: the first stack frame outside this file, for the leak report. */
  const site = () => (new Error().stack ?? '').split('\n').slice(3, 4).join('').trim();

  // --- Event listeners: target -> "type" or "type capture" -> listener -> its helper for `once`/`signal` (or null).
  /** @type {WeakMap<EventTarget, Map<string, Map<unknown, { target: EventTarget, type: string, fn: EventListener, capture: boolean } | null>>>} */
  const listeners = new WeakMap();
  /** @type {Set<WeakRef<EventTarget>>} */
  const targets = new Set();
  const known = new WeakSet();
  const captureOf = (/** @type {unknown} */ options) =>
    typeof options === 'boolean' ? options : !!(options && /** @type {AddEventListenerOptions} */ (options).capture);
  const forget = (/** @type {EventTarget} */ target, /** @type {string} */ key, /** @type {unknown} */ listener) => {
    const helper = listeners.get(target)?.get(key)?.get(listener);
    if (helper) raw.remove.call(helper.target, helper.type, helper.fn, helper.capture);
    listeners.get(target)?.get(key)?.delete(listener);
  };
  /** @type {EventTarget['addEventListener']} */
  EventTarget.prototype.addEventListener = function addEventListener(type, listener, options) {
    raw.add.call(this, type, listener, options);
    const signal = typeof options === 'object' ? options?.signal : undefined;
    if (!listener || signal?.aborted) return; // the platform ignores these too
    const capture = captureOf(options);
    const key = `${type}${capture ? ' capture' : ''}`;
    if (!known.has(this)) {
      known.add(this);
      targets.add(new WeakRef(this));
      listeners.set(this, new Map());
    }
    const byKey = /** @type {Map<string, Map<unknown, any>>} */ (listeners.get(this));
    if (!byKey.has(key)) byKey.set(key, new Map());
    const byListener = /** @type {Map<unknown, any>} */ (byKey.get(key));
    if (byListener.has(listener)) return; // a duplicate add is a no-op
    // `once` and `signal` remove a listener without removeEventListener: a raw helper notices it.
    let helper = null;
    if (typeof options === 'object' && options?.once) {
      helper = { target: this, type, capture, fn: () => forget(this, key, listener) };
    } else if (signal) {
      helper = { target: signal, type: 'abort', capture: false, fn: () => forget(this, key, listener) };
    }
    byListener.set(listener, helper);
    if (helper) raw.add.call(helper.target, helper.type, helper.fn, { capture: helper.capture, once: true });
  };
  /** @type {EventTarget['removeEventListener']} */
  EventTarget.prototype.removeEventListener = function removeEventListener(type, listener, options) {
    raw.remove.call(this, type, listener, options);
    forget(this, `${type}${captureOf(options) ? ' capture' : ''}`, listener);
  };
  const labelOf = (/** @type {EventTarget} */ target) =>
    target === window ? 'window' : target === document ? 'document' : target.constructor.name;

  // --- Timers: id -> what it is. A timeout is live until it fires or is cleared; an interval until it is cleared.
  /** @type {Map<number, { kind: string, delay: number, site: string }>} */
  const timers = new Map();
  window.setTimeout = /** @type {any} */ (
    function setTimeout(
      /** @type {TimerHandler} */ handler,
      /** @type {number | undefined} */ delay,
      /** @type {unknown[]} */ ...args
    ) {
      if (typeof handler !== 'function') return raw.setTimeout(handler, delay, ...args);
      const id = raw.setTimeout(
        (/** @type {unknown[]} */ ...a) => {
          timers.delete(id);
          handler(...a);
        },
        delay,
        ...args,
      );
      timers.set(id, { kind: 'timeout', delay: Number(delay) || 0, site: site() });
      return id;
    }
  );
  window.setInterval = /** @type {any} */ (
    function setInterval(
      /** @type {TimerHandler} */ handler,
      /** @type {number | undefined} */ delay,
      /** @type {unknown[]} */ ...args
    ) {
      const id = raw.setInterval(handler, delay, ...args);
      timers.set(id, { kind: 'interval', delay: Number(delay) || 0, site: site() });
      return id;
    }
  );
  // The platform lets either clear function clear either kind of timer; so does this.
  window.clearTimeout = function clearTimeout(id) {
    timers.delete(/** @type {number} */ (id));
    raw.clearTimeout(id);
  };
  window.clearInterval = function clearInterval(id) {
    timers.delete(/** @type {number} */ (id));
    raw.clearInterval(id);
  };

  // --- BroadcastChannels: open from construction until close().
  /** @type {Map<BroadcastChannel, string>} */
  const channels = new Map();
  let channelsMade = 0;
  class BroadcastChannel extends raw.BroadcastChannel {
    constructor(/** @type {string} */ name) {
      super(name);
      channelsMade++;
      channels.set(this, site());
    }
    close() {
      channels.delete(this);
      super.close();
    }
  }
  window.BroadcastChannel = BroadcastChannel;

  // --- One sign-in at a time: its click, window.open, callback page, token request and outcome.
  /** @type {Record<string, any>} */
  let cycle = {};
  let inClick = false;
  /** @type {(value: unknown) => void} */
  let settle = () => {};
  window.open = function open(...args) {
    const popup = raw.open.apply(this, args);
    cycle.opens = (cycle.opens ?? 0) + 1;
    cycle.openAt ??= now();
    cycle.openInClick ??= inClick; // still inside the click's dispatch: the same task, for certain
    cycle.blocked ??= !popup;
    return popup;
  };
  // Capture on window runs before the element's handler, bubbling on window after it (the click is composed).
  raw.add.call(
    window,
    'click',
    (event) => {
      if (
        !event.isTrusted ||
        !event.composedPath().some((node) => /** @type {Element} */ (node).localName === 'aries-login')
      )
        return;
      inClick = true;
      cycle.clickAt ??= now();
    },
    true,
  );
  raw.add.call(window, 'click', () => (inClick = false), false);
  for (const type of ['aries-login-success', 'aries-login-error']) {
    raw.add.call(window, type, (event) => {
      const at = now();
      const detail = /** @type {CustomEvent} */ (event).detail;
      // The token request as the page saw it, preflight included (it falls between its start and its end).
      const tokenUrl = document.querySelector('aries-login')?.getAttribute('token-url') ?? '';
      const entry = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource'))
        .filter((e) => e.name.startsWith(tokenUrl))
        .pop();
      performance.clearResourceTimings(); // the buffer holds 250 entries; hundreds of sign-ins would overflow it
      settle({
        ...cycle,
        outcome: type === 'aries-login-success' ? 'success' : 'error',
        code: detail?.code,
        message: detail?.message,
        endAt: at,
        tokenStart: entry && performance.timeOrigin + entry.startTime,
        tokenEnd: entry && performance.timeOrigin + entry.responseEnd,
      });
    });
  }

  const snapshot = () => {
    let liveListeners = 0;
    /** @type {Record<string, number>} */
    const byTarget = {};
    for (const ref of targets) {
      const target = ref.deref();
      if (!target) {
        targets.delete(ref);
        continue;
      }
      for (const [key, byListener] of listeners.get(target) ?? []) {
        if (!byListener.size) continue;
        liveListeners += byListener.size;
        const label = `${labelOf(target)} ${key}`;
        byTarget[label] = (byTarget[label] ?? 0) + byListener.size;
      }
    }
    const storage = (() => {
      try {
        return Object.keys(sessionStorage);
      } catch {
        return [];
      }
    })();
    return {
      listeners: liveListeners,
      listenersByTarget: byTarget,
      timers: timers.size,
      timerList: [...timers.values()],
      channels: channels.size,
      channelSites: [...channels.values()],
      channelsMade,
      transactions: storage.filter((key) => key.startsWith('aries-login:')).length,
    };
  };

  /** @type {Promise<unknown>} */
  let outcome = Promise.resolve({ outcome: 'not armed' });
  Object.defineProperty(window, '__bench', {
    value: Object.freeze({
      /** Starts recording a sign-in; `outcome()` resolves when the element reports success or an error. */
      arm(/** @type {number} */ timeout) {
        cycle = {};
        outcome = new Promise((resolve) => {
          const timer = raw.setTimeout(() => resolve({ ...cycle, outcome: 'timeout' }), timeout);
          settle = (value) => {
            raw.clearTimeout(timer);
            settle = () => {};
            resolve(value);
          };
        });
      },
      outcome: () => outcome,
      snapshot,
    }),
  });
}
