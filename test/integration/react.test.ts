// React 19 hosting <aries-login> (npm build): properties and a custom event set natively by react-dom/client.
import { expect } from '@open-wc/testing';
// React is CommonJS: converted in web-test-runner.config.mjs, it has a default export only (as with most bundlers' interop).
import React from 'react';
import ReactDOMClient, { type Root } from 'react-dom/client';
import {
  authorizeUrl,
  callbackUrl,
  createClient,
  hostHooks,
  profileName,
  signInThroughHost,
  tokenUrl,
  waitFor,
  type AriesLoginElement,
  type AriesTokens,
} from './support.js';

const { createElement: h, useState } = React;
const { createRoot } = ReactDOMClient;
const received: AriesTokens[] = [];

/** What a React app writes (without JSX): `<aries-login clientId=… redirect-uri=… onaries-login-success=…>`. */
function SignIn({ clientId }: { clientId: string }) {
  const [tokens, setTokens] = useState<AriesTokens | null>(null);
  return h(
    'div',
    null,
    h('aries-login', {
      // A name the element has as a property: React 19 sets the property.
      clientId,
      authorizeUrl,
      // A dashed name: React 19 sets the attribute.
      'redirect-uri': callbackUrl,
      'token-url': tokenUrl,
      // `on` + the event's name: React 19 adds a listener for the custom event.
      'onaries-login-success': (event: CustomEvent<AriesTokens>) => {
        received.push(event.detail);
        setTokens(event.detail);
      },
    }),
    tokens && h('p', { className: 'signed-in' }, `Signed in with ${tokens.scope}`),
  );
}

describe('React 19 host', () => {
  let root: Root | undefined;
  hostHooks(() => root?.unmount());

  it('sets properties and attributes, and receives the tokens in onaries-login-success', async () => {
    const clientId = await createClient();
    const container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    root.render(h(SignIn, { clientId }));

    const element = await waitFor(() => container.querySelector<AriesLoginElement>('aries-login'), 'React to render');
    expect(element.clientId).to.equal(clientId);
    expect(element.hasAttribute('clientid'), 'clientId went in as a property').to.equal(false);
    expect(element.redirectUri).to.equal(callbackUrl);
    expect(element.getAttribute('redirect-uri')).to.equal(callbackUrl);

    const shown = await signInThroughHost(element, 'React');
    expect(received).to.have.length(1);
    expect(received[0].accessToken).to.be.a('string').and.not.empty;
    expect(shown.textContent).to.equal(`Signed in with ${received[0].scope}`);
    expect(await profileName(received[0])).to.equal('Ada Lovelace');
  });
});
