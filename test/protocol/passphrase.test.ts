// Reporter passphrases through the public API: shape and entropy, uniform word choice,
// forgiving input (case, spacing, punctuation, prefixes, accents), problems a person can act on,
// and characters that must never be dropped or read as something else (look-alikes, invisibles).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytesToB64, deriveMailboxKeys, generatePassphrase, parsePassphrase, passphraseFromIndices, ProtocolError, randomBytes,
  sodiumReady, PASSPHRASE_WORDS, type KdfParams, type ParsedPassphrase,
} from '../../web/protocol/index.js';

/** Cheap Argon2id, passed explicitly: these tests are about the passphrase, not the KDF's cost. */
const CHEAP_KDF: KdfParams = { opsLimit: 1, memLimitBytes: 65536 };
const LIST_SIZE = 2048; // the BIP39 English list
/**
 * "alone zoo act length gentle romance insect poet chunk": with "alone" typed as "аlone" (Cyrillic а),
 * a parser that drops the а reads "lone", that is "lonely", and these words with "lonely" in place of
 * "alone" happen to pass the checksum too: a different, valid passphrase, so different keys.
 */
const LOOK_ALIKE_PASSPHRASE = 'alone zoo act length gentle romance insect poet chunk';
const LOOK_ALIKE_INDICES = [55, 2047, 19, 1024, 777, 1500, 936, 1337];

/** The shipped word list, recovered through the public API: word i leads passphraseFromIndices([i, …]). */
let words: string[] = [];
let indexOf = new Map<string, number>();

beforeAll(async () => {
  await sodiumReady();
  words = Array.from({ length: LIST_SIZE }, (_, i) => passphraseFromIndices([i, 0, 0, 0, 0, 0, 0, 0]).split(' ')[0]!);
  indexOf = new Map(words.map((w, i) => [w, i]));
});

function problemOf(typed: string) {
  const parsed = parsePassphrase(typed);
  if (parsed.ok) throw new Error(`expected a problem, but ${JSON.stringify(typed)} parsed`);
  return parsed;
}

function normalisedOf(typed: string): string {
  const parsed: ParsedPassphrase = parsePassphrase(typed);
  if (!parsed.ok) throw new Error(`${JSON.stringify(typed)} did not parse: ${parsed.message}`);
  return parsed.normalised;
}

describe('the word list', () => {
  it('has 2048 distinct lower-case words, each identified by its first four letters', () => {
    expect(new Set(words).size).toBe(LIST_SIZE);
    expect(words.every((w) => /^[a-z]{3,8}$/.test(w))).toBe(true);
    expect(new Set(words.map((w) => w.slice(0, 4))).size).toBe(LIST_SIZE);
  });
});

