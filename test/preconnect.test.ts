// The connection to the token endpoint (or the backend), warmed on intent, once per origin.
import { expect } from '@open-wc/testing';
import { preconnect } from '../src/preconnect.js';

describe('preconnect', () => {
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
