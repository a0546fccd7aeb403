// The mounts the README shows, each run for real: plain node:http, Express (middleware), Hono (fetch handler).
import { serve as serveHono } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import express from 'express';
import { Hono } from 'hono';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createBackend, emulatorWithClient, post, signIn } from './support.mjs';

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
