// An element's next sign-in, made ready before the click: used once, only for the configuration it was made with.
import { expect } from '@open-wc/testing';
import { NextSignIn, preconnect } from '../src/next-sign-in.js';

describe('NextSignIn', () => {
  const config = {
    clientId: 'demo-spa',
    redirectUri: new URL('/callback', location.href).href,
    scope: 'user:information',
    authorizeUrl: 'https://app.aries.com/oauth2/authorize',
    tokenUrl: 'https://api.aries.com/v1/oauth2/token',
  };
  const stateOf = (url: string | undefined) => url && new URL(url).searchParams.get('state');

  it('hands the prepared sign-in to the click once, and prepares the next one', async () => {
    const next = new NextSignIn(window);
    await next.prepare(config);
    const first = next.take(config)!;
    expect(stateOf(first.url)).to.equal(first.transaction.state);
    // Taken: the next click gets another sign-in, never the same `state` twice.
    const second = next.take(config);
    expect(stateOf(second?.url)).not.to.equal(first.transaction.state);
  });

  it('gives nothing for a configuration it was not made for', async () => {
    const next = new NextSignIn(window);
    await next.prepare(config);
    expect(next.take({ ...config, scope: 'account:information' })).to.equal(undefined);
  });

  it('gives nothing before anything is ready: the click prepares its own', () => {
    expect(new NextSignIn(window).take(config)).to.equal(undefined);
  });

  it('dates the transaction from the click, not from the hover', async () => {
    const next = new NextSignIn(window);
    await next.prepare(config);
    const before = Date.now();
    expect(next.take(config)!.transaction.createdAt).to.be.at.least(before);
  });

  it('warms the connection to another origin once, in the credentials mode its requests use', () => {
    const origin = 'https://preconnect.example';
    preconnect(document, `${origin}/v1/oauth2/token`, false);
    preconnect(document, `${origin}/other`, true);
    preconnect(document, location.href, false);
    const links = document.head.querySelectorAll<HTMLLinkElement>('link[rel=preconnect]');
    const ours = [...links].filter((link) => link.href.startsWith(origin));
    expect(ours.map((link) => link.crossOrigin)).to.deep.equal(['anonymous']);
    expect([...links].some((link) => link.href.startsWith(location.origin))).to.equal(false);
    for (const link of ours) link.remove();
  });
});
