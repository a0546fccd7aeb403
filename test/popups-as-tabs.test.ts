// Where a popup would open as a tab (touch-only devices, in-app browsers), `mode="auto"` sends the tab to Aries instead.
import { expect } from '@open-wc/testing';
import { IN_APP_BROWSER, popupsOpenAsTabs } from '../src/popups-as-tabs.js';

/** A `matchMedia` that answers true for the queries given. */
const media =
  (...matching: string[]) =>
  (query: string) => ({ matches: matching.includes(query) });

const desktopChrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const iPhoneSafari =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const androidChrome =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

describe('popupsOpenAsTabs', () => {
  const phone = media('(pointer: coarse)', '(hover: none)');
  const mouse = media('(any-pointer: fine)');

  const cases: [string, ReturnType<typeof media>, string, boolean][] = [
    ['a phone (coarse pointer, no hover, nothing fine)', phone, iPhoneSafari, true],
    ['an Android phone', phone, androidChrome, true],
    ['a desktop with a mouse', mouse, desktopChrome, false],
    [
      'a touch laptop (touch first, a trackpad too)',
      media('(pointer: coarse)', '(hover: none)', '(any-pointer: fine)'),
      desktopChrome,
      false,
    ],
    [
      'a laptop whose primary pointer is its trackpad',
      media('(pointer: fine)', '(any-pointer: fine)'),
      desktopChrome,
      false,
    ],
    ['a coarse pointer that hovers (a TV remote, a Wii)', media('(pointer: coarse)'), desktopChrome, false],
    ['no pointer at all (a headless browser answers no pointer query)', media('(hover: none)'), desktopChrome, false],
    ['a browser without these media features', media(), desktopChrome, false],
    // In-app browsers, by user agent: on a phone the capabilities already tell; with a mouse only the user agent does.
    [
      'Facebook’s in-app browser with a mouse',
      mouse,
      `${iPhoneSafari} [FBAN/FBIOS;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]`,
      true,
    ],
    ['WeChat’s desktop browser', mouse, `${desktopChrome} MicroMessenger/7.0.20.1781(0x6700143B) WindowsWechat`, true],
    ['LinkedIn', mouse, `${iPhoneSafari} LinkedInApp/9.29.6`, true],
  ];
  for (const [name, matchMedia, userAgent, expected] of cases) {
    it(`${name}: ${expected ? 'tabs (auto redirects)' : 'a popup'}`, () =>
      expect(popupsOpenAsTabs(matchMedia, { userAgent })).to.equal(expected));
  }

  const inApp: [string, string][] = [
    ['Facebook (iOS)', 'FBAN/FBIOS;FBAV/471.0.0.35.107'],
    ['Facebook (Android)', '[FB_IAB/FB4A;FBAV/471.0.0.35.107;]'],
    ['Messenger', '[FB_IAB/Orca-Android;FBAV/456.0.0.55.109;]'],
    ['Instagram', 'Instagram 346.0.0.23.85 (iPhone15,2; iOS 17_5; en_US; en)'],
    ['LinkedIn', 'LinkedInApp/9.29.6'],
    ['LINE', 'Line/14.6.0'],
    ['WeChat', 'MicroMessenger/8.0.49(0x18003130) NetType/WIFI Language/en'],
    ['TikTok', 'musical_ly_34.1.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en'],
    ['Douyin', 'BytedanceWebview/d8a21c6'],
    ['Snapchat', 'Snapchat/13.1.0.36 (iPhone15,2; iOS 17.5; gzip)'],
    ['X/Twitter (Android)', 'TwitterAndroid'],
    ['Pinterest', '[Pinterest/iOS]'],
  ];
  for (const [name, token] of inApp) {
    it(`knows ${name}’s in-app browser`, () => expect(IN_APP_BROWSER.test(`${androidChrome} ${token}`)).to.equal(true));
  }

  const browsers: [string, string][] = [
    ['Chrome', desktopChrome],
    ['Safari on an iPhone', iPhoneSafari],
    ['Chrome on Android', androidChrome],
    ['Firefox on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
    ['Edge', `${desktopChrome} Edg/131.0.0.0`],
    ['Samsung Internet', `${androidChrome.replace('Chrome/131.0.0.0 ', '')} SamsungBrowser/26.0`],
  ];
  for (const [name, userAgent] of browsers) {
    it(`takes ${name} for a browser, not an in-app one`, () => expect(IN_APP_BROWSER.test(userAgent)).to.equal(false));
  }
});
