// The backend's request and response plumbing (server/http.ts), alone: JSON answers, the retry headers, the session
// cookie by kind of request, the capped UTF-8 body, the origin check and CORS.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import './support.mjs'; // builds dist/server

const {
  BodyTooLarge,
  LOOPBACK_COOKIE,
  SECURE_COOKIE,
  answer,
  cookieFor,
  corsHeaders,
  originAllowed,
  problem,
  rateLimited,
  readBytes,
  readSessionId,
  readText,
} = await import('../../dist/server/http.js');

const ID = 'a'.repeat(43);
/** A body that arrives in the given chunks (bytes), counting how many the reader pulled. */
function chunked(chunks, headers = {}) {
  const pulled = { count: 0 };
  const body = new ReadableStream({
    pull(controller) {
      if (pulled.count === chunks.length) return controller.close();
      controller.enqueue(new Uint8Array(chunks[pulled.count++]));
    },
  });
  return { pulled, request: new Request('https://app.example/', { method: 'POST', body, headers, duplex: 'half' }) };
}

describe('answers', () => {
  it('a JSON answer is never cached; an empty one has no Content-Type; headers are added', async () => {
    const json = answer(200, { a: 1 }, { 'X-Extra': 'yes' });
    assert.equal(json.headers.get('cache-control'), 'no-store');
    assert.equal(json.headers.get('content-type'), 'application/json');
    assert.equal(json.headers.get('x-extra'), 'yes');
    assert.deepEqual(await json.json(), { a: 1 });
    const empty = answer(204);
    assert.equal(empty.status, 204);
    assert.equal(empty.headers.get('content-type'), null);
    assert.equal(empty.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await problem(400, 'invalid_request', 'why').json(), {
      error: 'invalid_request',
      error_description: 'why',
    });
  });

  it('rate_limited says when to come back in whole seconds, at least one, in both headers the element reads', async () => {
    for (const [inMs, seconds] of [
      [1_500, '2'],
      [60_000, '60'],
      [10, '1'],
      [-5_000, '1'],
    ]) {
      const response = rateLimited(Date.now() + inMs, 'slow down');
      assert.equal(response.status, 429);
      assert.equal(response.headers.get('x-ratelimit-reset'), seconds, `${inMs} ms`);
      assert.equal(response.headers.get('retry-after'), seconds, `${inMs} ms`);
      assert.equal((await response.json()).error, 'rate_limited');
    }
  });
});

describe('the session cookie', () => {
  it('plain http on a loopback host gets aries_session (no Secure); anything else __Host-aries_session, Secure', () => {
    const table = {
      'http://localhost:8080/auth/token': LOOPBACK_COOKIE,
      'http://127.0.0.1/auth/token': LOOPBACK_COOKIE,
      'http://[::1]:3000/auth/token': LOOPBACK_COOKIE,
      'https://localhost/auth/token': SECURE_COOKIE,
      'http://app.example/auth/token': SECURE_COOKIE,
      'http://192.168.1.2/auth/token': SECURE_COOKIE,
      'https://app.example/auth/token': SECURE_COOKIE,
    };
    for (const [url, cookie] of Object.entries(table)) assert.equal(cookieFor(new URL(url)), cookie, url);
    assert.equal(SECURE_COOKIE.set(ID), `__Host-aries_session=${ID}; Path=/; Secure; HttpOnly; SameSite=Strict`);
    assert.equal(LOOPBACK_COOKIE.set(ID), `aries_session=${ID}; Path=/; HttpOnly; SameSite=Strict`);
    assert.equal(SECURE_COOKIE.cleared, '__Host-aries_session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('only the exact cookie name with a 43-character base64url id is a session id', () => {
    const table = [
      [`aries_session=${ID}`, ID],
      [`theme=dark; aries_session=${ID}; other=1`, ID],
      [` aries_session = ${ID} `, ID],
      [`aries_session=${ID.slice(1)}`, undefined],
      [`aries_session=${ID}!`, undefined],
      [`Aries_session=${ID}`, undefined],
      [`xaries_session=${ID}`, undefined],
      [`__Host-aries_session=${ID}`, undefined],
      ['aries_session', undefined],
      ['', undefined],
      [null, undefined],
    ];
    for (const [header, id] of table) assert.equal(readSessionId(header, LOOPBACK_COOKIE), id, String(header));
    assert.equal(readSessionId(`__Host-aries_session=${ID}`, SECURE_COOKIE), ID);
  });
});

describe('bodies', () => {
  it('reads up to the limit; past it, BodyTooLarge without reading the rest', async () => {
    const exact = chunked([[1, 2], [3]]);
    assert.deepEqual([...(await readBytes(exact.request, 3))], [1, 2, 3]);
    const over = chunked([[1, 2], [3, 4], [5]]);
    await assert.rejects(readBytes(over.request, 3), BodyTooLarge);
    assert.equal(over.pulled.count, 2, 'stopped at the chunk that went over');
    assert.deepEqual([...(await readBytes(new Request('https://app.example/'), 3))], [], 'no body');
  });

  it('a body declared larger (Content-Length) is refused before a byte is read', async () => {
    const declared = chunked([[1]], { 'Content-Length': '1000' });
    await assert.rejects(readBytes(declared.request, 10), BodyTooLarge);
    assert.equal(declared.pulled.count, 0);
  });

  it('decodes UTF-8 once, whole (a character split across chunks stays whole); bytes that are not UTF-8 are a TypeError', async () => {
    const euro = [...Buffer.from('€')]; // three bytes
    const split = chunked([
      [0x22, euro[0]],
      [euro[1], euro[2], 0x22],
    ]);
    assert.equal(await readText(split.request, 100), '"€"');
    await assert.rejects(readText(chunked([[0xff, 0xfe]]).request, 100), TypeError);
  });
});

describe('origins', () => {
  const request = (headers) => new Request('https://app.example/auth/token', { method: 'POST', headers });
  const own = 'https://app.example';
  const allowed = ['https://shop.example'];

  it('the own origin or an allowed one passes; without Origin, only Sec-Fetch-Site: same-origin does', () => {
    const table = [
      [{ Origin: own }, true],
      [{ Origin: 'https://shop.example' }, true],
      [{ Origin: 'https://evil.example' }, false],
      [{ Origin: 'null' }, false],
      [{ 'Sec-Fetch-Site': 'same-origin' }, true],
      [{ 'Sec-Fetch-Site': 'same-site' }, false],
      [{ 'Sec-Fetch-Site': 'cross-site' }, false],
      [{}, false],
    ];
    for (const [headers, passes] of table) {
      assert.equal(originAllowed(request(headers), own, allowed), passes, JSON.stringify(headers));
    }
  });

  it('CORS headers only for an allowed origin: credentials, the exposed headers, Vary: Origin', () => {
    assert.deepEqual(corsHeaders(request({ Origin: 'https://shop.example' }), allowed), {
      'Access-Control-Allow-Origin': 'https://shop.example',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'X-RateLimit-Reset',
      Vary: 'Origin',
    });
    const exposing = corsHeaders(request({ Origin: 'https://shop.example' }), allowed, 'Retry-After');
    assert.equal(exposing['Access-Control-Expose-Headers'], 'Retry-After');
    assert.deepEqual(corsHeaders(request({ Origin: own }), allowed), {}, 'the own origin needs no CORS');
    assert.deepEqual(corsHeaders(request({ Origin: 'https://evil.example' }), allowed), {});
    assert.deepEqual(corsHeaders(request({}), allowed), {});
  });
});
