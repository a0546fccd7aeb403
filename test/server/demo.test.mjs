// `npm start` as a person runs it (scripts/start.mjs, on free ports), and the README's callback page: the redirect-uri
// pages send no Referer and load no third-party script (issue 21, row 11), and the backend demo's session, on plain http
// on localhost, is a cookie every engine keeps across a reload (row 10).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { authorizeAt, cookieOf, post, VERIFIER } from './support.mjs';

const root = new URL('../../', import.meta.url);
let child, demo, emulator;

before(async () => {
  const env = { ...process.env, PORT: '0', ARIES_EMULATOR_PORT: '0' };
  delete env.REDIS_URL;
  child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (/Demo:\s+\S+/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${out}`)));
  });
  emulator = out.match(/Aries emulator:\s+(\S+)/)[1];
  demo = new URL(out.match(/Demo:\s+(\S+)/)[1]).origin;
});
after(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  await exited;
});

/** Every script a page loads by URL (src, import): none may come from another origin. */
function scriptSources(html) {
  const sources = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  const imports = [...html.matchAll(/\bimport\s+(?:[^'"]*from\s+)?['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return [...sources, ...imports];
}

describe('npm start and the callback page', () => {
  // Issue 21, row 11.
  it('the demo’s redirect-uri pages say Referrer-Policy: no-referrer, and load only the demo’s own scripts', async () => {
    for (const page of ['/demo/callback.html', '/demo/backend.html', '/demo/redirect.html', '/demo/']) {
      const response = await fetch(`${demo}${page}?code=c0de&state=s`);
      assert.equal(response.status, 200, page);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', page);
      for (const source of scriptSources(await response.text())) {
        assert.equal(new URL(source, `${demo}${page}`).origin, demo, `${page} loads ${source}`);
      }
    }
    const callback = await fetch(`${demo}/demo/callback.html`).then((r) => r.text());
    assert.match(
      callback,
      /<meta name="referrer" content="no-referrer"/,
      'also in the page, for a copy served elsewhere',
    );
  });

  // Issue 21, row 11.
  it('the README’s callback page recommends no-referrer and a callback file served from the app’s own origin', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const section = readme.slice(readme.indexOf('## The callback page'), readme.indexOf('## Redirect mode'));
    assert.match(section, /Referrer-Policy: no-referrer/);
    assert.match(section, /<meta name="referrer" content="no-referrer"/);
    const example = section.match(/```html\n([\s\S]*?)```/)[1];
    for (const source of scriptSources(example)) {
      assert.ok(!/^(https?:)?\/\//.test(source), `the example loads ${source} from another origin`);
    }
  });

  // Issue 21, row 10.
  it('the backend demo on http://localhost keeps its session in a cookie without Secure (WebKit keeps it) across a reload', async () => {
    const redirectUri = `${demo}/demo/backend.html`;
    const code = await authorizeAt(emulator, { clientId: 'demo-backend', redirectUri });
    const signedIn = await post(demo, 'token', {
      body: { code, redirect_uri: redirectUri, code_verifier: VERIFIER },
    });
    assert.equal(signedIn.status, 200);
    assert.match(signedIn.headers.get('set-cookie'), /^aries_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    // A reload: the page asks the backend for its session, with the cookie the browser kept.
    const restored = await post(demo, 'refresh', { cookie: cookieOf(signedIn) });
    assert.equal(restored.status, 200);
    assert.equal((await restored.json()).token_held_by, 'backend');
  });

  it('the backend demo is the full BFF: no token in its answers, Aries’ API through /auth/api/… within the granted scopes', async () => {
    const redirectUri = `${demo}/demo/backend.html`;
    const scope = 'user:information account:information';
    const code = await authorizeAt(emulator, { clientId: 'demo-backend', redirectUri, scope });
    const signedIn = await post(demo, 'token', { body: { code, redirect_uri: redirectUri, code_verifier: VERIFIER } });
    const answer = await signedIn.json();
    assert.deepEqual(Object.keys(answer).sort(), ['expires_in', 'scope', 'session_expires_in', 'token_held_by']);
    assert.equal(answer.scope, scope);
    const api = (method, path, body) =>
      fetch(`${demo}/auth/api${path}`, {
        method,
        headers: {
          Origin: demo,
          'X-Requested-With': 'aries-login',
          Cookie: cookieOf(signedIn),
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body && JSON.stringify(body),
      });
    const accounts = await api('GET', '/v1/users/me/accounts');
    assert.equal(accounts.status, 200);
    assert.deepEqual(
      (await accounts.json()).accounts.map((a) => a.id),
      ['A-1001', 'A-1002'],
    );
    // The demo's order ticket without order:execution: the proxy's 403, and Aries is not called.
    const order = await api('POST', '/v1/orders', { accountId: 'A-1001', symbol: 'AAPL', side: 'buy', quantity: 1 });
    assert.equal(order.status, 403);
    assert.equal((await order.json()).error, 'insufficient_scope');
    const log = await fetch(`${emulator}/__emulator/clients/demo-backend/requests`).then((r) => r.json());
    assert.equal(log.filter((r) => r.path === '/v1/orders').length, 0);
  });

  it('serves the demo, the element’s files and the emulator’s control client (the gallery’s), nothing else of the repository', async () => {
    const served = ['/demo/', '/demo/gallery.html', '/src/index.ts', '/emulator/control-client.mjs'];
    for (const path of served) assert.equal((await fetch(`${demo}${path}`)).status, 200, path);
    const hidden = ['/emulator/clients.json', '/emulator/server.mjs', '/emulator/', '/package.json', '/.git/HEAD'];
    for (const path of hidden) assert.equal((await fetch(`${demo}${path}`)).status, 404, path);
  });
});
