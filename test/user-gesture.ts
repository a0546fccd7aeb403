// A person's click, through the test runner: trusted, so a user gesture that may open a popup in every engine (a script's `.click()` is none in WebKit, whose popup blocker stays on in the tests).
import { executeServerCommand, sendMouse } from '@web/test-runner-commands';

type Position = [number, number];

/** A point of `view` in the viewport of its top-level window, through the same-origin frames it is in. */
function inTopWindow(view: Window, x: number, y: number): { view: Window; x: number; y: number } {
  for (let frame = view.frameElement; frame; frame = view.frameElement) {
    const box = frame.getBoundingClientRect();
    x += box.left + frame.clientLeft;
    y += box.top + frame.clientTop;
    view = view.parent;
  }
  return { view, x, y };
}

/**
 * Clicks at a point of a top-level window. In the test's own page, the pointer is then parked in the bottom-right
 * corner, away from where the next test renders its element (a pointer left over a button is intent: the element
 * prepares a sign-in on it); a window the test opened is closed after it.
 */
async function clickAt({ view, x, y }: { view: Window; x: number; y: number }) {
  const position: Position = [Math.round(x), Math.round(y)];
  if (view === window.top) {
    await sendMouse({ type: 'click', position });
    await sendMouse({ type: 'move', position: [view.innerWidth - 1, view.innerHeight - 1] });
    return;
  }
  // web-test-runner.config.mjs's `click-in-window` finds the window by its name.
  view.name ||= `aries-test-${Math.random().toString(36).slice(2)}`;
  await executeServerCommand('click-in-window', { name: view.name, position });
}

/** Clicks `element` as a person does: the pointer moves onto its centre and clicks there. */
export async function userClick(element: Element): Promise<void> {
  element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  const { left, top, width, height } = element.getBoundingClientRect();
  await clickAt(inTopWindow(element.ownerDocument.defaultView!, left + width / 2, top + height / 2));
}

/** Clicks at the centre of `box`, a rectangle in the viewport of `frame`'s page (of another origin, which told it). */
export async function userClickInFrame(
  frame: HTMLIFrameElement,
  box: { x: number; y: number; width: number; height: number },
): Promise<void> {
  const at = frame.getBoundingClientRect();
  const x = at.left + frame.clientLeft + box.x + box.width / 2;
  const y = at.top + frame.clientTop + box.y + box.height / 2;
  await clickAt(inTopWindow(frame.ownerDocument.defaultView!, x, y));
}

/** The gesture running now: one at a time, as their buttons share a corner of the page. */
let gestures: Promise<unknown> = Promise.resolve();

/**
 * Runs `action` in the click handler of a person's click elsewhere on the page: what an app's own button does with
 * `signIn()` or `window.open`. The element under test sees no pointer or focus (no intent). A promise that `action`
 * returns is awaited with it: return it inside an array to keep it pending.
 */
export function inUserGesture<T>(action: () => T): Promise<T> {
  const run = gestures.then(() => clickToRun(action));
  gestures = run.catch(() => undefined);
  return run;
}

async function clickToRun<T>(action: () => T): Promise<T> {
  const button = document.createElement('button');
  button.textContent = 'Go';
  Object.assign(button.style, { position: 'fixed', left: '0', bottom: '0', zIndex: '2147483647' });
  let outcome: { value: T } | { error: unknown } | undefined;
  button.addEventListener(
    'click',
    () => {
      try {
        outcome = { value: action() };
      } catch (error) {
        outcome = { error };
      }
    },
    { once: true },
  );
  document.body.append(button);
  try {
    await userClick(button);
  } finally {
    button.remove();
  }
  if (!outcome) throw new Error('the click did not reach its button');
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
