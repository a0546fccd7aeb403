// The gallery's script: points every <aries-login> at the Aries emulator and registers the clients its states need.
import '../src/index.js';
import { emulatorControl } from '../emulator/control-client.mjs';

// `?aries=` picks another emulator (`npm run gallery` runs its own); `?busy=` how long Aries holds the token answer.
const params = new URLSearchParams(location.search);
const aries = params.get('aries') ?? 'http://127.0.0.1:4010';
const busySeconds = Number(params.get('busy') ?? 20);
const rateSeconds = 60;
const redirectUri = new URL('callback.html', location.href).href;
const status = document.getElementById('status')!;

const control = emulatorControl(aries);

/** A client of its own, so that a fault queued for one state never reaches another; the user answers the consent. */
const register = async () =>
  (await control.createClient({ name: 'Aries Login Gallery', consent: 'manual', redirectUris: [redirectUri] }))
    .clientId;

/** Before each sign-in of `id`, queues `fault()` for its next token request (answered after the consent, later). */
function faultOnStart(id: string, clientId: string, fault: () => Record<string, unknown>) {
  const element = document.getElementById(id)!;
  element.clientId = clientId;
  element.addEventListener('aries-login-start', () => {
    control.queueFaults(clientId, { token: [fault()] }).catch((error: Error) => {
      status.dataset.state = 'error';
      status.textContent = `Could not queue the fault for #${id}: ${error.message}`;
    });
  });
}

const elements = document.querySelectorAll('aries-login');
for (const element of elements) {
  element.authorizeUrl = `${aries}/oauth2/authorize`;
  element.tokenUrl = `${aries}/v1/oauth2/token`;
  element.redirectUri = redirectUri;
}
document.getElementById('state-busy')!.requestTimeout = busySeconds + 30;
for (const span of document.querySelectorAll('.busy-seconds')) span.textContent = String(busySeconds);
for (const span of document.querySelectorAll('.rate-seconds')) span.textContent = String(rateSeconds);

async function setUp() {
  const [busy, limited] = await Promise.all([register(), register()]);
  // Elements of one client would show one session (a sign-in in one, all signed in): each is an app of its own.
  await Promise.all([...elements].map(async (element) => (element.clientId ||= await register())));
  // Busy: Aries answers the code exchange only after `busySeconds`, so the button shows "Signing in…" until then.
  faultOnStart('state-busy', busy, () => ({ delayMs: busySeconds * 1000 }));
  // Rate-limited: Aries answers 429 with the time the limit resets; the button counts down to it.
  faultOnStart('state-rate-limited', limited, () => ({
    status: 429,
    error: 'rate_limited',
    error_description: 'too many token requests',
    headers: {
      'Retry-After': String(rateSeconds),
      'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + rateSeconds),
    },
  }));
}

setUp().then(
  () => {
    status.dataset.state = 'ready';
    status.textContent = `Signing in against the Aries emulator at ${aries}.`;
  },
  (error: Error) => {
    status.dataset.state = 'error';
    status.textContent = `The Aries emulator at ${aries} did not answer (${error.message}): run npm start.`;
  },
);
