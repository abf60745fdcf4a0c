// The reporter's and the console's words in the reader's language, one module for both. Catalogues
// are JSON files a translator can edit (web/i18n/reporter/<language>.json for the reporter's pages,
// web/i18n/console/<language>.json for the investigators' console): `meta` says which language, its own name, its direction and
// its review status; `messages` maps a key to an ICU MessageFormat string ("{name}" for a value,
// "{count, plural, one {…} other {…}}" for plurals, "<strong>…</strong>" for emphasis).
//
// Library: FormatJS's intl-messageformat (pinned in package.json). It interprets ICU messages
// without eval or new Function, so it runs under the pages' strict CSP; its plurals and numbers
// come from the browser's own Intl.PluralRules and Intl.NumberFormat (no plural data of ours to
// ship or get wrong); it keeps no state beyond memory (no cookie, no storage); it is small (about
// 34 KB minified, parser included); and ICU messages are what translation tools (Weblate, Crowdin,
// Lokalise) and translators already know, with a plural's forms kept together in one string rather
// than spread over keys. (i18next would also do; its plurals are spread over suffixed keys, which
// makes the "unused key" check and a translator's view of one sentence harder.)
// A browser without a language's Intl data (Chromium has none for Welsh) falls back to English
// plural rules, so translations give an `other` form that reads right for any number; month names
// are in the catalogues (date.day) for the same reason.
//
// The page never downloads another language's catalogue: the build bakes each language's
// catalogue into its own page (dist/web/<language>/index.html, dist/web/<language>/console.html, see
// scripts/build-web.ts), and this module reads it from there.
import { IntlMessageFormat } from 'intl-messageformat';
import type consoleEn from './console/en.json';
import type reporterEn from './reporter/en.json';

/** Every key of the source catalogues; a key missing from both en.json files does not compile. */
export type MessageKey = keyof (typeof reporterEn)['messages'] | keyof (typeof consoleEn)['messages'];
export type MessageValues = Record<string, string | number>;

export interface CatalogueMeta {
  /** BCP 47 tag, as in the URL: /cy/. */
  language: string;
  /** The language's name in itself ("Cymraeg"), as the language links show it. */
  name: string;
  /** The language's name in English, for the README and operators. */
  englishName: string;
  dir: 'ltr' | 'rtl';
  /** Who has checked this translation, in words: e.g. "draft, not reviewed by a Welsh speaker". */
  status: string;
  /** True once a native speaker has reviewed it. */
  reviewed: boolean;
}

export interface Catalogue {
  meta: CatalogueMeta;
  messages: Partial<Record<MessageKey, string>>;
}

/** The id of the page's <script type="application/json"> that holds its catalogue (not executed: data only). */
export const CATALOGUE_ELEMENT_ID = 'catalogue';

/** The locale for Intl's plural rules and numbers: English pages show British numbers. */
function intlLocale(language: string): string {
  return language === 'en' ? 'en-GB' : language;
}

let active: { language: string; locale: string; messages: Partial<Record<string, string>>; compiled: Map<string, IntlMessageFormat> } | null = null;

export function useCatalogue(catalogue: Catalogue): void {
  active = { language: catalogue.meta.language, locale: intlLocale(catalogue.meta.language), messages: catalogue.messages, compiled: new Map() };
}

/** The language of the catalogue in use ("en", "cy"). */
export function activeLanguage(): string {
  if (!active) throw new Error('no catalogue in use');
  return active.language;
}

/** The locale Intl formats with (en-GB for English), for numbers and times. */
export function activeLocale(): string {
  if (!active) throw new Error('no catalogue in use');
  return active.locale;
}

/** Reads the catalogue the build put into this page. */
export function usePageCatalogue(doc: Document = document): Catalogue {
  const element = doc.getElementById(CATALOGUE_ELEMENT_ID);
  if (!element?.textContent) throw new Error('this page has no catalogue');
  const catalogue = JSON.parse(element.textContent) as Catalogue;
  useCatalogue(catalogue);
  return catalogue;
}

function compiled(key: MessageKey): IntlMessageFormat {
  if (!active) throw new Error('no catalogue in use');
  let format = active.compiled.get(key);
  if (!format) {
    const message = active.messages[key];
    if (message === undefined) throw new Error(`no message ${key} in the catalogue`);
    format = new IntlMessageFormat(message, active.locale);
    active.compiled.set(key, format);
  }
  return format;
}

/** The message as text. */
export function t(key: MessageKey, values?: MessageValues): string {
  const result = compiled(key).format<string>(values);
  return Array.isArray(result) ? result.join('') : String(result);
}

/** The message as nodes, with its tags (e.g. <strong>) built by the given functions; text stays text. */
export function tNodes(key: MessageKey, values: MessageValues, tags: Record<string, (children: string[]) => Node>): (string | Node)[] {
  const result = compiled(key).format<Node>({ ...values, ...tags } as Record<string, unknown> as never);
  return (Array.isArray(result) ? result : [result]).map((part) => (typeof part === 'string' || part instanceof Node ? part : String(part)));
}
