// Reporter passphrases through the public API: shape and entropy, uniform word choice,
// forgiving input (case, spacing, punctuation, prefixes) and problems a person can act on.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytesToB64, deriveMailboxKeys, generatePassphrase, parsePassphrase, passphraseFromIndices, ProtocolError, randomBytes,
  sodiumReady, PASSPHRASE_WORDS, type KdfParams, type ParsedPassphrase,
} from '../../web/protocol/index.js';

/** Cheap Argon2id, passed explicitly: these tests are about the passphrase, not the KDF's cost. */
const CHEAP_KDF: KdfParams = { opsLimit: 1, memLimitBytes: 65536 };
const LIST_SIZE = 2048; // the BIP39 English list

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
    expect(PASSPHRASE_WORDS).toBe(9);
    expect((PASSPHRASE_WORDS - 1) * Math.log2(LIST_SIZE)).toBe(88);
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
  const separators = [' ', '  ', '\t', '\n', '-', ', ', '. ', ' / '];

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
