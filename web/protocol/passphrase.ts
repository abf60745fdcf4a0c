// Reporter passphrases: generated on the device, forgiving to type, checked on the device.
//
// Shape: 8 words drawn uniformly from the 2048-word BIP39 list (88 bits) plus one checksum
// word. The checksum lets the client say "a word is wrong" before anything is sent, which
// matters because a mistyped-but-valid word would otherwise look like "no such mailbox".
import { WORDLIST_EN } from './wordlist-en.js';
import { LABEL, PASSPHRASE_RANDOM_WORDS, PASSPHRASE_WORDS } from './labels.js';
import { blake2b, randomBelow } from './sodium.js';
import { concatBytes, utf8ToBytes } from './encoding.js';
import { tokenisePassphrase, type PassphraseProblem } from './passphrase-text.js';

export { tokenisePassphrase, type PassphraseProblem, type TokenisedPassphrase } from './passphrase-text.js';

const PREFIX_LENGTH = 4; // BIP39 English: the first four letters identify every word
const wordIndexByPrefix = new Map(WORDLIST_EN.map((word, index) => [word.slice(0, PREFIX_LENGTH), index]));

export type ParsedPassphrase =
  | { ok: true; words: string[]; normalised: string }
  | { ok: false; problem: PassphraseProblem; message: string };

function checksumIndex(randomIndices: readonly number[]): number {
  const packed = new Uint8Array(randomIndices.length * 2);
  randomIndices.forEach((index, i) => {
    packed[i * 2] = index >> 8;
    packed[i * 2 + 1] = index & 0xff;
  });
  const digest = blake2b(32, concatBytes(utf8ToBytes(LABEL.passphraseChecksum), packed));
  return ((digest[0]! << 3) | (digest[1]! >> 5)) & 0x7ff;
}

/** A fresh passphrase from the CSPRNG: words joined by single spaces. */
export function generatePassphrase(): string {
  const indices = Array.from({ length: PASSPHRASE_RANDOM_WORDS }, () => randomBelow(WORDLIST_EN.length));
  return passphraseFromIndices(indices);
}

/** Deterministic construction, exposed for test vectors. */
export function passphraseFromIndices(randomIndices: readonly number[]): string {
  if (randomIndices.length !== PASSPHRASE_RANDOM_WORDS) throw new RangeError('need 8 word indices');
  if (!randomIndices.every((i) => Number.isInteger(i) && i >= 0 && i < WORDLIST_EN.length)) throw new RangeError('word index out of range');
  return [...randomIndices, checksumIndex(randomIndices)].map((i) => WORDLIST_EN[i]).join(' ');
}

function lookupWord(token: string): number | undefined {
  const index = wordIndexByPrefix.get(token.slice(0, PREFIX_LENGTH));
  if (index === undefined) return undefined;
  // Accept a full word or any prefix of at least four letters (short words must be whole).
  const word = WORDLIST_EN[index]!;
  const isPrefix = word.startsWith(token) && (token.length >= PREFIX_LENGTH || token === word);
  return isPrefix ? index : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function suggestWord(token: string): string | null {
  // The first four letters name a word uniquely: if they match one, that is the word meant.
  const byPrefix = wordIndexByPrefix.get(token.slice(0, PREFIX_LENGTH));
  if (byPrefix !== undefined && token.length >= PREFIX_LENGTH) return WORDLIST_EN[byPrefix]!;
  let best: string | null = null;
  let bestDistance = 3; // further than two edits is a guess, not a suggestion
  for (const word of WORDLIST_EN) {
    const distance = editDistance(token, word);
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Parse typed input into the canonical passphrase, or explain what is wrong in words a
 * person can act on. Runs entirely on the device; nothing is sent on failure.
 */
export function parsePassphrase(typed: string): ParsedPassphrase {
  const read = tokenisePassphrase(typed);
  if (!read.ok) return read;
  const tokens = read.words;
  if (tokens.length === 0) return { ok: false, problem: { kind: 'empty' }, message: 'Enter your passphrase.' };
  if (tokens.length !== PASSPHRASE_WORDS) {
    return {
      ok: false,
      problem: { kind: 'word_count', expected: PASSPHRASE_WORDS, found: tokens.length },
      message: `A passphrase has ${PASSPHRASE_WORDS} words; you entered ${tokens.length}.`,
    };
  }
  const indices: number[] = [];
  for (const [i, token] of tokens.entries()) {
    const index = lookupWord(token);
    if (index === undefined) {
      const suggestion = suggestWord(token);
      const hint = suggestion ? ` Did you mean “${suggestion}”?` : '';
      return {
        ok: false,
        problem: { kind: 'unknown_word', position: i + 1, typed: token, suggestion },
        message: `Word ${i + 1} (“${token}”) is not one of the passphrase words.${hint}`,
      };
    }
    indices.push(index);
  }
  if (checksumIndex(indices.slice(0, PASSPHRASE_RANDOM_WORDS)) !== indices[PASSPHRASE_RANDOM_WORDS]) {
    return {
      ok: false,
      problem: { kind: 'checksum' },
      message: 'Every word is valid, but they do not fit together. Check the order, and that each word is the one you were given.',
    };
  }
  const words = indices.map((i) => WORDLIST_EN[i]!);
  return { ok: true, words, normalised: words.join(' ') };
}
