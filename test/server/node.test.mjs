// The Node mount (server/node.ts): alone, around a fetch handler of the test's own that echoes what it got; and the
// mounts the README shows, each run for real: plain node:http, Express (middleware), Hono (fetch handler).
import { serve as serveHono } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import express from 'express';
import { Hono } from 'hono';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createBackend, emulatorWithClient, post, raw, signIn } from './support.mjs';

let aries;
before(async () => (aries = await emulatorWithClient()));
after(() => aries.emulator.close());

const newBackend = () =>
  createBackend({ clientId: aries.clientId, clientSecret: aries.clientSecret, tokenUrl: aries.tokenUrl });

const servers = [];
after(() =>
  Promise.all(servers.map((server) => new Promise((resolve) => (server.close(resolve), server.closeAllConnections())))),
);
const listen = async (server) => {
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
};

/** Sign-in, refresh and sign-out through a mount, and the app's own route beside it. */
async function exercise(origin) {
  const { response, cookie } = await signIn(origin, aries);
  assert.equal(response.status, 200);
  assert.match(cookie, /^aries_session=/, 'plain http on 127.0.0.1: the local-development cookie');
  assert.equal((await post(origin, 'refresh', { cookie })).status, 200);
  assert.equal((await post(origin, 'logout', { cookie })).status, 204);
  assert.equal((await post(origin, 'refresh', { cookie })).status, 401);
  assert.equal(await fetch(`${origin}/app`).then((r) => r.text()), 'the app');
}

describe('mounts', () => {
  it('plain node:http: backend.middleware with next() for the app’s own routes', async () => {
    const backend = newBackend();
    const server = http.createServer((req, res) => backend.middleware(req, res, () => res.end('the app')));
    await exercise(await listen(server));
  });

  it('an exception thrown by the app’s own next() is the app’s: it reaches the caller, never answered 400 by the backend', async () => {
    const backend = newBackend();
    const bug = new Error('the app’s own bug');
    const caught = [];
    const server = http.createServer((req, res) =>
      backend
        .middleware(req, res, () => {
          throw bug;
        })
        .catch((error) => {
          caught.push(error);
          res.statusCode = 503;
          res.end('the app’s error page');
        }),
    );
    const origin = await listen(server);
    const response = await fetch(`${origin}/app`);
    assert.equal(response.status, 503);
    assert.equal(await response.text(), 'the app’s error page');
    assert.deepEqual(caught, [bug]);
  });

  it('Express: app.use(backend.middleware), also after express.json()', async () => {
    for (const parseFirst of [false, true]) {
      const backend = newBackend();
      const app = express();
      if (parseFirst) app.use(express.json());
      app.use(backend.middleware);
      app.get('/app', (req, res) => res.send('the app'));
      const server = http.createServer(app);
      await exercise(await listen(server));
    }
  });

  it('Hono: backend.fetch(c.req.raw) with the client address for the rate limit', async () => {
    const backend = newBackend();
    const app = new Hono();
    app.all('/auth/*', (c) => backend.fetch(c.req.raw, { clientIp: getConnInfo(c).remote.address }));
    app.get('/app', (c) => c.text('the app'));
    const server = await new Promise((resolve) => {
      const s = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    servers.push(server);
    await exercise(`http://127.0.0.1:${server.address().port}`);
  });
});

const { nodeMiddleware } = await import('../../dist/server/node.js');

/** A fetch handler that answers with what it was given: the Request's parts and the request info. */
async function echo(request, info) {
  const body = request.body ? await request.text() : null;
  const headers = new Headers({ 'Content-Type': 'application/json' });
  headers.append('Set-Cookie', 'a=1; Path=/');
  headers.append('Set-Cookie', 'b=2; Path=/');
  const seen = { method: request.method, url: request.url, body, cookie: request.headers.get('cookie'), info };
  return new Response(JSON.stringify(seen), { status: 201, headers });
}

describe('nodeMiddleware alone', () => {
  let origin;
  before(async () => {
    const mount = nodeMiddleware('/auth/', echo);
    origin = await listen(
      http.createServer((req, res) =>
        mount(req, res, req.url.startsWith('/app') ? () => res.end('the app') : undefined),
      ),
    );
  });

  it('a Web Request of the origin and path, headers, body and the client address; each Set-Cookie its own header', async () => {
    const response = await fetch(`${origin}/auth/token?x=1`, {
      method: 'POST',
      headers: { Cookie: 'c=3', 'Content-Type': 'application/json' },
      body: '{"é":1}',
    });
    assert.equal(response.status, 201);
    assert.deepEqual(response.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
    assert.deepEqual(await response.json(), {
      method: 'POST',
      url: `${origin}/auth/token?x=1`,
      body: '{"é":1}',
      cookie: 'c=3',
      info: { clientIp: '127.0.0.1', target: '/auth/token?x=1' },
    });
  });

  it('a GET carries no body; outside the prefix: next() when given, else a JSON 404', async () => {
    const get = await fetch(`${origin}/auth/refresh`);
    assert.equal((await get.json()).body, null);
    assert.equal(await fetch(`${origin}/app`).then((r) => r.text()), 'the app');
    const outside = await fetch(`${origin}/elsewhere`);
    assert.equal(outside.status, 404);
    assert.equal((await outside.json()).error, 'not_found');
  });

  it('the Host header names the origin only when it is a plain host; an absolute-form target gives its path; "//" stays a path', async () => {
    const cases = [
      ['GET /auth/x HTTP/1.1\r\nHost: app.example:8080\r\n', 'http://app.example:8080/auth/x'],
      ['GET /auth/x HTTP/1.1\r\nHost: evil.example/path?\r\n', 'http://localhost/auth/x'],
      ['GET http://other.example/auth/y?z=1 HTTP/1.1\r\nHost: app.example\r\n', 'http://app.example/auth/y?z=1'],
    ];
    for (const [head, url] of cases) {
      const answer = await raw(new URL(origin).port, `${head}Connection: close\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 201/, head);
      assert.equal(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).url, url, head);
    }
    const slashes = await raw(
      new URL(origin).port,
      'GET //auth/x HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n',
    );
    assert.match(slashes, /^HTTP\/1\.1 404/, 'a path that starts with //, not a host');
  });
});
