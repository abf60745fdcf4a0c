// More of what the passphrase parser (web/protocol/passphrase.ts) must say, exactly: the indices
// it refuses to build from, the nearest word it suggests (by edit distance, first in list order,
// never further than two edits), and the words it gives for each invisible or foreign character.
import { describe, expect, it } from 'vitest';
import { parsePassphrase, passphraseFromIndices, tokenisePassphrase } from '../../web/protocol/passphrase.js';
import { WORDLIST_EN } from '../../web/protocol/wordlist-en.js';
import { sodiumReady } from '../../web/protocol/sodium.js';

// Before any describe body runs: some build their fixtures with libsodium as they are collected.
await sodiumReady();

const PASSPHRASE = 'alone zoo act length gentle romance insect poet chunk';
const withWord = (position: number, word: string) => PASSPHRASE.split(' ').map((w, i) => (i === position - 1 ? word : w)).join(' ');

function problemOf(typed: string) {
  const parsed = parsePassphrase(typed);
  if (parsed.ok) throw new Error(`expected a problem, but ${JSON.stringify(typed)} parsed`);
  return parsed;
}

/** Levenshtein distance, the textbook full-matrix way: the oracle for suggestions. */
function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
}

/** docs: the word at the smallest edit distance, the first in list order on a tie, none at three edits or more. */
function nearestWord(token: string): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const word of WORDLIST_EN) {
    const distance = levenshtein(token, word);
    if (distance < bestDistance) [best, bestDistance] = [word, distance];
  }
  return best;
}

