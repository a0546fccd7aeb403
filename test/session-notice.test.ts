// The session's notices, drawn without the element: the countdown's wording, when it changes, and what it offers.
import { expect, fixture } from '@open-wc/testing';
import { html, render } from 'lit';
import { minutesAndSeconds, nextReading, renderSessionNotice } from '../src/session-notice.js';

describe('session notice', () => {
  for (const [seconds, text] of [
    [0, '0:00'],
    [9, '0:09'],
    [60, '1:00'],
    [125, '2:05'],
    [3600, '60:00'],
  ] as const) {
    it(`${seconds} s reads ${text}`, () => expect(minutesAndSeconds(seconds)).to.equal(text));
  }

  // A live region is read out at each change: each whole minute, then 30 and 10 seconds before the end, no more.
  for (const [seconds, next] of [
    [300, 240],
    [181, 180],
    [120, 60],
    [119, 60],
    [61, 60],
    [60, 30],
    [31, 30],
    [30, 10],
    [11, 10],
    [10, 0],
    [1, 0],
  ] as const) {
    it(`${seconds} s before the end, it next changes at ${next} s`, () => expect(nextReading(seconds)).to.equal(next));
  }

  it('a countdown from 2:00 is read out five times, not 120', () => {
    const readings = [];
    for (let left = 120; left > 0; left = nextReading(left)) readings.push(left);
    expect(readings).to.deep.equal([120, 60, 30, 10]);
  });

  const draw = async (state: Parameters<typeof renderSessionNotice>[0], now = 0) => {
    const stays: number[] = [];
    const container = await fixture(html`<div></div>`);
    render(
      renderSessionNotice(
        state,
        (key, english) => (key === 'staySignedIn' ? 'Bleiben' : english),
        () => stays.push(1),
        now,
      ),
      container,
    );
    return { container, stays };
  };

  it('a warning: the time left in a live region, and a button to stay signed in (in the host’s wording)', async () => {
    const { container, stays } = await draw({ warning: 105_000, elsewhere: false });
    const notice = container.querySelector('[part=notice]')!;
    expect(notice.getAttribute('role')).to.equal('status');
    expect(notice.textContent).to.equal('Your session ends in 1:45');
    const stay = container.querySelector<HTMLButtonElement>('button[part=stay-signed-in]')!;
    expect(stay.textContent).to.equal('Bleiben');
    stay.click();
    expect(stays).to.deep.equal([1]);
  });

  it('signed in elsewhere: a status line; neither: nothing', async () => {
    const elsewhere = await draw({ elsewhere: true });
    expect(elsewhere.container.querySelector('[part=notice]')!.textContent).to.equal(
      'Signed in with Aries in another tab',
    );
    expect(elsewhere.container.querySelector('button')).to.equal(null);
    const none = await draw({ elsewhere: false });
    expect(none.container.children).to.have.length(0);
  });
});