describe('generatePassphrase', () => {
  it('gives nine words from the list that parse back to the same passphrase', () => {
    for (let i = 0; i < 200; i++) {
      const passphrase = generatePassphrase();
      const parts = passphrase.split(' ');
      expect(parts).toHaveLength(PASSPHRASE_WORDS);
      expect(parts.every((w) => indexOf.has(w))).toBe(true);
      expect(normalisedOf(passphrase)).toBe(passphrase);
    }
  });

  it('carries 88 bits: eight free words of 11 bits, the ninth fixed by the other eight', () => {
    // Eight free positions: any of the 2048 words may stand in each, and the result is a valid passphrase.
    expect(new Set(words).size).toBe(2048);
    const indices = generatePassphrase().split(' ').slice(0, 8).map((w) => words.indexOf(w));
    for (let position = 0; position < 8; position++) {
      for (const index of [0, 1, 1024, 2047, Math.floor(Math.random() * 2048)]) {
        const chosen = [...indices];
        chosen[position] = index;
        const parsed = parsePassphrase(passphraseFromIndices(chosen));
        expect(parsed.ok && parsed.normalised.split(' ')[position]).toBe(words[index]);
      }
    }
    expect(generatePassphrase().split(' ')).toHaveLength(PASSPHRASE_WORDS);
    // The checksum word adds no entropy: of all 2048 possible last words, exactly one parses.
    const firstEight = generatePassphrase().split(' ').slice(0, 8).join(' ');
    const valid = words.filter((last) => parsePassphrase(`${firstEight} ${last}`).ok);
    expect(valid).toHaveLength(1);
  });

  // Pearson's chi-square over 2048 bins (2047 degrees of freedom: mean 2047, sd √4094 ≈ 64);
  // the bound is mean + 6 sd, so an unbiased generator fails it about once in 10^8 runs.
  // It catches gross bias: a value from a range that is not a multiple of 2048 reduced mod 2048,
  // an index scaled from one byte, a skewed or truncated list. (2^16 mod 2048 = 0, so a 16-bit
  // value mod 2048 has no bias to catch; sub-percent biases would need millions of draws.)
  const DRAWS = 80_000;
  const CHI_SQUARE_BOUND = 2047 + 6 * Math.sqrt(2 * 2047);
  function chiSquare(counts: readonly number[]): number {
    const expected = counts.reduce((a, b) => a + b, 0) / counts.length;
    return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
  }

  it('draws every word, uniformly', () => {
    const counts = new Array<number>(LIST_SIZE).fill(0);
    for (let i = 0; i < DRAWS / 8; i++) {
      for (const word of generatePassphrase().split(' ').slice(0, 8)) counts[indexOf.get(word)!]!++;
    }
    expect(counts.every((c) => c > 0)).toBe(true); // expected ≈ 39 each: a never-drawn word is a bug
    expect(chiSquare(counts)).toBeLessThan(CHI_SQUARE_BOUND);
  });

  it('has a uniformity bound that rejects modulo bias', () => {
    // The classic mistake: a value in [0, 3000) reduced mod 2048 makes the first 952 words twice as likely.
    const source = randomBytes(2 * DRAWS);
    const counts = new Array<number>(LIST_SIZE).fill(0);
    for (let i = 0; i < DRAWS; i++) counts[(((source[2 * i]! << 8) | source[2 * i + 1]!) % 3000) % LIST_SIZE]!++;
    expect(chiSquare(counts)).toBeGreaterThan(CHI_SQUARE_BOUND);
  });
});

