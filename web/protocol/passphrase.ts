// Reporter passphrases: generated on the device, forgiving to type, checked on the device.
//
// Shape: 8 words drawn uniformly from the 2048-word BIP39 list (88 bits) plus one checksum
// word. The checksum lets the client say "a word is wrong" before anything is sent, which
// matters because a mistyped-but-valid word would otherwise look like "no such mailbox".
import { WORDLIST_EN } from './wordlist-en.js';
import { LABEL, PASSPHRASE_RANDOM_WORDS, PASSPHRASE_WORDS } from './labels.js';
import { blake2b, randomBelow } from './sodium.js';
import { concatBytes, utf8ToBytes } from './encoding.js';

const PREFIX_LENGTH = 4; // BIP39 English: the first four letters identify every word
const wordIndexByPrefix = new Map(WORDLIST_EN.map((word, index) => [word.slice(0, PREFIX_LENGTH), index]));

export type PassphraseProblem =
  | { kind: 'empty' }
  /** A visible character that is not a–z (nor an accented a–z letter) in word `position` (1-based). */
  | { kind: 'foreign_character'; position: number; character: string; codePoint: string }
  /**
   * A character that shows nothing (Cc other than whitespace, Cf, default-ignorable). `inWord`: it
   * is inside word `position`; otherwise it stands on its own just before word `position` (which
   * is the number of words + 1 when it comes after the last word).
   */
  | { kind: 'invisible_character'; position: number; inWord: boolean; character: string; codePoint: string }
  | { kind: 'word_count'; expected: number; found: number }
  | { kind: 'unknown_word'; position: number; typed: string; suggestion: string | null }
  | { kind: 'checksum'; };

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

// How typed text becomes words (PROTOCOL.md §5). The text is NFKC-normalised first, which turns
// full-width letters, ligatures, no-break and ideographic spaces into their plain forms. Words are
// then separated by any run of Unicode whitespace (White_Space) or of ASCII characters that are not
// letters (digits and punctuation such as - , . /), as before. Nothing else separates words, and
// nothing else is dropped: each word must then be made of a–z only, and the first character that is
// not is reported by name and position. An unseen character is never quietly removed, and a
// look-alike from another script (Cyrillic "а", Greek "ο") never splits or shortens a word into a
// different one ("аlone" used to read as "lone…", that is "lonely").
//
// Accented letters: a letter whose canonical decomposition (NFD) is one a–z letter plus combining
// marks (é, ñ, and İ, which lower-cases to i + U+0307) counts as that a–z letter, and so does a
// combining mark that follows an a–z letter (q + U+0301). The written-down words have only a–z, so
// an accent is something a keyboard added (autocorrect, a long press, a dead key on a French or
// Spanish layout), and the letter under it is the one the person meant. This cannot turn a word
// into a look-alike from another script, because the base must already be a–z; the word still goes
// through lookup and the checksum like any other; and it keeps accented input working as before.
// Letters whose base is not a–z are refused, even with an accent: Cyrillic й or ё, Greek ά, and
// Latin letters that are not an a–z letter with a mark (ø, ß, ı, ł) — these are other letters,
// not accented English ones.
const SEPARATORS = /[\p{White_Space}\x21-\x40\x5B-\x60\x7B-\x7E]+/u;
const ENGLISH_LETTER = /^[a-z]$/;
const ACCENTED_ENGLISH_LETTER = /^[a-z]\p{M}+$/u;
const MARK = /^\p{M}$/u;
// Characters that show nothing: controls (Cc; whitespace has already been taken out as a separator),
// format characters (Cf: zero-width space, soft hyphen, byte order mark, joiners, direction marks)
// and the other default-ignorable code points (variation selectors, combining grapheme joiner,
// Hangul fillers). Tested before MARK, so an invisible mark is reported, not taken as an accent.
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;
// Scripts with letters drawn like English ones, named in the message so the person knows why.
const LOOK_ALIKE_SCRIPTS: readonly [RegExp, string][] = [
  [/^\p{Script=Cyrillic}$/u, 'a Cyrillic'],
  [/^\p{Script=Greek}$/u, 'a Greek'],
  [/^\p{Script=Armenian}$/u, 'an Armenian'],
  [/^\p{Script=Cherokee}$/u, 'a Cherokee'],
];
const INVISIBLE_NAMES = new Map<number, string>([
  [0x00ad, 'a soft hyphen'],
  [0x034f, 'a combining grapheme joiner'],
  [0x061c, 'an Arabic letter mark'],
  [0x180e, 'a Mongolian vowel separator'],
  [0x200b, 'a zero-width space'],
  [0x200c, 'a zero-width non-joiner'],
  [0x200d, 'a zero-width joiner'],
  [0x200e, 'a left-to-right mark'],
  [0x200f, 'a right-to-left mark'],
  [0x2060, 'a word joiner'],
  [0xfeff, 'a byte order mark'],
]);

