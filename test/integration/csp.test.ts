// A host page with a strict Content-Security-Policy signs in with the CDN file, and no violation is reported anywhere.
import { expect } from '@open-wc/testing';
import { inUserGesture, userClick } from '../user-gesture.js';
import { createClient, emulator, profileName, trackPopups, waitFor, type AriesTokens } from './support.js';

const fixtures = new URL('/test/integration/fixtures/', location.origin);
type CspPage = Window & { received: AriesTokens[]; violations: string[] };

describe('strict Content-Security-Policy', () => {
  const windows: Window[] = [];
  afterEach(() => windows.splice(0).forEach((w) => w.close()));

  it('signs in under script-src self and required Trusted Types, with zero violations', async () => {
    // Violations of the host page and of its callback page (in the popup) are reported here.
    const reported: string[] = [];
    const channel = new BroadcastChannel('csp-violations');
    channel.onmessage = ({ data }: MessageEvent<string>) => reported.push(data);
    try {
      const clientId = await createClient(new URL('csp-callback.html', fixtures).href);
      const url = new URL(`csp.html?${new URLSearchParams({ client: clientId, emulator })}`, fixtures);
      const page = (await inUserGesture(() => window.open(url, '_blank'))) as CspPage;
      windows.push(page);
      const button = await waitFor(
        () => page.document?.querySelector('aries-login')?.shadowRoot?.querySelector('button'),
        'the element to render under the policy',
      );
      const popups = trackPopups(page);
      try {
        await userClick(button);
        await waitFor(() => page.received.length > 0, 'the outcome');
        expect(page.received[0].accessToken, JSON.stringify(page.received[0])).to.be.a('string');
        expect(await profileName(page.received[0])).to.equal('Ada Lovelace');
        await waitFor(() => popups.popups[0]?.closed, 'the popup to close itself');
      } finally {
        popups.restore();
      }
      expect(reported).to.deep.equal([]);

      // The policy is in force and violations do get reported: an image from another origin is refused.
      const image = page.document.createElement('img');
      image.src = `${emulator}/refused.png`;
      page.document.body.append(image);
      await waitFor(() => reported.length > 0, 'the refused image to be reported');
      expect(reported[0]).to.match(/img-src|default-src/);
    } finally {
      channel.close();
    }
  });
});
