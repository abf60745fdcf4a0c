// The message catalogues, the reporter's (web/i18n/reporter/*.json) and the console's
// (web/i18n/console/*.json): complete where offered, no key that nothing uses, no key used that the
// source lacks, and every translation taking the same values as the English (a "{unit}" dropped or
// misspelt would show raw or lose the unit's name).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { catalogueLanguages, CONSOLE_CATALOGUES, consoleLanguages, DEFAULT_LANGUAGES, offeredLanguages, readCatalogue, REPORTER_CATALOGUES } from '../../scripts/build-web.js';

const ROOT = join(import.meta.dirname, '..', '..');

const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : /\.(ts|html)$/.test(name) ? [path] : [];
});
const read = (files: string[]) => files.map((file) => ({ file: relative(ROOT, file), text: readFileSync(file, 'utf8') }));
/** Where reporter-visible words are chosen: the reporter's code, shared UI, its page and the page build. */
const SOURCES = read([...walk(join(ROOT, 'web', 'reporter')), ...walk(join(ROOT, 'web', 'ui')), ...walk(join(ROOT, 'web', 'i18n')), join(ROOT, 'web', 'pages', 'reporter.html'), join(ROOT, 'scripts', 'build-web.ts'),
  join(ROOT, 'web', 'pages', 'info.html'), join(ROOT, 'web', 'pages', 'reporter-topbar.html'), ...walk(join(ROOT, 'web', 'pages', 'info')), join(ROOT, 'scripts', 'reporter-info-pages.ts')]);
/** Where console-visible words are chosen: the console's code, shared UI, its page and the page build. */
const CONSOLE_SOURCES = read([...walk(join(ROOT, 'web', 'console')), ...walk(join(ROOT, 'web', 'ui')), ...walk(join(ROOT, 'web', 'i18n')), join(ROOT, 'web', 'pages', 'console.html'), join(ROOT, 'scripts', 'build-web.ts')]);

