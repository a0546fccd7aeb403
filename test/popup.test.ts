import { expect } from '@open-wc/testing';
import { openPopup } from '../src/popup.js';

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
    openPopup(win, 'aries-login-x', { width: 480, height: 640 });
    expect(calls).to.deep.equal([['', 'aries-login-x', 'popup,width=480,height=640,left=500,top=130']]);
  });

  it('keeps a popup larger than the page at the page’s corner', () => {
    const { win, calls } = opener({} as Window);
    openPopup(win, 'n', { width: 2000, height: 2000 });
    expect(calls[0][2]).to.equal('popup,width=2000,height=2000,left=100,top=50');
  });

  it('reports a blocked popup as popup_blocked', () => {
    const { win } = opener(null);
    expect(() => openPopup(win, 'n', { width: 1, height: 1 }))
      .to.throw()
      .with.property('code', 'popup_blocked');
  });

  it('reports a window.open that throws as popup_blocked', () => {
    const win = {
      ...opener(null).win,
      open: () => {
        throw new DOMException('blocked', 'InvalidAccessError');
      },
    };
    expect(() => openPopup(win as unknown as Window, 'n', { width: 1, height: 1 }))
      .to.throw()
      .with.property('code', 'popup_blocked');
  });
});
