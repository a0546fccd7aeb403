/** Finds the language the element speaks on a page and fetches its strings (English, in labels.ts, is built in). */
import type { AriesLoginStrings } from './labels.js';

type Loader = () => Promise<{ default: AriesLoginStrings }>;

/** Bundled languages besides English; each is a small file of its own, fetched only by pages that use it. */
const languages: Record<string, Loader> = {
  ar: () => import('./i18n/ar.js'),
  de: () => import('./i18n/de.js'),
  es: () => import('./i18n/es.js'),
  fr: () => import('./i18n/fr.js'),
  it: () => import('./i18n/it.js'),
  ja: () => import('./i18n/ja.js'),
  pt: () => import('./i18n/pt.js'),
  zh: () => import('./i18n/zh.js'),
};

/** The languages written right to left, whose layout is mirrored. */
export const isRightToLeft = (language: string): boolean => language === 'ar';

/** The `lang` in force at `node`: its own, the nearest ancestor's (across shadow roots), or the document's. */
export function languageAt(node: Node | null): string {
  for (; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
    if ((node as HTMLElement).lang) return (node as HTMLElement).lang;
  }
  return '';
}

/** The bundled language for a BCP 47 tag (`de-CH` → `de`, `zh-Hans-CN` → `zh`); English when there is none. */
export const bundledLanguage = (tag: string): string => {
  const base = tag.toLowerCase().split(/[-_]/)[0];
  return Object.hasOwn(languages, base) ? base : 'en';
};

/** The strings of a bundled language; undefined for English, or when its file cannot be loaded. */
export const loadStrings = (language: string): Promise<AriesLoginStrings | undefined> =>
  Object.hasOwn(languages, language)
    ? languages[language]().then(
        (module) => module.default,
        () => undefined,
      )
    : Promise.resolve(undefined);

/** `template` with `{key}` replaced by `values[key]`; a `{constructor}` in a page's wording stays as written. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (match, key: string) => (Object.hasOwn(values, key) ? String(values[key]) : match));
