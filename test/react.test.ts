// `aries-login/react` alone, rendered by React 19 (react-dom/client): <AriesLogin> is the element, its camelCase props
// are the element's properties, and each `onAries…` prop hears the element's event of that name.
import { expect } from '@open-wc/testing';
// React is CommonJS: converted in web-test-runner.config.mjs, it has a default export only.
import React from 'react';
import ReactDOMClient, { type Root } from 'react-dom/client';
import type { AriesLoginElement } from '../src/aries-login-element.js';
import { dispatch } from '../src/events.js';
import { AriesLogin } from '../src/react.js';
import { waitFor } from './helpers.js';

/** The `onAries…` props and the event each one names. */
const eventProps = {
  onAriesLoginStart: 'aries-login-start',
  onAriesLoginSuccess: 'aries-login-success',
  onAriesLoginError: 'aries-login-error',
  onAriesTokenRefresh: 'aries-token-refresh',
  onAriesTokenExpired: 'aries-token-expired',
  onAriesTokenExpiring: 'aries-token-expiring',
  onAriesLogout: 'aries-logout',
} as const;

describe('AriesLogin (aries-login/react)', () => {
  let root: Root | undefined;
  let container: HTMLElement | undefined;
  afterEach(() => {
    root?.unmount();
    container?.remove();
  });

  async function renderAriesLogin(props: Record<string, unknown>) {
    container = document.createElement('div');
    document.body.append(container);
    root = ReactDOMClient.createRoot(container);
    root.render(React.createElement(AriesLogin, props));
    return waitFor(() => !!container!.querySelector('aries-login'), 'React to render').then(() =>
      container!.querySelector<AriesLoginElement>('aries-login')!,
    );
  }

  it('is named AriesLogin in React’s tools', () => {
    expect((AriesLogin as { displayName?: string }).displayName).to.equal('AriesLogin');
  });

  it('renders <aries-login>, with camelCase props set as its properties', async () => {
    const strings = { signIn: 'Log in with Aries' };
    const element = await renderAriesLogin({
      clientId: 'react-app',
      redirectUri: `${location.origin}/callback`,
      mode: 'redirect',
      showUser: true,
      popupTimeout: 60,
      strings,
    });
    expect(element.tagName).to.equal('ARIES-LOGIN');
    expect(element).to.include({
      clientId: 'react-app',
      redirectUri: `${location.origin}/callback`,
      mode: 'redirect',
      showUser: true,
      popupTimeout: 60,
      strings,
    });
  });

  it('each onAries… prop hears the element’s event of that name, and only that one', async () => {
    const heard: [string, unknown][] = [];
    const handlers = Object.fromEntries(
      Object.entries(eventProps).map(([prop, type]) => [
        prop,
        (event: CustomEvent) => heard.push([type, event.detail]),
      ]),
    );
    const element = await renderAriesLogin({ clientId: 'react-app', ...handlers });
    for (const type of Object.values(eventProps)) {
      const detail = { from: type };
      dispatch(element, type, detail as never);
      expect(heard.at(-1), type).to.deep.equal([type, detail]);
    }
    expect(heard).to.have.length(Object.keys(eventProps).length);
  });
});
