// React 19 hosting <aries-login> (npm build), in JSX: the element itself (properties, attributes and a custom event set
// natively by react-dom/client), and the AriesLogin component of `aries-login/react` (@lit/react).
import { expect } from '@open-wc/testing';
// React is CommonJS: converted in web-test-runner.config.mjs, it has a default export only (as with most bundlers' interop).
import React from 'react';
import ReactDOMClient, { type Root } from 'react-dom/client';
import { ElementApp, WrapperApp, received } from './fixtures/react-apps.tsx';
import {
  callbackUrl,
  createClient,
  hostHooks,
  profileName,
  signInThroughHost,
  waitFor,
  type AriesLoginElement,
} from './support.js';

describe('React 19 host', () => {
  let root: Root | undefined;
  hostHooks(() => root?.unmount());
  beforeEach(() => (received.length = 0));

  const render = async (App: typeof ElementApp) => {
    const clientId = await createClient();
    const container = document.createElement('div');
    document.body.append(container);
    root = ReactDOMClient.createRoot(container);
    root.render(React.createElement(App, { clientId }));
    const element = await waitFor(() => container.querySelector<AriesLoginElement>('aries-login'), 'React to render');
    return { clientId, element };
  };

  const signsIn = async (element: AriesLoginElement) => {
    const shown = await signInThroughHost(element, 'React');
    expect(received).to.have.length(1);
    expect(received[0].accessToken).to.be.a('string').and.not.empty;
    expect(shown.textContent).to.equal(`Signed in with ${received[0].scope}`);
    expect(await profileName(received[0])).to.equal('Ada Lovelace');
  };

  it('<aries-login> in JSX: sets properties and attributes, and receives the tokens in onaries-login-success', async () => {
    const { clientId, element } = await render(ElementApp);
    expect(element.clientId).to.equal(clientId);
    expect(element.hasAttribute('clientid'), 'clientId went in as a property').to.equal(false);
    expect(element.redirectUri).to.equal(callbackUrl);
    expect(element.getAttribute('redirect-uri')).to.equal(callbackUrl);
    await signsIn(element);
  });

  it('<AriesLogin>: sets camelCase props as properties, and receives the tokens in onAriesLoginSuccess', async () => {
    const { clientId, element } = await render(WrapperApp);
    expect(element.clientId).to.equal(clientId);
    expect(element.redirectUri).to.equal(callbackUrl);
    expect(
      element.getAttributeNames().filter((name) => /client|redirect/i.test(name)),
      'no attributes',
    ).to.deep.equal([]);
    await signsIn(element);
  });
});
