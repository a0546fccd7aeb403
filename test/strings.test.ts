// The pure language helpers of src/strings.ts: which `lang` is in force, which bundled language it maps to, the
// bundled tables themselves, placeholder filling and the right-to-left languages.
import { expect } from '@open-wc/testing';
import { errorMessages } from '../src/error-messages.js';
import { en } from '../src/labels.js';
import { relayLabels } from '../src/relay-labels.js';
import { sessionLabels } from '../src/session-labels.js';
import { bundledLanguage, fill, isRightToLeft, languageAt, loadStrings } from '../src/strings.js';
import ar from '../src/i18n/ar.js';
import de from '../src/i18n/de.js';
import es from '../src/i18n/es.js';
import fr from '../src/i18n/fr.js';
import it_ from '../src/i18n/it.js';
import ja from '../src/i18n/ja.js';
import pt from '../src/i18n/pt.js';
import zh from '../src/i18n/zh.js';

const bundled: Record<string, Record<string, string>> = { ar, de, es, fr, it: it_, ja, pt, zh };
const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

describe('languageAt', () => {
  const mounted: Element[] = [];
  const mount = <T extends Element>(node: T) => (document.body.append(node), mounted.push(node), node);
  let documentLang: string;
  beforeEach(() => (documentLang = document.documentElement.lang));
  afterEach(() => {
    document.documentElement.lang = documentLang;
    mounted.splice(0).forEach((node) => node.remove());
  });

  it("reads the node's own lang", () => {
    const outer = mount(document.createElement('div'));
    outer.lang = 'fr';
    const inner = outer.appendChild(document.createElement('span'));
    inner.lang = 'de-CH';
    expect(languageAt(inner)).to.equal('de-CH');
  });

  it("reads the nearest ancestor's lang, for elements and text nodes", () => {
    const outer = mount(document.createElement('div'));
    outer.lang = 'fr';
    const middle = outer.appendChild(document.createElement('section'));
    middle.lang = 'ja';
    const inner = middle.appendChild(document.createElement('p'));
    const text = inner.appendChild(document.createTextNode('hello'));
    expect(languageAt(inner)).to.equal('ja');
    expect(languageAt(text)).to.equal('ja');
  });

  it("falls back to the document's <html lang>", () => {
    document.documentElement.lang = 'pt-BR';
    const inner = mount(document.createElement('div')).appendChild(document.createElement('span'));
    expect(languageAt(inner)).to.equal('pt-BR');
  });

  it('is empty when no lang is set anywhere, and for null', () => {
    document.documentElement.removeAttribute('lang');
    const inner = mount(document.createElement('div')).appendChild(document.createElement('span'));
    expect(languageAt(inner)).to.equal('');
    expect(languageAt(null)).to.equal('');
  });

  it('crosses shadow roots up to the host and its ancestors', () => {
    const outer = mount(document.createElement('div'));
    outer.lang = 'ar';
    const host = outer.appendChild(document.createElement('div'));
    const inside = host.attachShadow({ mode: 'open' }).appendChild(document.createElement('span'));
    expect(languageAt(inside)).to.equal('ar');
    host.lang = 'zh-Hans-CN';
    expect(languageAt(inside)).to.equal('zh-Hans-CN');
    // A detached node has nothing to inherit.
    expect(languageAt(document.createElement('span'))).to.equal('');
  });
});

describe('bundledLanguage', () => {
  const cases: [string, string][] = [
    ['de', 'de'],
    ['de-CH', 'de'],
    ['de-DE-1996', 'de'],
    ['zh-Hans-CN', 'zh'],
    ['zh-TW', 'zh'],
    ['pt-BR', 'pt'],
    ['es_419', 'es'],
    ['FR-ca', 'fr'],
    ['it', 'it'],
    ['ja-JP', 'ja'],
    ['ar-EG', 'ar'],
    ['EN', 'en'],
    ['en-GB', 'en'],
    ['nl', 'en'],
    ['nl-BE', 'en'],
    ['', 'en'],
    ['x-klingon', 'en'],
    // A tag that happens to name a member of Object.prototype is no bundled language either.
    ['constructor', 'en'],
  ];
  for (const [tag, expected] of cases) {
    it(`'${tag}' → ${expected}`, () => expect(bundledLanguage(tag)).to.equal(expected));
  }
});

