// When the page comes back, and whether it may have missed something: on a window of its own (an EventTarget with a
// document), so that every event can be sent as a browser sends it (`visibilitychange` bubbles from the document to the
// window, sent here at the window; `freeze` and `resume` do not bubble, and are sent at the document).
import { expect } from '@open-wc/testing';
import { watchResume } from '../src/page-resume.js';

function fakeWindow() {
  const document = Object.assign(new EventTarget(), { hidden: false });
  const win = Object.assign(new EventTarget(), { document }) as unknown as Window;
  const heard: boolean[] = [];
  const stop = watchResume(win, (missed) => heard.push(missed));
  const fire = (target: EventTarget, type: string, init: object = {}) =>
    target.dispatchEvent(Object.assign(new Event(type), init));
  return { win, document, heard, stop, fire };
}

describe('watchResume', () => {
  it('a focus or an `online` alone is a comeback with nothing missed', () => {
    const { win, heard, fire } = fakeWindow();
    fire(win, 'focus');
    fire(win, 'pageshow', { persisted: false });
    expect(heard).to.deep.equal([false, false]);
  });

  const away: [string, (f: ReturnType<typeof fakeWindow>) => void, (f: ReturnType<typeof fakeWindow>) => void][] = [
    [
      'hidden, then visible',
      ({ win, document, fire }) => {
        document.hidden = true;
        fire(win, 'visibilitychange');
      },
      ({ win, document, fire }) => {
        document.hidden = false;
        fire(win, 'visibilitychange');
      },
    ],
    ['offline, then online', ({ win, fire }) => fire(win, 'offline'), ({ win, fire }) => fire(win, 'online')],
    [
      'frozen, then resumed',
      ({ document, fire }) => fire(document, 'freeze'),
      ({ document, fire }) => fire(document, 'resume'),
    ],
    [
      'in the back/forward cache',
      ({ win, fire }) => fire(win, 'pagehide'),
      ({ win, fire }) => fire(win, 'pageshow', { persisted: true }),
    ],
  ];
  for (const [name, leave, back] of away) {
    it(`${name}: a comeback that may have missed something, once`, () => {
      const page = fakeWindow();
      leave(page);
      expect(page.heard, 'nothing while away').to.deep.equal([]);
      back(page);
      page.fire(page.win, 'focus');
      expect(page.heard).to.deep.equal([true, false]);
    });
  }

  it('a page restored from the back/forward cache missed things even unseen leaving', () => {
    const { win, heard, fire } = fakeWindow();
    fire(win, 'pageshow', { persisted: true });
    expect(heard).to.deep.equal([true]);
  });

  it('hears nothing once stopped', () => {
    const { win, document, heard, stop, fire } = fakeWindow();
    stop();
    for (const type of ['focus', 'online', 'pageshow', 'visibilitychange']) fire(win, type);
    fire(document, 'resume');
    expect(heard).to.deep.equal([]);
  });

  it('listens on a real window, and lets go of it', () => {
    const heard: boolean[] = [];
    const stop = watchResume(window, (missed) => heard.push(missed));
    window.dispatchEvent(new Event('online'));
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    stop();
    window.dispatchEvent(new Event('online'));
    expect(heard).to.deep.equal([false, false]);
  });
});