/** What a message takes: its arguments (with the choices of a select) and its tags. */
function placeholders(message: string, locale: string): string[] {
  const found = new Set<string>();
  type Element = { type: number; value?: string; options?: Record<string, { value: Element[] }>; children?: Element[] };
  const walk = (elements: Element[]) => {
    for (const element of elements) {
      if (element.type >= 1 && element.type <= 6) found.add(`{${element.value}}`); // argument, number, date, time, select, plural
      if (element.type === 5) found.add(`{${element.value}: ${Object.keys(element.options ?? {}).sort().join('|')}}`); // a select's choices
      if (element.type === 8) found.add(`<${element.value}>`); // tag
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as unknown as Element[]);
  return [...found].sort();
}

/**
 * The checks every audience's catalogues share: the same keys as the English where offered, no
 * extra key anywhere, the same values, choices and tags, formatting with Intl plural rules, and
 * every key used by that audience's code and no key used that its English catalogue lacks.
 */
function keyChecks(audience: { dir: string; sources: { file: string; text: string }[]; offered: string[]; minimumUses: number }): void {
  const source = readCatalogue('en', audience.dir);
  const englishKeys = Object.keys(source.messages);
  const languages = catalogueLanguages(audience.dir);

  it('every offered catalogue has every key of the English one, and no other', () => {
    for (const language of audience.offered) {
      expect(Object.keys(readCatalogue(language, audience.dir).messages).sort(), language).toEqual([...englishKeys].sort());
    }
  });

  it('no catalogue, offered or not, has a key the English one lacks', () => {
    for (const language of languages) {
      expect(Object.keys(readCatalogue(language, audience.dir).messages).filter((key) => !(key in source.messages)), language).toEqual([]);
    }
  });

  it('every translated message takes the same values, choices and tags as the English one', () => {
    const mismatches: string[] = [];
    for (const language of languages) {
      for (const [key, message] of Object.entries(readCatalogue(language, audience.dir).messages)) {
        const expected = placeholders(source.messages[key]!, 'en');
        const found = placeholders(message, language);
        if (JSON.stringify(found) !== JSON.stringify(expected)) mismatches.push(`${language} ${key}: ${found.join(' ')} ≠ ${expected.join(' ')}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('every message formats in its language with Intl plural rules (Welsh has six forms)', () => {
    for (const language of languages) {
      for (const [key, message] of Object.entries(readCatalogue(language, audience.dir).messages)) {
        const format = new IntlMessageFormat(message, language);
        const values: Record<string, unknown> = {};
        for (const p of placeholders(message, language)) {
          const name = /^\{(\w+)/.exec(p)?.[1];
          if (name) values[name] = 0;
          if (p.startsWith('<')) values[p.slice(1, -1)] = (chunks: unknown[]) => chunks.join('');
        }
        for (const n of [0, 1, 2, 3, 6, 10, 1200]) {
          for (const name of Object.keys(values)) if (typeof values[name] !== 'function') values[name] = n;
          expect(() => format.format(values as never), `${language} ${key}`).not.toThrow();
        }
      }
    }
  });

  it('uses every English key somewhere, and uses no key the English catalogue lacks', () => {
    const quoted = (key: string) => audience.sources.some(({ text }) => text.includes(`'${key}'`) || text.includes(`{{t:${key}}}`));
    expect(englishKeys.filter((key) => !quoted(key)), 'keys nothing uses').toEqual([]);
    const used = audience.sources.flatMap(({ file, text }) => [
      ...[...text.matchAll(/\bt(?:Nodes)?\(\s*'([^']+)'/g)].map((m) => ({ file, key: m[1]! })),
      ...[...text.matchAll(/\{\{t:([\w.]+)\}\}/g)].map((m) => ({ file, key: m[1]! })),
    ]);
    expect(used.length).toBeGreaterThan(audience.minimumUses);
    expect(used.filter(({ key }) => !(key in source.messages)), 'keys used that en.json lacks').toEqual([]);
  });

}

describe('the reporter catalogues', () => {
  const languages = catalogueLanguages();

  it('are there for the eleven languages the service must offer, each saying its language, name, direction and review status', () => {
    expect(languages).toEqual(['ar', 'bn', 'cy', 'en', 'es', 'gu', 'pa', 'pl', 'pt', 'ro', 'ur']);
    for (const language of languages) {
      const { meta } = readCatalogue(language);
      expect(meta.language).toBe(language);
      expect(meta.name.length, language).toBeGreaterThan(0);
      expect(meta.englishName.length, language).toBeGreaterThan(0);
      expect(meta.dir, language).toBe(['ar', 'ur'].includes(language) ? 'rtl' : 'ltr');
      expect(meta.status.length, language).toBeGreaterThan(0);
      expect(typeof meta.reviewed, language).toBe('boolean');
    }
    expect(readCatalogue('cy').meta.status).toBe('draft, not reviewed by a Welsh speaker');
  });

  it('offer English and Welsh by default, and refuse to offer a catalogue that lacks a message', () => {
    expect(DEFAULT_LANGUAGES).toEqual(['en', 'cy']);
    expect(offeredLanguages('')).toEqual(['en', 'cy']);
    expect(offeredLanguages('cy')).toEqual(['en', 'cy']); // English is always offered: it is the page at /
    const untranslated = catalogueLanguages().find((language) => Object.keys(readCatalogue(language).messages).length === 0);
    if (untranslated) expect(() => offeredLanguages(`en,${untranslated}`)).toThrow(new RegExp(`"${untranslated}" catalogue is not complete`));
    // A catalogue with one message missing is refused as surely as an empty one.
    const dir = mkdtempSync(join(tmpdir(), 'parley-catalogues-'));
    try {
      const cy = readCatalogue('cy');
      delete cy.messages['page.loading'];
      writeFileSync(join(dir, 'en.json'), JSON.stringify(readCatalogue('en')));
      writeFileSync(join(dir, 'cy.json'), JSON.stringify(cy));
      expect(() => offeredLanguages('en,cy', dir)).toThrow(/"cy" catalogue is not complete \(1 messages missing, e\.g\. page\.loading\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => offeredLanguages('en,xx')).toThrow(/no catalogue for language "xx"/);
    expect(() => offeredLanguages('en,../x')).toThrow(/not a language code/);
  });

  keyChecks({ dir: REPORTER_CATALOGUES, sources: SOURCES, offered: offeredLanguages(DEFAULT_LANGUAGES.join(',')), minimumUses: 100 });

  it('leaves no English sentence in the reporter views outside the catalogue', () => {
    // A string literal that starts with a capital letter and has a space is almost always words for people.
    const views = SOURCES.filter(({ file }) => /^web\/reporter\/(views\/|main\.ts|form-fields|timed-progress|status-text|format|passphrase-problems)/.test(file));
    const sentences = views.flatMap(({ file, text }) => [...text.replace(/^\s*(\/\/|\*|\/\*).*$/gm, '').matchAll(/(['`])([A-Z][a-z]+ [^'`]*)\1/g)].map((m) => `${file}: ${m[2]}`));
    expect(sentences).toEqual([]);
  });

  it('are listed in the README with their review status', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const language of languages) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${language}.json\` |`));
      expect(row, `README row for ${language}.json`).toBeDefined();
      expect(row, language).toContain(`| ${readCatalogue(language).meta.status} |`);
    }
  });

  it('the source catalogue is where REPORTER_CATALOGUES says', () => {
    expect(relative(ROOT, REPORTER_CATALOGUES)).toBe(join('web', 'i18n', 'reporter'));
  });
});