describe('building a passphrase from word indices', () => {
  it('needs exactly eight indices', () => {
    for (const indices of [[], [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
      expect(() => passphraseFromIndices(indices), `${indices.length} indices`).toThrow(new RangeError('need 8 word indices'));
    }
  });

  it('needs every index to be a whole number from 0 to 2047', () => {
    for (const bad of [-1, 2048, 1.5, Number.NaN]) {
      expect(() => passphraseFromIndices([0, 1, 2, bad, 4, 5, 6, 7]), String(bad)).toThrow(new RangeError('word index out of range'));
    }
    expect(passphraseFromIndices([0, 2047, 0, 2047, 0, 2047, 0, 2047]).split(' ').slice(0, 2)).toEqual([WORDLIST_EN[0], WORDLIST_EN[2047]]);
  });
});

describe('suggestions for a word that is not on the list', () => {
  /** Typos whose first four letters match no word, so the suggestion comes from edit distance. */
  function typos(): string[] {
    const out: string[] = ['ac', 'aba', 'zoa', 'xz', 'q', 'qqqq', 'actt', 'ctx', 'bleu', 'oen', 'tow', 'hte', 'qqqqqq', 'zzzzzz', 'xqxqxq', 'jjjjjjj', 'wvwvwv'];
    for (let i = 0; i < WORDLIST_EN.length; i += 53) {
      const word = WORDLIST_EN[i]!;
      out.push(`x${word}`, word.slice(1), `${word[1]}${word[0]}${word.slice(2)}`, `${word.slice(0, 2)}q${word.slice(3)}`);
    }
    return out;
  }

  it('is the nearest word by edit distance, the first on a tie, and none beyond two edits', () => {
    let suggested = 0;
    let none = 0;
    for (const token of typos()) {
      const read = parsePassphrase(withWord(1, token));
      if (read.ok || read.problem.kind !== 'unknown_word') continue; // the typo happened to be a word, or a prefix of one
      if (token.length >= 4 && WORDLIST_EN.some((w) => w.startsWith(token.slice(0, 4)))) continue; // suggested by prefix instead
      const expected = nearestWord(token);
      expect(read.problem, token).toEqual({ kind: 'unknown_word', position: 1, typed: token, suggestion: expected });
      if (expected) suggested++;
      else none++;
    }
    expect(suggested).toBeGreaterThan(40);
    expect(none).toBeGreaterThan(3);
  });

  it('is the word its first four letters name, when the rest was mistyped', () => {
    expect(problemOf(withWord(3, 'absorbing')).problem).toEqual({ kind: 'unknown_word', position: 3, typed: 'absorbing', suggestion: 'absorb' });
    expect(problemOf(withWord(3, 'abstrakt')).problem).toEqual({ kind: 'unknown_word', position: 3, typed: 'abstrakt', suggestion: 'abstract' });
  });

  it('is offered in the message, or left out when there is none', () => {
    expect(problemOf(withWord(2, 'zoa')).message).toBe('Word 2 (“zoa”) is not one of the passphrase words. Did you mean “zoo”?');
    expect(problemOf(withWord(2, 'qqqqqq')).message).toBe('Word 2 (“qqqqqq”) is not one of the passphrase words.');
  });
});

describe('what the parser says', () => {
  it('about a wrong number of words, nothing typed, or words that do not fit together', () => {
    expect(problemOf('alone zoo')).toEqual({ ok: false, problem: { kind: 'word_count', expected: 9, found: 2 }, message: 'A passphrase has 9 words; you entered 2.' });
    expect(problemOf(' -- ')).toEqual({ ok: false, problem: { kind: 'empty' }, message: 'Enter your passphrase.' });
    expect(problemOf(PASSPHRASE.replace('alone zoo', 'zoo alone'))).toEqual({
      ok: false, problem: { kind: 'checksum' }, message: 'Every word is valid, but they do not fit together. Check the order, and that each word is the one you were given.',
    });
  });

  it('about an invisible character, wherever it stands', () => {
    const zwsp = 'an invisible character (a zero-width space, U+200B)';
    expect(problemOf(' \u200b ').message).toBe(`There is ${zwsp} but no words, perhaps from copying and pasting. Delete everything and type your passphrase.`);
    expect(problemOf(`\u200b ${PASSPHRASE}`).message).toBe(`There is ${zwsp} before word 1, perhaps from copying and pasting. Delete everything before word 1.`);
    expect(problemOf(`${PASSPHRASE} \u200b`).message).toBe(`There is ${zwsp} after the last word, perhaps from copying and pasting. Delete everything after the last word.`);
    expect(problemOf(PASSPHRASE.replace('zoo act', 'zoo \u200b act')).message).toBe(
      `There is ${zwsp} between words 2 and 3, perhaps from copying and pasting. Delete what is between those words and type a space.`,
    );
    expect(problemOf(withWord(9, 'chu\u200bnk')).message).toBe(`Word 9 contains ${zwsp}, perhaps from copying and pasting. Delete the word and type it again.`);
  });

  it('counts only words, not invisible characters on their own, when saying where one is', () => {
    const parsed = problemOf(`alone \u200b zoo \u200c`);
    expect(parsed.problem).toEqual({ kind: 'invisible_character', position: 2, inWord: false, character: '\u200b', codePoint: 'U+200B' });
    expect(parsed.message).toContain('between words 1 and 2');
    expect(problemOf(`alone zoo \u200c \u200b`).message).toContain('after the last word');
  });

  it('names each kind of invisible character', () => {
    const names: [string, string][] = [
      ['\u061c', 'an Arabic letter mark'], ['\u180e', 'a Mongolian vowel separator'], ['\u200c', 'a zero-width non-joiner'], ['\u200d', 'a zero-width joiner'],
      ['\u200e', 'a left-to-right mark'], ['\u200f', 'a right-to-left mark'], ['\u2060', 'a word joiner'], ['\u034f', 'a combining grapheme joiner'],
      ['\u202a', 'a text direction control'], ['\u202e', 'a text direction control'], ['\u2066', 'a text direction control'], ['\u2069', 'a text direction control'],
      ['\ufe00', 'a variation selector'], ['\ufe0f', 'a variation selector'], ['\u{e0100}', 'a variation selector'], ['\u{e01ef}', 'a variation selector'],
      ['\u0001', 'a control character'], ['\u007f', 'a control character'],
      ['\u2061', 'an invisible formatting character'], ['\u{e01f0}', 'an invisible formatting character'], ['\u2065', 'an invisible formatting character'], ['\ufff0', 'an invisible formatting character'], ['\u{e0001}', 'an invisible formatting character'],
    ];
    for (const [character, name] of names) {
      const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      const parsed = problemOf(withWord(4, `len${character}gth`));
      expect(parsed.problem, codePoint).toEqual({ kind: 'invisible_character', position: 4, inWord: true, character, codePoint });
      expect(parsed.message, codePoint).toBe(`Word 4 contains an invisible character (${name}, ${codePoint}), perhaps from copying and pasting. Delete the word and type it again.`);
    }
  });

  it('about a letter from another script, saying which', () => {
    const cases: [string, string, string][] = [
      ['\u0430', 'U+0430', 'it may be a Cyrillic letter that looks the same'],
      ['\u03bf', 'U+03BF', 'it may be a Greek letter that looks the same'],
      ['\u0585', 'U+0585', 'it may be an Armenian letter that looks the same'],
      ['\u13a0', 'U+13A0', 'it may be a Cherokee letter that looks the same'],
      ['\u00f8', 'U+00F8', 'it is a letter from another language'],
      ['\u05d0', 'U+05D0', 'it is a letter from another alphabet'],
    ];
    for (const [character, codePoint, why] of cases) {
      const parsed = problemOf(withWord(2, `z${character}o`));
      expect(parsed.problem, codePoint).toEqual({ kind: 'foreign_character', position: 2, character, codePoint });
      expect(parsed.message, codePoint).toBe(`Word 2 (“z${character}o”) contains “${character}”, which is not a letter of the English alphabet (${why}). Type the word with English letters.`);
    }
  });
});

describe('splitting typed text into words', () => {
  it('splits on any run of whitespace or ASCII punctuation, and keeps a–z only', () => {
    expect(tokenisePassphrase(' Alone,zoo--ACT\t\n1length!@[`{~gentle ')).toEqual({ ok: true, words: ['alone', 'zoo', 'act', 'length', 'gentle'] });
    expect(tokenisePassphrase('')).toEqual({ ok: true, words: [] });
  });

  it('reads an accent a keyboard added as the letter under it, and a mark after a letter as nothing', () => {
    expect(tokenisePassphrase('Zoë ÀCT q\u0301e İn')).toEqual({ ok: true, words: ['zoe', 'act', 'qe', 'in'] });
  });

  it('refuses an accent with no letter under it at the start of a word', () => {
    expect(tokenisePassphrase('\u0301act')).toMatchObject({ ok: false, problem: { kind: 'foreign_character', position: 1, character: '\u0301' } });
  });
});
