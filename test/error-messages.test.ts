import { expect } from '@open-wc/testing';
import { describeError, errorMessages, own } from '../src/error-messages.js';
import { AriesLoginError } from '../src/errors.js';
import de from '../src/i18n/de.js';

// Error codes come over the wire (Aries' `error`, passed through verbatim by a backend): they are data, never keys
// that reach Object.prototype.
const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

describe('describeError', () => {
  for (const code of prototypeNames) {
    it(`keeps the code ${code} and gives it the generic readable message`, () => {
      const host = { signIn: 'Log in' }; // a host's `strings`, a plain object
      const detail = describeError(new AriesLoginError(code), undefined, [host, de]);
      expect(detail.code).to.equal(code);
      expect(detail.message).to.equal(errorMessages.unknown_error);
    });
  }

  it('gives an unknown Aries code the generic message', () => {
    expect(describeError(new AriesLoginError('temporarily_unavailable'))).to.include({
      code: 'temporarily_unavailable',
      message: errorMessages.unknown_error,
    });
  });

  it('words a known code from the first table that has it, own properties only', () => {
    const host = JSON.parse('{"__proto__": "proto wording", "access_denied": "Nope."}') as Record<string, string>;
    expect(describeError(new AriesLoginError('access_denied'), undefined, [host, de]).message).to.equal('Nope.');
    expect(describeError(new AriesLoginError('access_denied'), undefined, [{}, de]).message).to.equal(de.access_denied);
    // A JSON `__proto__` key is the host's own wording for that code, and a code like any other.
    expect(describeError(new AriesLoginError('__proto__'), undefined, [host]).message).to.equal('proto wording');
  });

  it('keeps an error’s own message (naming the problem) when no table words its code', () => {
    const error = new AriesLoginError('invalid_response', 'Aries sent … `expires_in` must be …');
    expect(describeError(error).message).to.equal('Aries sent … `expires_in` must be …');
    expect(describeError(error, undefined, [de]).message).to.equal(de.invalid_response);
  });

  it('reads a table’s own string values only', () => {
    expect(own({ a: 'x' }, 'a')).to.equal('x');
    expect(own({}, 'toString')).to.equal(undefined);
    expect(own({ a: 1 }, 'a')).to.equal(undefined);
    expect(own(undefined, 'a')).to.equal(undefined);
  });
});