describe('the console catalogues', () => {
  it('are there in English and Welsh, each saying its language, name, direction and review status; Welsh is a draft', () => {
    expect(catalogueLanguages(CONSOLE_CATALOGUES)).toEqual(['cy', 'en']);
    expect(relative(ROOT, CONSOLE_CATALOGUES)).toBe(join('web', 'i18n', 'console'));
    for (const language of ['cy', 'en']) {
      const { meta } = readCatalogue(language, CONSOLE_CATALOGUES);
      expect(meta).toEqual({ ...readCatalogue(language).meta, status: meta.status, reviewed: meta.reviewed });
    }
    expect(readCatalogue('cy', CONSOLE_CATALOGUES).meta).toMatchObject({ status: 'draft, not reviewed by a Welsh speaker', reviewed: false });
  });

  it('the console is offered in Welsh whenever the reporter is, and never in a language without a console catalogue', () => {
    expect(consoleLanguages(offeredLanguages(''))).toEqual(['en', 'cy']);
    expect(consoleLanguages(['en', 'pl'])).toEqual(['en']);
  });

  keyChecks({ dir: CONSOLE_CATALOGUES, sources: CONSOLE_SOURCES, offered: ['en', 'cy'], minimumUses: 200 });

  it('leaves no English sentence in the console\'s code outside the catalogue', () => {
    // The engine's (web/console/engine.ts) own error messages never reach the page: it shows words for their codes (labels.ts).
    const code = CONSOLE_SOURCES.filter(({ file }) => file.startsWith('web/console/') && !file.startsWith('web/console/engine'));
    const sentences = code.flatMap(({ file, text }) => [...text.replace(/^\s*(\/\/|\*|\/\*).*$/gm, '').matchAll(/(['`])([A-Z][a-z]+ [^'`]*)\1/g)].map((m) => `${file}: ${m[2]}`));
    expect(sentences).toEqual([]);
  });

  it('are listed in the README with their review status', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const language of ['cy', 'en']) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`console/${language}.json\` |`));
      expect(row, `README row for console/${language}.json`).toBeDefined();
      expect(row, language).toContain(`| ${readCatalogue(language, CONSOLE_CATALOGUES).meta.status} |`);
    }
  });
});
