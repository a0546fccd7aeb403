// The backend demo page's script: sign-in through the app's backend, which keeps the tokens (apiProxy); the accounts,
// balances and an order ticket through its proxy with ariesFetch; the scopes to ask for; refreshes and sign-out.
import '../src/index.js';
import { ariesFetch, type AriesBackendSession, type AriesLoginError, type AriesTokens } from '../src/index.js';

const element = document.querySelector('aries-login')!;
// This page is its own redirect URI (registered for demo-backend): the element finishes the popup's callback here.
element.redirectUri = new URL('backend.html', location.href).href;
const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const show = (id: string, text: string) => (byId(id).textContent = text);
const ticket = byId<HTMLFormElement>('ticket');
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
let refreshes = 0;

// The scopes a sign-in asks for: what the boxes say.
const boxes = [...document.querySelectorAll<HTMLInputElement>('#scopes input')];
const askFor = () =>
  (element.scope = boxes
    .filter((box) => box.checked)
    .map((box) => box.value)
    .join(' '));
for (const box of boxes) box.addEventListener('change', askFor);
askFor();

/** A failed call as the user reads it: the element's message, and the backend's reason when it gave one. */
const explain = (error: AriesLoginError) =>
  `${error.message}${error.description ? ` (${error.description})` : ''} [${error.code}]`;

/** Aries' answer as JSON, or an error that says what went wrong (a 4xx from Aries, the backend's 502). */
async function read<T>(response: Response): Promise<T> {
  const body = (await response.json()) as T & { error?: string; error_description?: string };
  if (!response.ok) throw new Error(`${body.error_description ?? body.error ?? 'failed'} [${response.status}]`);
  return body;
}

const describe = (error: unknown) =>
  (error as AriesLoginError).code ? explain(error as AriesLoginError) : (error as Error).message;

async function showAccounts() {
  const rows = byId('accounts').querySelector('tbody')!;
  const choices = ticket.elements.namedItem('accountId') as HTMLSelectElement;
  rows.replaceChildren();
  choices.replaceChildren();
  show('accounts-status', 'Loading…');
  try {
    const { accounts } = await read<{ accounts: { id: string; name: string }[] }>(
      await ariesFetch('/v1/users/me/accounts'),
    );
    for (const account of accounts) {
      const balance = await read<{ cash: number; buyingPower: number; equity: number }>(
        await ariesFetch(`/v1/accounts/${encodeURIComponent(account.id)}/balances`),
      );
      const row = rows.insertRow();
      for (const text of [
        `${account.name} (${account.id})`,
        money.format(balance.cash),
        money.format(balance.buyingPower),
        money.format(balance.equity),
      ]) {
        row.insertCell().textContent = text;
      }
      choices.add(new Option(account.name, account.id));
    }
    show('accounts-status', '');
  } catch (error) {
    show('accounts-status', describe(error));
  }
}

function signedIn(session: AriesTokens | AriesBackendSession) {
  show('scopes-granted', session.scope);
  show('expires', new Date(session.expiresAt).toLocaleTimeString());
  const granted = session.scope.split(' ');
  show(
    'ticket-note',
    granted.includes('order:execution')
      ? 'This session may place orders (order:execution): a fake order goes to the Aries emulator.'
      : 'This session was not granted order:execution, so Aries will not take orders from it: the backend refuses them ' +
          'before calling Aries. Try it; to place orders, sign out, tick "Placing orders" and sign in again.',
  );
  byId('result').hidden = false;
  show('status', '');
}

ticket.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(ticket);
  const order = {
    accountId: form.get('accountId'),
    symbol: form.get('symbol'),
    side: form.get('side'),
    quantity: Number(form.get('quantity')),
  };
  show('ticket-result', 'Sending…');
  try {
    // Sent once: the backend never retries an order, whatever happens.
    const placed = await read<{ id: string; status: string }>(
      await ariesFetch('/v1/orders', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(order),
      }),
    );
    show('ticket-result', `Order ${placed.id}: ${order.side} ${order.quantity} ${order.symbol}, ${placed.status}.`);
  } catch (error) {
    show('ticket-result', describe(error));
  }
});

element.addEventListener('aries-login-start', () => show('status', ''));
element.addEventListener('aries-login-success', ({ detail }) => {
  show('ticket-result', '');
  signedIn(detail);
  void showAccounts();
});
element.addEventListener('aries-token-refresh', ({ detail }) => {
  show('refreshes', String(++refreshes));
  signedIn(detail);
});
element.addEventListener('aries-logout', () => {
  byId('result').hidden = true;
  show('status', 'Signed out.');
});
element.addEventListener('aries-login-error', ({ detail }) => {
  if (!element.tokens) byId('result').hidden = true;
  show('status', `${detail.message} (${detail.code})`);
});