describe('typing is forgiving', () => {
  // ASCII punctuation as before, and Unicode whitespace: no-break, ideographic, em and thin spaces, line separator.
  const separators = [' ', '  ', '\t', '\n', '-', ', ', '. ', ' / ', '\u00a0', '\u3000', '\u2003', '\u2009', '\u2028', '\r\n'];

  it('ignores case, spacing and punctuation, and accepts any prefix of four or more letters', () => {
    const typedWord = fc.record({ letters: fc.integer({ min: 4, max: 8 }), style: fc.constantFrom('lower', 'upper', 'capital') });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: LIST_SIZE - 1 }), { minLength: 8, maxLength: 8 }),
        fc.array(typedWord, { minLength: 9, maxLength: 9 }),
        fc.array(fc.constantFrom(...separators), { minLength: 10, maxLength: 10 }),
        (indices, styles, seps) => {
          const passphrase = passphraseFromIndices(indices);
          const typed = passphrase.split(' ').map((word, i) => {
            const { letters, style } = styles[i]!;
            const cut = word.slice(0, letters); // short words stay whole: they have no shorter prefix
            const styled = style === 'upper' ? cut.toUpperCase() : style === 'capital' ? cut[0]!.toUpperCase() + cut.slice(1) : cut;
            return `${seps[i]!}${styled}`;
          });
          expect(normalisedOf(`${typed.join('')}${seps[9]!}`)).toBe(passphrase);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts full-width letters (NFKC), as some phone keyboards type them', () => {
    const passphrase = passphraseFromIndices([1, 2, 3, 4, 5, 6, 7, 8]);
    const fullWidth = [...passphrase].map((ch) => (ch === ' ' ? '　' : String.fromCodePoint(ch.codePointAt(0)! - 0x61 + 0xff41))).join('');
    expect(normalisedOf(fullWidth)).toBe(passphrase);
    // Full-width punctuation between words is ASCII punctuation after NFKC, so it separates as before.
    expect(normalisedOf(passphrase.split(' ').join('，'))).toBe(passphrase);
    expect(normalisedOf(passphrase.split(' ').join('－'))).toBe(passphrase);
  });

  it('reads a–z letters with accents a keyboard added as the plain letter, and refuses accents on any other letter', () => {
    const passphrase = LOOK_ALIKE_PASSPHRASE;
    const accented = [
      'alóne zoo act léngth gentle romañce insect poet chunk', // precomposed
      'a\u0301lone zoo\u0308 act length gentle romance insect poet chunk', // combining marks that NFKC composes (á, ö)
      'alone zoo act length gentle romance insect poet ch\u0332unk\u0338', // marks with no precomposed form: NFKC leaves them apart
      'ALONE ZOO ACT LENGTH GENTLE ROMANCE İNSECT POET CHUNK', // İ lower-cases to i + U+0307
    ];
    for (const typed of accented) expect(normalisedOf(typed), typed).toBe(passphrase);
    // An accent on a letter that is not a–z leaves it that other letter: named, not stripped.
    const refused: [number, string, string, string][] = [
      [4, 'l\u0451ngth', 'ё', 'U+0451'], // Cyrillic io (е + diaeresis): used to lose the accent and split the word
      [2, 'zo\u03cc', 'ό', 'U+03CC'], // Greek omicron with tonos
      [7, '\u0439nsect', 'й', 'U+0439'], // Cyrillic short i (и + breve)
    ];
    for (const [position, word, character, codePoint] of refused) {
      const typed = passphrase.split(' ').map((w, i) => (i === position - 1 ? word : w)).join(' ');
      expect(problemOf(typed).problem, word).toEqual({ kind: 'foreign_character', position, character, codePoint });
    }
  });

  it('derives the same mailbox keys from every way of typing it, and different keys from another passphrase', () => {
    const passphrase = passphraseFromIndices([10, 20, 30, 40, 50, 60, 70, 80]);
    const salt = randomBytes(16);
    const locator = (typed: string) => bytesToB64(deriveMailboxKeys(typed, salt, CHEAP_KDF).locator);
    const prefixes = passphrase.split(' ').map((w) => w.slice(0, 4).toUpperCase()).join('  ');
    expect(locator(prefixes)).toBe(locator(passphrase));
    expect(locator(passphraseFromIndices([11, 20, 30, 40, 50, 60, 70, 80]))).not.toBe(locator(passphrase));
  });

  it('does not guess from fewer than four letters, or from a word with letters added', () => {
    const parts = passphraseFromIndices([0, 19, 2, 3, 4, 5, 6, 7]).split(' '); // word 2 is "act"
    expect(parts[1]).toBe('act');
    const withWord = (position: number, token: string) => parts.map((w, i) => (i === position ? token : w)).join(' ');
    expect(problemOf(withWord(0, 'aba')).problem).toMatchObject({ kind: 'unknown_word', position: 1, typed: 'aba' });
    expect(problemOf(withWord(1, 'ac')).problem).toMatchObject({ kind: 'unknown_word', position: 2, typed: 'ac' });
    expect(problemOf(withWord(0, 'abandons')).problem).toEqual({ kind: 'unknown_word', position: 1, typed: 'abandons', suggestion: 'abandon' });
  });
});

