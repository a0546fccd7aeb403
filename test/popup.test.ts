import { expect } from '@open-wc/testing';
import { closePopup, openPopup } from '../src/popup.js';

describe('openPopup', () => {
  // A stand-in for the opener's geometry and window.open: the browser's window placement is outside the project.
  const opener = (result: Window | null) => {
    const calls: string[][] = [];
    const win = {
      screenX: 100,
      screenY: 50,
      outerWidth: 1280,
      outerHeight: 800,
      open: (...args: string[]) => (calls.push(args), result),
    };
    return { win: win as unknown as Window, calls };
  };

  it('opens a blank window of the given size, centred over the page', () => {
    const { win, calls } = opener({} as Window);
    openPopup(win, 480, 640);
    expect(calls).to.deep.equal([['', '', 'popup,width=480,height=640,left=500,top=130']]);
  });

  it('opens the window straight at the URL it is given (a sign-in prepared before the click)', () => {
    const { win, calls } = opener({} as Window);
    openPopup(win, 480, 640, 'https://app.aries.com/oauth2/authorize?state=s');
    expect(calls).to.deep.equal([
      ['https://app.aries.com/oauth2/authorize?state=s', '', 'popup,width=480,height=640,left=500,top=130'],
    ]);
  });

  it('opens the window where the browser reads a half-pixel centre (left=500.5 is 500)', () => {
    const { win, calls } = opener({} as Window);
    openPopup(win, 479, 639);
    expect(calls[0][2]).to.equal('popup,width=479,height=639,left=500.5,top=130.5');
  });

  it('keeps a popup larger than the page at the page’s corner', () => {
    const { win, calls } = opener({} as Window);
    openPopup(win, 2000, 2000);
    expect(calls[0][2]).to.equal('popup,width=2000,height=2000,left=100,top=50');
  });

  it('gives null for a blocked popup', () => {
    expect(openPopup(opener(null).win, 1, 1)).to.equal(null);
  });

  it('gives null when window.open throws (Firefox, in a sandboxed frame)', () => {
    const win = {
      ...opener(null).win,
      open: () => {
        throw new DOMException('blocked', 'InvalidAccessError');
      },
    };
    expect(openPopup(win as unknown as Window, 1, 1)).to.equal(null);
  });
});

describe('closePopup', () => {
  // A stand-in for a window whose first close is lost (Chromium, a window still on its way to another origin).
  const losingFirstClose = () => {
    const win = { closed: false, closes: 0, close: () => (win.closed = ++win.closes > 1) };
    return win;
  };

  it('closes the window again until it reads closed, then stops', async () => {
    const win = losingFirstClose();
    closePopup(win as unknown as Window);
    expect(win.closes).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(win.closed).to.equal(true);
    expect(win.closes).to.equal(2);
  });

  it('gives up after its tries: a window that never reads closed is not polled forever', async () => {
    const win = { closes: 0, closed: false, close: () => void win.closes++ };
    closePopup(win as unknown as Window, 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(win.closes).to.equal(3);
  });
});
