// The pages a person sees at the emulator's Aries: the consent screen, and the error page for what must not redirect.
import { SCOPES } from './clients.mjs';
import { send } from './http.mjs';

/**
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('./clients.mjs').Client} Client
 * @typedef {import('./state.mjs').Grant} Grant
 */

export const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "frame-ancestors 'none'", // like any real consent page: no clickjacking frames
};

const escapeHtml = (/** @type {string} */ s) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A small, readable page in the style of the consent screen. @param {string} title @param {string} main */
function page(title, main, script = '') {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f1f3f7; color: #1b1f29;
    font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { box-sizing: border-box; width: min(26rem, calc(100% - 2rem)); padding: 2rem; background: #fff;
    border-radius: 14px; box-shadow: 0 6px 30px rgb(0 0 0 / 0.08); }
  .brand { font-weight: 700; letter-spacing: 0.12em; color: #1e4fd8; }
  .muted { color: #5b6475; font-size: 0.9rem; }
  h1 { font-size: 1.2rem; margin: 0.75rem 0; }
  li { margin: 0.3rem 0; }
  .actions { display: flex; gap: 0.75rem; margin-top: 1.5rem; }
  button { flex: 1; font: inherit; padding: 0.6rem 1rem; border-radius: 8px; border: 1px solid #c9cfdb;
    background: #fff; color: inherit; cursor: pointer; }
  button[value="approve"] { background: #1e4fd8; border-color: #1e4fd8; color: #fff; }
  code { background: #f1f3f7; padding: 0.1rem 0.35rem; border-radius: 4px; }
</style></head>
<body><main><div class="brand">ARIES</div>
${main}
</main>${script}</body></html>`;
}

/** Errors that must not redirect (the redirect_uri is unverified): shown to the user instead. */
export function htmlError(
  /** @type {ServerResponse} */ res,
  /** @type {string} */ error,
  /** @type {string} */ description,
) {
  const main = `<h1>This sign-in cannot continue</h1><p><code>${escapeHtml(error)}</code></p><p>${escapeHtml(description)}</p>`;
  send(res, 400, HTML_HEADERS, page('Sign-in error', main));
}

/** The consent screen. The form carries only a server-side request id, never the raw parameters. */
export function consentPage(/** @type {Client} */ client, /** @type {string} */ id, /** @type {Grant} */ request) {
  const items = request.scopes.map((s) => `<li>${escapeHtml(SCOPES[s])}</li>`).join('');
  const main = `<p class="muted">Signed in as Ada Lovelace</p>
<h1>${escapeHtml(client.name)} wants to:</h1>
<ul>${items}</ul>
<form method="post" action="/oauth2/authorize">
  <input type="hidden" name="request_id" value="${id}">
  <div class="actions"><button name="decision" value="deny">Deny</button><button name="decision" value="approve">Approve</button></div>
</form>
<p class="muted">You will return to ${escapeHtml(new URL(request.redirectUri).host)}.
This is the local Aries emulator: no real account is used.</p>`;
  // Tests and the unattended demo answer on the user's behalf, still through the real form POST.
  const script =
    client.consent === 'manual'
      ? ''
      : `<script>document.querySelector('button[value="${client.consent}"]').click();</script>`;
  return page(`Sign in to ${client.name} with Aries`, main, script);
}