describe('problems are explained before anything is sent', () => {
  const passphrase = () => passphraseFromIndices([100, 200, 300, 400, 500, 600, 700, 800]);

  it('names an unknown word, its position and the nearest word', () => {
    const parts = passphrase().split(' ');
    const intended = parts[4]!;
    expect(intended).toBe('direct');
    const typo = 'direvt'; // one neighbouring key hit
    const parsed = problemOf(parts.map((w, i) => (i === 4 ? typo : w)).join(' '));
    expect(parsed.problem).toEqual({ kind: 'unknown_word', position: 5, typed: typo, suggestion: intended });
    expect(parsed.message).toContain('Word 5');
    expect(parsed.message).toContain(typo);
    expect(parsed.message).toContain(`Did you mean “${intended}”?`);
  });

  it('reports the first unknown word, and offers no guess for gibberish', () => {
    const parts = passphrase().split(' ');
    const parsed = problemOf(parts.map((w, i) => (i === 2 ? 'qqqqqqqq' : i === 6 ? 'zzzzzz' : w)).join(' '));
    expect(parsed.problem).toEqual({ kind: 'unknown_word', position: 3, typed: 'qqqqqqqq', suggestion: null });
    expect(parsed.message).not.toContain('Did you mean');
  });

  it('says how many words were expected and how many were typed', () => {
    const parts = passphrase().split(' ');
    for (const typed of [parts.slice(0, 8), [...parts, 'abandon']]) {
      const parsed = problemOf(typed.join(' '));
      expect(parsed.problem).toEqual({ kind: 'word_count', expected: 9, found: typed.length });
      expect(parsed.message).toContain(`${PASSPHRASE_WORDS} words`);
      expect(parsed.message).toContain(`you entered ${typed.length}`);
    }
  });

  it('catches valid words in the wrong order with the checksum', () => {
    const parts = passphrase().split(' ');
    const swapped = [parts[1], parts[0], ...parts.slice(2)].join(' ');
    expect(problemOf(swapped).problem).toEqual({ kind: 'checksum' });
  });

  it('asks for the passphrase when nothing was typed', () => {
    expect(problemOf(' \n\t ').problem).toEqual({ kind: 'empty' });
  });

  it('derives no keys from a passphrase with a problem', () => {
    const parts = passphrase().split(' ');
    const swapped = [parts[1], parts[0], ...parts.slice(2)].join(' ');
    expect(() => deriveMailboxKeys(swapped, randomBytes(16), CHEAP_KDF)).toThrow(ProtocolError);
    expect(() => deriveMailboxKeys(swapped, randomBytes(16), CHEAP_KDF)).toThrow(/do not fit together/);
  });
});