describe('loadStrings', () => {
  /** The complete English table: the labels, the session's and the callback page's notices, a message for each code. */
  const english: Record<string, string> = { ...en, ...sessionLabels, ...relayLabels, ...errorMessages };
  const keys = Object.keys(english).sort();

  for (const [language, table] of Object.entries(bundled)) {
    it(`${language}: a complete table, the same keys as English, placeholders kept`, async () => {
      const strings = (await loadStrings(language)) as Record<string, string> | undefined;
      expect(strings).to.equal(table);
      expect(Object.keys(strings!).sort()).to.deep.equal(keys);
      for (const key of keys) {
        const text = strings![key];
        expect(text, `${language}.${key}`).to.be.a('string').and.match(/\S/);
        expect(placeholders(text), `${language}.${key} placeholders`).to.deep.equal(placeholders(english[key]));
      }
      // Translated, not English left in place.
      expect(strings!.signIn).not.to.equal(en.signIn);
      expect(strings!.cancelled).not.to.equal(errorMessages.cancelled);
    });
  }

  it('English has {name} in signedInAs, {seconds} in retryIn and {time} in sessionEndsIn', () => {
    expect(placeholders(en.signedInAs)).to.deep.equal(['{name}']);
    expect(placeholders(en.retryIn)).to.deep.equal(['{seconds}']);
    expect(placeholders(sessionLabels.sessionEndsIn)).to.deep.equal(['{time}']);
  });

  // English is built in: no file to load, the element's own English strings apply.
  for (const language of ['en', 'nl', '', 'xx', 'constructor']) {
    it(`'${language}' → English`, async () => expect([undefined, en]).to.include(await loadStrings(language)));
  }
});

describe('fill', () => {
  const cases: [string, Record<string, string | number>, string][] = [
    ['Signed in as {name}', { name: 'Ada Lovelace' }, 'Signed in as Ada Lovelace'],
    ['Try again in {seconds} s', { seconds: 7 }, 'Try again in 7 s'],
    ['Try again in {seconds} s', { seconds: 0 }, 'Try again in 0 s'],
    ['{name} and {name}', { name: 'Ada' }, 'Ada and Ada'],
    ['Signed in as {name}', {}, 'Signed in as {name}'],
    ['{name} {other}', { name: 'Ada' }, 'Ada {other}'],
    ['no placeholders', { name: 'Ada' }, 'no placeholders'],
    // Values are inserted as they are: no replacement patterns, no second round of filling.
    ['Signed in as {name}', { name: '$& $1 $$' }, 'Signed in as $& $1 $$'],
    ['Signed in as {name}', { name: '{seconds}' }, 'Signed in as {seconds}'],
    ['Angemeldet als {name}', { name: '<b>Ada</b>' }, 'Angemeldet als <b>Ada</b>'],
    // A page's wording is data: a placeholder named after a prototype member is no lookup.
    [
      '{constructor} {toString} {__proto__} {hasOwnProperty}',
      { name: 'Ada' },
      '{constructor} {toString} {__proto__} {hasOwnProperty}',
    ],
  ];
  for (const [template, values, expected] of cases) {
    it(`${JSON.stringify(template)} with ${JSON.stringify(values)}`, () =>
      expect(fill(template, values)).to.equal(expected));
  }
});

describe('isRightToLeft', () => {
  const cases: [string, boolean][] = [
    ['ar', true],
    ['en', false],
    ['de', false],
    ['fr', false],
    ['es', false],
    ['it', false],
    ['pt', false],
    ['ja', false],
    ['zh', false],
    ['', false],
  ];
  for (const [language, expected] of cases) {
    it(`'${language}' → ${expected}`, () => expect(isRightToLeft(language)).to.equal(expected));
  }
});
