// The error value every failure becomes: a real Error with a stable code, and the detail's fields as its own properties.
import { expect } from '@open-wc/testing';
import { AriesLoginError } from '../src/errors.js';

describe('AriesLoginError', () => {
  it('is an Error with its code, and its message when given (none until reported otherwise)', () => {
    const error = new AriesLoginError('popup_blocked');
    expect(error).to.be.instanceOf(Error);
    expect(error.code).to.equal('popup_blocked');
    expect(error.message).to.equal('');
    expect(error.stack, 'a stack, as any thrown Error has').to.be.a('string');
    expect(new AriesLoginError('cancelled', 'Sign-in was cancelled.').message).to.equal('Sign-in was cancelled.');
  });

  it('carries the extra fields of the detail as its own properties: status, description, retryAt, attribute', () => {
    const error = new AriesLoginError('rate_limited', undefined, {
      status: 429,
      description: 'slow down',
      retryAt: 1_700_000_000_000,
      attribute: 'token-url',
    });
    expect(error).to.include({
      status: 429,
      description: 'slow down',
      retryAt: 1_700_000_000_000,
      attribute: 'token-url',
    });
    for (const name of ['code', 'status', 'description', 'retryAt', 'attribute']) {
      expect(Object.hasOwn(error, name), name).to.equal(true);
    }
  });

  it('keeps a configuration mistake’s rule and the offending value, for the message that names them', () => {
    const error = new AriesLoginError('invalid_scope', undefined, {
      attribute: 'scope',
      problem: 'unknown',
      value: 'user:everything',
    });
    expect(error).to.include({
      code: 'invalid_scope',
      attribute: 'scope',
      problem: 'unknown',
      value: 'user:everything',
    });
  });

  it('keeps an OAuth code Aries sent as it came, besides the table’s own codes', () => {
    expect(new AriesLoginError('temporarily_unavailable').code).to.equal('temporarily_unavailable');
  });

  it('thrown and caught, it is still the same value with the same code', async () => {
    const thrown = new AriesLoginError('network_error', undefined, { status: 0 });
    const caught = await Promise.reject(thrown).catch((error: unknown) => error);
    expect(caught).to.equal(thrown);
    expect(caught).to.be.instanceOf(AriesLoginError);
    expect((caught as AriesLoginError).code).to.equal('network_error');
  });
});
