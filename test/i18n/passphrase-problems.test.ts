// The page words a typed passphrase's problem from its catalogue (web/reporter/passphrase-problems.ts)
// rather than showing the protocol parser's English. In English the two must say the same thing, word
// for word, for every kind of problem; in Welsh the same facts come out in Welsh.
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePassphrase, parsePassphrase, sodiumReady } from '../../web/protocol/index.js';
import { useCatalogue, type Catalogue } from '../../web/i18n/i18n.js';
import { passphraseProblemMessage } from '../../web/reporter/passphrase-problems.js';
import { formatDay } from '../../web/i18n/labels.js';
import { readCatalogue } from '../../scripts/build-web.js';

const en = readCatalogue('en') as unknown as Catalogue;
const cy = readCatalogue('cy') as unknown as Catalogue;

beforeAll(sodiumReady);

function typedInputs(): string[] {
  const words = generatePassphrase().split(' ');
  const joined = words.join(' ');
  return [
    '', '   ', words.slice(0, 8).join(' '), `${joined} extra`,
    words.map((w, i) => (i === 2 ? `${w.slice(0, 4)}zq` : w)).join(' '), // unknown word, with a suggestion
    words.map((w, i) => (i === 4 ? 'qqqq' : w)).join(' '), // unknown word, no suggestion
    [words[1], words[0], ...words.slice(2)].join(' '), // checksum (or, rarely, valid)
    words.map((w, i) => (i === 1 ? `${w.slice(0, 2)}\u0430${w.slice(3)}` : w)).join(' '), // Cyrillic a
    words.map((w, i) => (i === 1 ? `${w}\u03b1` : w)).join(' '), // Greek alpha
    words.map((w, i) => (i === 1 ? `${w}\u0561` : w)).join(' '), // Armenian
    words.map((w, i) => (i === 1 ? `${w}\u13a0` : w)).join(' '), // Cherokee
    words.map((w, i) => (i === 1 ? `${w}ß` : w)).join(' '), // a Latin letter from another language
    words.map((w, i) => (i === 1 ? `${w}\u05d0` : w)).join(' '), // Hebrew: another alphabet
    words.map((w, i) => (i === 1 ? `${w}\u00b7` : w)).join(' '), // a symbol
    words.map((w, i) => (i === 3 ? `${w.slice(0, 2)}\u200b${w.slice(2)}` : w)).join(' '), // zero-width space in a word
    `\u200e ${joined}`, `${joined} \u2060`, `${words.slice(0, 3).join(' ')} \ufeff ${words.slice(3).join(' ')}`,
    '\u00ad', `${words[0]}\u202e ${words.slice(1).join(' ')}`, `${words[0]}\ufe0f ${words.slice(1).join(' ')}`,
    `${words[0]}\u0007 ${words.slice(1).join(' ')}`, `${words[0]}\u2063 ${words.slice(1).join(' ')}`,
    ...[0x00ad, 0x034f, 0x061c, 0x180e, 0x200c, 0x200d, 0x200f].map((cp) => `${words[0]} ${String.fromCodePoint(cp)} ${words.slice(1).join(' ')}`),
  ];
}

describe('passphrase problems in the page’s words', () => {
  it('in English, say exactly what the protocol’s parser says', () => {
    useCatalogue(en);
    let checked = 0;
    for (let round = 0; round < 5; round++) {
      for (const typed of typedInputs()) {
        const parsed = parsePassphrase(typed);
        if (parsed.ok) continue;
        expect(passphraseProblemMessage(parsed.problem, typed), JSON.stringify(typed)).toBe(parsed.message);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('in Welsh, give the same facts in Welsh', () => {
    useCatalogue(cy);
    const words = generatePassphrase().split(' ');
    const parsed = parsePassphrase(words.map((w, i) => (i === 1 ? `${w}\u0430` : w)).join(' '));
    if (parsed.ok) throw new Error('parsed');
    const message = passphraseProblemMessage(parsed.problem, words.map((w, i) => (i === 1 ? `${w}\u0430` : w)).join(' '));
    expect(message).toContain('Mae gair 2');
    expect(message).toContain('Gyrilig');
    const count = parsePassphrase(words.slice(0, 3).join(' '));
    if (count.ok) throw new Error('parsed');
    expect(passphraseProblemMessage(count.problem, words.slice(0, 3).join(' '))).toBe('Mae gan gyfrinymadrodd 9 gair; rydych chi wedi rhoi 3.');
  });

  it('dates show the day, the month in the page’s language and the year', () => {
    useCatalogue(en);
    expect(formatDay('2025-03-04')).toBe('4 March 2025');
    expect(formatDay('2025-03-04')).toBe(new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date('2025-03-04T00:00:00Z')));
    expect(formatDay('2026-12-31')).toBe('31 December 2026');
    expect(formatDay('not a day')).toBe('not a day');
    useCatalogue(cy);
    expect(formatDay('2025-03-04')).toBe('4 Mawrth 2025');
    expect(formatDay('2026-12-31')).toBe('31 Rhagfyr 2026');
  });
});
