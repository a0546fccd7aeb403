// The ports browsers refuse to open: an authorize-url on one is a configuration mistake, named at once.
import { expect } from '@open-wc/testing';
import { badPort } from '../src/bad-ports.js';

describe('badPort', () => {
  const cases: [string, string | undefined][] = [
    ['http://127.0.0.1:9/oauth2/authorize', '9'],
    ['https://aries.example:25/authorize', '25'],
    ['https://aries.example:6000/authorize', '6000'],
    ['https://aries.example:10080/authorize', '10080'],
    ['https://app.aries.com/oauth2/authorize', undefined],
    ['https://app.aries.com:443/oauth2/authorize', undefined],
    ['http://localhost:4010/oauth2/authorize', undefined],
    ['http://localhost:8080/', undefined],
    ['http://localhost:90/', undefined],
  ];
  for (const [url, expected] of cases) {
    it(`${url}: ${expected ? `port ${expected} is refused` : 'allowed'}`, () =>
      expect(badPort(url)).to.equal(expected));
  }
});
