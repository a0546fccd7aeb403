// The backend's one call to Aries' token endpoint (server/aries-client.ts), alone, against the emulator: every answer
// Aries may give (its scripted faults among them) sorted into one outcome, the secret sent, no redirect followed.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { REDIRECT, VERIFIER, emulatorWithClient } from './support.mjs';

const { ariesClient, ARIES_BODY_LIMIT } = await import('../../dist/server/aries-client.js');

let aries, client;
before(async () => {
  aries = await emulatorWithClient();
  client = ariesClient({ ...aries, fetch });
});
after(() => aries.emulator.close());

const exchange = async () =>
  client.token(
    { grant_type: 'code', code: await aries.authorize(), redirect_uri: REDIRECT, code_verifier: VERIFIER },
    2_000,
  );

describe('ariesClient', () => {
  it('a code exchanged: the tokens, read; the client id and secret went with the request as JSON', async () => {
    const outcome = await exchange();
    assert.equal(outcome.kind, 'tokens');
    assert.equal(outcome.tokens.tokenType, 'Bearer');
    assert.equal(outcome.tokens.scope, 'user:information');
    assert.ok(outcome.tokens.accessToken && outcome.tokens.refreshToken);
    const [sent] = (await aries.grants('code')).slice(-1);
    assert.equal(sent.contentType, 'application/json');
    assert.equal(sent.body.client_id, aries.clientId);
    assert.equal(sent.body.client_secret, aries.clientSecret);
  });

  it('Aries refusing the grant: its status and OAuth error code', async () => {
    const bogus = await client.token({ grant_type: 'code', code: 'bogus', redirect_uri: REDIRECT }, 2_000);
    assert.deepEqual(bogus, { kind: 'refused', status: 400, error: 'invalid_grant' });
    const wrongSecret = ariesClient({ ...aries, clientSecret: 'not-the-secret', fetch });
    const refused = await wrongSecret.token({ grant_type: 'code', code: 'x', redirect_uri: REDIRECT }, 2_000);
    assert.deepEqual(refused, { kind: 'refused', status: 401, error: 'invalid_client' });
  });

  const padded = { access_token: 'a', token_type: 'Bearer', expires_in: 60, pad: 'x'.repeat(ARIES_BODY_LIMIT) };
  const faults = [
    {
      name: 'a 429: no call until its X-RateLimit-Reset',
      fault: { status: 429, body: { error: 'rate_limited' }, headers: { 'X-RateLimit-Reset': '30' } },
      check: (outcome) => {
        assert.equal(outcome.kind, 'rate_limited');
        assert.ok(Math.abs(outcome.retryAt - (Date.now() + 30_000)) < 2_000, `${outcome.retryAt}`);
      },
    },
    {
      name: 'a 200 that is no token response',
      fault: { status: 200, body: { hello: 'world' } },
      kind: 'invalid_response',
    },
    { name: 'a 200 padded past the size cap', fault: { status: 200, body: padded }, kind: 'invalid_response' },
    { name: 'a 200 that is not JSON', fault: { status: 200, body: '<html>ok</html>' }, kind: 'invalid_response' },
    { name: 'a 503', fault: { error: 'temporarily_unavailable', status: 503 }, unavailable: 'status 503' },
    {
      name: 'a 4xx whose error is no OAuth code',
      fault: { status: 400, body: { error: 'Bad Thing!' } },
      unavailable: 'status 400',
    },
    { name: 'a 4xx without a body', fault: { status: 400 }, unavailable: 'status 400' },
    { name: 'the connection dropped', fault: { drop: true }, unavailable: 'unreachable' },
    { name: 'no answer in time', fault: { hang: true }, timeout: 200, unavailable: 'no answer in 200 ms' },
  ];
  for (const { name, fault, kind, unavailable, check, timeout = 2_000 } of faults) {
    it(`${name}: ${kind ?? (unavailable ? `unavailable (${unavailable})` : 'rate_limited')}`, async () => {
      await aries.faults(fault);
      const outcome = await client.token({ grant_type: 'code', code: 'x', redirect_uri: REDIRECT }, timeout);
      if (check) return check(outcome);
      if (unavailable) return assert.deepEqual(outcome, { kind: 'unavailable', reason: unavailable });
      assert.equal(outcome.kind, kind);
      assert.equal(typeof outcome.message, 'string');
    });
  }

  it('never follows a redirect (it would carry the secret along): unavailable, the target never called', async () => {
    let called = false;
    const target = http.createServer((req, res) => ((called = true), res.end('{}')));
    await new Promise((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const location = `http://127.0.0.1:${target.address().port}/steal`;
      await aries.faults({ status: 307, headers: { Location: location } });
      const outcome = await client.token({ grant_type: 'code', code: 'x', redirect_uri: REDIRECT }, 2_000);
      assert.deepEqual(outcome, { kind: 'unavailable', reason: 'status 307' });
      assert.equal(called, false);
    } finally {
      await new Promise((resolve) => target.close(resolve));
    }
  });
});