describe('look-alike letters are named, never dropped or read as another word', () => {
  const withWord = (position: number, word: string) => LOOK_ALIKE_PASSPHRASE.split(' ').map((w, i) => (i === position - 1 ? word : w)).join(' ');

  it('refuses a Cyrillic а in "alone", naming U+0430, instead of reading "lonely"', () => {
    // The danger is real: without the а these words are another valid passphrase.
    expect(passphraseFromIndices(LOOK_ALIKE_INDICES)).toBe(LOOK_ALIKE_PASSPHRASE);
    expect(normalisedOf(LOOK_ALIKE_PASSPHRASE.replace('alone', 'lone'))).toBe(LOOK_ALIKE_PASSPHRASE.replace('alone', 'lonely'));
    const parsed = problemOf(withWord(1, '\u0430lone'));
    expect(parsed.problem).toEqual({ kind: 'foreign_character', position: 1, character: 'а', codePoint: 'U+0430' });
    expect(parsed.message).toBe('Word 1 (“аlone”) contains “а”, which is not a letter of the English alphabet (it may be a Cyrillic letter that looks the same). Type the word with English letters.');
    // Capital letters are named as typed.
    expect(problemOf(withWord(1, '\u0410LONE')).problem).toEqual({ kind: 'foreign_character', position: 1, character: 'А', codePoint: 'U+0410' });
  });

  it('derives no keys from a passphrase with a look-alike letter', () => {
    expect(() => deriveMailboxKeys(withWord(1, '\u0430lone'), randomBytes(16), CHEAP_KDF)).toThrow(/Cyrillic/);
  });

  it('refuses a Greek omicron, naming U+03BF', () => {
    const parsed = problemOf(withWord(8, 'p\u03bfet'));
    expect(parsed.problem).toEqual({ kind: 'foreign_character', position: 8, character: 'ο', codePoint: 'U+03BF' });
    expect(parsed.message).toContain('Word 8 (“pοet”) contains “ο”');
    expect(parsed.message).toContain('it may be a Greek letter that looks the same');
  });

  it('refuses Latin letters that are not a–z, and letters of other alphabets', () => {
    for (const [position, word, character, codePoint, why] of [
      [7, '\u0131nsect', 'ı', 'U+0131', 'a letter from another language'], // dotless i
      [2, 'z\u00f8o', 'ø', 'U+00F8', 'a letter from another language'],
      [3, 'a\u00dft', 'ß', 'U+00DF', 'a letter from another language'],
      [3, '\u0561ct', 'ա', 'U+0561', 'an Armenian letter that looks the same'],
      [9, 'chun\u05db', 'כ', 'U+05DB', 'a letter from another alphabet'],
    ] as const) {
      const parsed = problemOf(withWord(position, word));
      expect(parsed.problem, word).toEqual({ kind: 'foreign_character', position, character, codePoint });
      expect(parsed.message, word).toContain(why);
    }
  });

  it('does not take non-ASCII punctuation, symbols or digits for a space: a symbol drawn like a letter stays in its word', () => {
    // ℮ (U+212E, a symbol) before "lone" used to be dropped as punctuation, reading "lonely" again.
    const symbol = problemOf(withWord(1, '\u212elone'));
    expect(symbol.problem).toEqual({ kind: 'foreign_character', position: 1, character: '℮', codePoint: 'U+212E' });
    expect(symbol.message).toBe('Word 1 (“℮lone”) contains “℮” (U+212E), which is not a letter of the English alphabet. Use only the letters a–z, with spaces between words.');
    expect(problemOf(LOOK_ALIKE_PASSPHRASE.replace(' ', '\u2014')).problem).toEqual({ kind: 'foreign_character', position: 1, character: '—', codePoint: 'U+2014' });
    expect(problemOf(withWord(2, 'z\u0660o')).problem).toEqual({ kind: 'foreign_character', position: 2, character: '٠', codePoint: 'U+0660' });
    // A combining mark with no a–z letter under it.
    expect(problemOf(LOOK_ALIKE_PASSPHRASE.replace(' zoo', ' \u0301zoo')).problem).toEqual({ kind: 'foreign_character', position: 2, character: '\u0301', codePoint: 'U+0301' });
  });

  it('names a look-alike wherever it is put into any passphrase', () => {
    const lookAlikes: Record<string, string> = { a: '\u0430', c: '\u0441', e: '\u0435', o: '\u043e', p: '\u0440', x: '\u0445', y: '\u0443', i: '\u0456', s: '\u0455' };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: LIST_SIZE - 1 }), { minLength: 8, maxLength: 8 }), fc.nat(), (indices, pick) => {
        const parts = passphraseFromIndices(indices).split(' ');
        const spots = parts.flatMap((w, wi) => [...w].flatMap((c, ci) => (lookAlikes[c] ? [[wi, ci] as const] : [])));
        fc.pre(spots.length > 0);
        const [wi, ci] = spots[pick % spots.length]!;
        const character = lookAlikes[parts[wi]![ci]!]!;
        parts[wi] = parts[wi]!.slice(0, ci) + character + parts[wi]!.slice(ci + 1);
        expect(parsePassphrase(parts.join(' '))).toMatchObject({ ok: false, problem: { kind: 'foreign_character', position: wi + 1, character } });
      }),
      { numRuns: 300 },
    );
  });
});

