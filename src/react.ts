/** `aries-login/react`: `<AriesLogin>`, the element as a React component with camelCase props and typed `onAries…` events. */
import { createComponent, type EventName } from '@lit/react';
// React ships CommonJS: its default export is the one every bundler (and Node) gives.
import React from 'react';
import './aries-login-define.js';
import { AriesLoginElement } from './aries-login-element.js';
import type { AriesLoginEventMap } from './events.js';

const event = <K extends keyof AriesLoginEventMap>(name: K) => name as EventName<AriesLoginEventMap[K]>;

/**
 * `<AriesLogin clientId=… redirectUri=… onAriesLoginSuccess={(e) => e.detail.accessToken} />`: props are set as the
 * element's properties, and each `onAries…` prop listens to the element's event of that name.
 */
export const AriesLogin = createComponent({
  react: React,
  tagName: 'aries-login',
  elementClass: AriesLoginElement,
  displayName: 'AriesLogin',
  events: {
    onAriesLoginStart: event('aries-login-start'),
    onAriesLoginSuccess: event('aries-login-success'),
    onAriesLoginError: event('aries-login-error'),
    onAriesTokenRefresh: event('aries-token-refresh'),
    onAriesTokenExpired: event('aries-token-expired'),
    onAriesTokenExpiring: event('aries-token-expiring'),
    onAriesLogout: event('aries-logout'),
  },
});

export type * from './index.js';
