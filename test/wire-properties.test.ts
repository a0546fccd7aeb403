// Property-style tests: thousands of generated callback URLs and token responses (random strings, repeated keys,
// prototype names, huge and odd numbers) against the callback parser and the token-response validator. Each input is
// built from pools whose validity is known, so the expected verdict comes from how it was built, not from the code
// under test. A seeded generator makes every run the same; a failure names the seed and the input.
import { expect } from '@open-wc/testing';
import { checkCallback, parseCallback } from '../src/parse-callback.js';
import { describeError } from '../src/error-messages.js';
import { readTokenResponse } from '../src/token-response.js';
import type { Transaction } from '../src/transaction.js';

/** mulberry32: a small, well-known seeded generator. */
function generator(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chars = 'aZ09-._~ %&=?#+/\\"\'<>{}[]\u00e9\u4e2d\u{1f600}\u0000\n\t';
  const text = (max = 12) => Array.from({ length: int(max + 1) }, () => pick([...chars])).join('');
  return { next, int, pick, text };
}

const SEED = 20261127;
const RUNS = 3000;
const prototypeNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const oddNumbers = ['1e400', '-0', 'NaN', 'Infinity', '9007199254740993', '0x10', '1e-7', '999999999999999999999'];
const ONCE = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss'];

describe('callback parser, generated inputs', () => {
  const transaction = { state: 'the-state', createdAt: Date.now() } as Transaction;

  it(`never throws, flags every malformed answer and never yields a code for one (${RUNS} URLs)`, () => {
    const g = generator(SEED);
    const someValue = () =>
      g.pick([() => g.text(), () => '', () => g.pick(prototypeNames), () => g.pick(oddNumbers), () => 'the-state'])();
    for (let run = 0; run < RUNS; run++) {
      const pairs: [string, string][] = Array.from({ length: g.int(6) }, () => [
        g.pick([...ONCE, 'other', g.text(4), ...prototypeNames]),
        someValue(),
      ]);
      // Half the time the state is this sign-in's, so that a malformed answer would otherwise be redeemed.
      if (g.next() < 0.5) pairs.push(['state', 'the-state']);
      const query = `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
      const where = `seed ${SEED}, run ${run}: ${query}`;
      const values = (name: string) => pairs.filter(([k]) => k === name).map(([, v]) => v);
      const isCallback = values('code').length > 0 || values('error').length > 0;
      const malformed =
        ONCE.some((name) => values(name).length > 1) || values('code')[0] === '' || values('error')[0] === '';

      const parsed = parseCallback(query);
      if (!isCallback) {
        expect(parsed, where).to.equal(null);
        continue;
      }
      expect(parsed, where).to.be.an('object');
      expect(parsed!.invalid === undefined, where).to.equal(!malformed);
      if (malformed)
        expect(parsed!.invalid, where)
          .to.be.a('string')
          .and.match(/^Aries' answer .+\.$/);

      let outcome: unknown;
      try {
        outcome = checkCallback(transaction, parsed!, Date.now());
      } catch (error) {
        const { code, message } = describeError(error);
        expect(code, where).to.be.a('string').and.not.empty;
        expect(message, where).to.be.a('string').and.not.empty;
        continue;
      }
      // Success only for a well-formed answer of this sign-in that carries a code and no error.
      expect(malformed, where).to.equal(false);
      expect(values('state')[0], where).to.equal('the-state');
      expect(values('error'), where).to.deep.equal([]);
      expect(outcome, where).to.equal(values('code')[0]).and.not.equal('');
    }
  });

  it(`never throws on arbitrary text (${RUNS} strings)`, () => {
    const g = generator(SEED + 1);
    for (let run = 0; run < RUNS; run++) {
      const query = g.pick(['', '?', '&']) + g.text(40) + g.pick(['', '&code=', '&error=x', '&code=a&code=b']);
      const parsed = parseCallback(query);
      if (parsed) expect(['undefined', 'string']).to.include(typeof parsed.invalid);
    }
  });
});

describe('token-response validator, generated inputs', () => {
  // Each field: a value that is valid, one that is not, or (where allowed) absent.
  const pools = {
    access_token: {
      valid: ['at', 'eyJhbGciOi.x.y', 'a b', '~!@', ...prototypeNames],
      invalid: ['', 'line\nbreak', 'caf\u00e9', 42, null, true, {}, [], Infinity],
      optional: false,
    },
    token_type: {
      valid: ['Bearer', 'bearer', 'BEARER', 'bEaReR'],
      invalid: ['mac', '', 'Bearer ', 'Basic', 1, null, ['Bearer'], ...prototypeNames],
      optional: false,
    },
    expires_in: {
      valid: [1, 60, 3600, 3_000_000, 2 ** 31, Number.MAX_SAFE_INTEGER],
      invalid: [0, -100, 1.5, Infinity, -Infinity, 2 ** 53, 1e21, '3600', '0x10', 'soon', true, null, [], {}],
      optional: true,
    },
    refresh_token: { valid: ['rt', 'r t'], invalid: ['', 7, null, 'r\u0000t'], optional: true },
    scope: {
      valid: ['', 'user:information', 'user:information account:information'],
      invalid: [7, null, ' user:information', 'a  b', 'a\tb', 'a"b', ['user:information']],
      optional: true,
    },
  };
  type Field = keyof typeof pools;
  const fields = Object.keys(pools) as Field[];
  /** JSON text: `1e400` must reach JSON.parse as written (it becomes Infinity there); keys may repeat. */
  const literal = (value: unknown) =>
    value === Infinity ? '1e400' : value === -Infinity ? '-1e400' : JSON.stringify(value);

  it(`accepts exactly the valid answers, and names the field of every invalid one (${RUNS} answers)`, () => {
    const g = generator(SEED + 2);
    for (let run = 0; run < RUNS; run++) {
      const members: [string, unknown][] = [];
      for (const field of fields) {
        const { valid, invalid, optional } = pools[field];
        const roll = g.next();
        if (roll < 0.75) members.push([field, g.pick<unknown>(valid)]);
        else if (roll < 0.9) members.push([field, g.pick<unknown>(invalid)]);
        else if (!optional || g.next() < 0.5) continue;
        // Sometimes the same key twice: JSON.parse keeps the last, and so does the verdict.
        if (g.next() < 0.1) members.push([field, g.pick<unknown>(g.next() < 0.5 ? valid : invalid)]);
      }
      for (let i = g.int(3); i > 0; i--) members.push([g.pick([...prototypeNames, g.text(5)]), g.pick(oddNumbers)]);
      for (let i = members.length - 1; i > 0; i--) {
        const j = g.int(i + 1);
        [members[i], members[j]] = [members[j], members[i]];
      }
      const text = `{${members.map(([k, v]) => `${JSON.stringify(k)}:${literal(v)}`).join(',')}}`;
      const where = `seed ${SEED + 2}, run ${run}: ${text}`;
      const last = new Map(members);
      const wrong = fields.filter((field) => {
        const { valid, optional } = pools[field];
        return last.has(field) ? !valid.includes(last.get(field) as never) : !optional;
      });

      const result = readTokenResponse(JSON.parse(text));
      if (wrong.length === 0) {
        expect(result.ok, where).to.equal(true);
        if (!result.ok) continue;
        expect(result.tokens.tokenType, where).to.equal('Bearer');
        expect(Number.isSafeInteger(result.tokens.expiresIn) && result.tokens.expiresIn > 0, where).to.equal(true);
        expect(result.tokens.accessToken, where).to.equal(last.get('access_token'));
      } else {
        expect(result.ok, where).to.equal(false);
        if (result.ok) continue;
        expect(wrong, where).to.include(result.field);
        expect(result.message, where).to.be.a('string').and.include(`\`${result.field}\``);
      }
    }
  });

  it(`refuses anything that is not a JSON object, with a message (${RUNS} values)`, () => {
    const g = generator(SEED + 3);
    const shapes = [() => g.text(), () => g.next() * 1e308, () => null, () => true, () => [g.text()], () => undefined];
    for (let run = 0; run < RUNS; run++) {
      const value = g.pick(shapes)();
      const result = readTokenResponse(value);
      expect(result.ok, String(value)).to.equal(false);
      if (!result.ok) expect(result.message).to.be.a('string').and.not.empty;
    }
  });
});
