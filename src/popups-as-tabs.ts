/** Tells where a popup would open as a tab (a touch-only device, an in-app browser), so that `mode="auto"` sends the whole tab to Aries there instead. */

/**
 * In-app browsers (the web view of a social or messaging app), by the token each puts in its user agent: they open a
 * popup as a page of their own, or not at all, and may suspend the page behind it. Facebook (`FBAN`, `FBAV`, and
 * `FB_IAB` in Messenger), Instagram, LinkedIn (`LinkedInApp`), LINE (`Line/`), WeChat (`MicroMessenger`, which is also
 * the browser inside WeChat's desktop app, where a mouse is present), TikTok (`musical_ly`, `Bytedance`), Snapchat,
 * X/Twitter (`Twitter`, its Android app) and Pinterest.
 */
export const IN_APP_BROWSER =
  /FBA[NV]|FB_IAB|Instagram|LinkedInApp|\bLine\/|MicroMessenger|musical_ly|Bytedance|Snapchat|Twitter|Pinterest/;

/**
 * Whether a popup opens as a tab here. By capability first: a touch-only device (a coarse primary pointer that cannot
 * hover, and no fine pointer at all: a phone, a tablet without a trackpad) opens popups as tabs. The user agent only
 * where capabilities cannot tell: an in-app browser. A browser that answers no media query (no pointer at all, such as
 * a headless one) keeps the popup.
 */
export const popupsOpenAsTabs = (
  matchMedia: (query: string) => { matches: boolean },
  navigator: { userAgent: string },
): boolean =>
  (matchMedia('(pointer: coarse)').matches &&
    matchMedia('(hover: none)').matches &&
    !matchMedia('(any-pointer: fine)').matches) ||
  IN_APP_BROWSER.test(navigator.userAgent);
