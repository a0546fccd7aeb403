// Bench page: times the CDN module from the start of its evaluation to every button rendered and clickable.
import { evaluationStart } from './mark.mjs';
import '/cdn/aries-login.min.js';

/** Rendered and clickable: in the shadow DOM, enabled, laid out, and the one thing a click at its centre hits. */
function clickable(/** @type {Element} */ host) {
  const button = host.shadowRoot?.querySelector('[part~="button"]');
  if (!(button instanceof HTMLButtonElement) || button.disabled) return false;
  const box = button.getBoundingClientRect();
  if (!box.width || !box.height) return false;
  const x = box.left + box.width / 2;
  const y = box.top + box.height / 2;
  const hit = host.shadowRoot?.elementFromPoint(x, y);
  return document.elementFromPoint(x, y) === host && !!hit && button.contains(hit);
}

async function measure() {
  const hosts = [...document.querySelectorAll('aries-login')];
  // Lit renders in a microtask after the upgrade; `updateComplete` is its public "rendered" promise.
  await Promise.all(hosts.map((host) => /** @type {any} */ (host).updateComplete));
  void document.body.offsetHeight; // style and layout are part of "rendered"
  let readyAt = performance.now();
  // Checked after the clock stops, so 100 hit tests do not count; if any button is not ready yet, wait frame by frame.
  const deadline = readyAt + 5000;
  while (!hosts.every(clickable)) {
    if (performance.now() > deadline) return { ok: false, error: 'buttons not clickable within 5 s' };
    await new Promise((resolve) => requestAnimationFrame(resolve));
    readyAt = performance.now();
  }
  return { ok: true, elements: hosts.length, ms: readyAt - evaluationStart };
}

/** @type {any} */ (window).__loadResult = measure().catch((error) => ({ ok: false, error: String(error) }));