describe('invisible characters are named, never dropped or taken for a space', () => {
  const withWord = (position: number, word: string) => LOOK_ALIKE_PASSPHRASE.split(' ').map((w, i) => (i === position - 1 ? word : w)).join(' ');

  it('finds a zero-width space inside a word', () => {
    const parsed = problemOf(withWord(6, 'rom\u200bance'));
    expect(parsed.problem).toEqual({ kind: 'invisible_character', position: 6, inWord: true, character: '\u200b', codePoint: 'U+200B' });
    expect(parsed.message).toBe('Word 6 contains an invisible character (a zero-width space, U+200B), perhaps from copying and pasting. Delete the word and type it again.');
  });

  it('finds a zero-width space between words, on its own or joining two words', () => {
    const alone = problemOf(LOOK_ALIKE_PASSPHRASE.replace('alone ', 'alone \u200b '));
    expect(alone.problem).toEqual({ kind: 'invisible_character', position: 2, inWord: false, character: '\u200b', codePoint: 'U+200B' });
    expect(alone.message).toContain('between words 1 and 2');
    const joining = problemOf(LOOK_ALIKE_PASSPHRASE.replace('alone ', 'alone\u200b'));
    expect(joining.problem).toEqual({ kind: 'invisible_character', position: 1, inWord: true, character: '\u200b', codePoint: 'U+200B' });
  });

  it('finds a soft hyphen', () => {
    const parsed = problemOf(withWord(5, 'gen\u00adtle'));
    expect(parsed.problem).toEqual({ kind: 'invisible_character', position: 5, inWord: true, character: '\u00ad', codePoint: 'U+00AD' });
    expect(parsed.message).toContain('a soft hyphen, U+00AD');
  });

  it('finds a byte order mark at the start, against the first word or on its own', () => {
    expect(problemOf(`\ufeff${LOOK_ALIKE_PASSPHRASE}`).problem).toEqual({ kind: 'invisible_character', position: 1, inWord: true, character: '\ufeff', codePoint: 'U+FEFF' });
    const before = problemOf(`\ufeff ${LOOK_ALIKE_PASSPHRASE}`);
    expect(before.problem).toEqual({ kind: 'invisible_character', position: 1, inWord: false, character: '\ufeff', codePoint: 'U+FEFF' });
    expect(before.message).toBe('There is an invisible character (a byte order mark, U+FEFF) before word 1, perhaps from copying and pasting. Delete everything before word 1.');
  });

  it('finds one after the last word, and says so when there are no words at all', () => {
    const after = problemOf(`${LOOK_ALIKE_PASSPHRASE} \u200d\n`);
    expect(after.problem).toEqual({ kind: 'invisible_character', position: 10, inWord: false, character: '\u200d', codePoint: 'U+200D' });
    expect(after.message).toContain('after the last word');
    const nothingElse = problemOf(' \u200b ');
    expect(nothingElse.problem).toEqual({ kind: 'invisible_character', position: 1, inWord: false, character: '\u200b', codePoint: 'U+200B' });
    expect(nothingElse.message).toContain('but no words');
  });

  it('finds invisible marks and controls that an accent rule could otherwise swallow', () => {
    for (const [character, codePoint] of [
      ['\u034f', 'U+034F'], // combining grapheme joiner (a mark, but default-ignorable)
      ['\ufe0f', 'U+FE0F'], // variation selector
      ['\u200e', 'U+200E'], // left-to-right mark
      ['\u2060', 'U+2060'], // word joiner
      ['\u0000', 'U+0000'], // NUL, a control that is not whitespace
    ] as const) {
      expect(problemOf(withWord(1, `al${character}one`)).problem, codePoint).toEqual({ kind: 'invisible_character', position: 1, inWord: true, character, codePoint });
    }
  });

  it('names an invisible character wherever it is put into any passphrase', () => {
    const invisibles = ['\u200b', '\u200c', '\u200d', '\u00ad', '\ufeff', '\u2060', '\u034f', '\u180e', '\u202e'];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: LIST_SIZE - 1 }), { minLength: 8, maxLength: 8 }), fc.nat(), fc.constantFrom(...invisibles),
        (indices, pick, character) => {
          const passphrase = passphraseFromIndices(indices);
          const at = pick % (passphrase.length + 1);
          const parsed = parsePassphrase(passphrase.slice(0, at) + character + passphrase.slice(at));
          expect(parsed).toMatchObject({ ok: false, problem: { kind: 'invisible_character', character } });
        },
      ),
      { numRuns: 300 },
    );
  });
});