type Problem = { ok: false; problem: PassphraseProblem; message: string };
export type TokenisedPassphrase = { ok: true; words: string[] } | Problem;

/** "U+0430": how a code point is named in problems and messages. */
function codePointOf(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The a–z letter a character stands for, '' for a mark on an English letter, null if neither. */
function englishLetter(character: string, afterEnglishLetter: boolean): string | null {
  const lower = character.toLowerCase();
  if (ENGLISH_LETTER.test(lower)) return lower;
  if (MARK.test(character)) return afterEnglishLetter ? '' : null;
  const decomposed = lower.normalize('NFD');
  return ACCENTED_ENGLISH_LETTER.test(decomposed) ? decomposed[0]! : null;
}

function invisibleName(character: string): string {
  const codePoint = character.codePointAt(0)!;
  const named = INVISIBLE_NAMES.get(codePoint);
  if (named) return named;
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)) return 'a text direction control';
  if ((codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef)) return 'a variation selector';
  return /^\p{Cc}$/u.test(character) ? 'a control character' : 'an invisible formatting character';
}

function invisibleCharacter(position: number, inWord: boolean, character: string, wordCount: number): Problem {
  const codePoint = codePointOf(character);
  const what = `an invisible character (${invisibleName(character)}, ${codePoint})`;
  const cause = 'perhaps from copying and pasting';
  let message: string;
  if (inWord) message = `Word ${position} contains ${what}, ${cause}. Delete the word and type it again.`;
  else if (wordCount === 0) message = `There is ${what} but no words, ${cause}. Delete everything and type your passphrase.`;
  else if (position === 1) message = `There is ${what} before word 1, ${cause}. Delete everything before word 1.`;
  else if (position > wordCount) message = `There is ${what} after the last word, ${cause}. Delete everything after the last word.`;
  else message = `There is ${what} between words ${position - 1} and ${position}, ${cause}. Delete what is between those words and type a space.`;
  return { ok: false, problem: { kind: 'invisible_character', position, inWord, character, codePoint }, message };
}

function foreignCharacter(position: number, token: string, character: string): Problem {
  const codePoint = codePointOf(character);
  const problem: PassphraseProblem = { kind: 'foreign_character', position, character, codePoint };
  const start = `Word ${position} (“${token}”) contains “${character}”`;
  if (!/^\p{L}$/u.test(character)) {
    // Punctuation, symbols, digits of other scripts, a lone accent: may be hard to see, so named.
    return { ok: false, problem, message: `${start} (${codePoint}), which is not a letter of the English alphabet. Use only the letters a–z, with spaces between words.` };
  }
  const script = LOOK_ALIKE_SCRIPTS.find(([pattern]) => pattern.test(character))?.[1];
  const why = script ? `it may be ${script} letter that looks the same`
    : /^\p{Script=Latin}$/u.test(character) ? 'it is a letter from another language'
    : 'it is a letter from another alphabet';
  return { ok: false, problem, message: `${start}, which is not a letter of the English alphabet (${why}). Type the word with English letters.` };
}

/**
 * Split what a person typed into words of a–z (see the rules above): case, spacing and ASCII
 * punctuation between words do not matter; any other character is reported, first one first.
 */
export function tokenisePassphrase(typed: string): TokenisedPassphrase {
  const tokens = typed.normalize('NFKC').split(SEPARATORS).filter((token) => token.length > 0);
  const allInvisible = (token: string) => [...token].every((character) => INVISIBLE.test(character));
  const wordCount = tokens.filter((token) => !allInvisible(token)).length;
  const words: string[] = [];
  for (const token of tokens) {
    const position = words.length + 1;
    // Invisible characters standing on their own between words belong to no word: say where they are.
    if (allInvisible(token)) return invisibleCharacter(position, false, [...token][0]!, wordCount);
    let word = '';
    for (const character of token) {
      if (INVISIBLE.test(character)) return invisibleCharacter(position, true, character, wordCount);
      const letter = englishLetter(character, word.length > 0);
      if (letter === null) return foreignCharacter(position, token, character);
      word += letter;
    }
    words.push(word);
  }
  return { ok: true, words };
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
