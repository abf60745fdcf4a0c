// How typed text becomes passphrase words: the one normalisation (docs/SPEC.md "Passphrase"),
// used to open a mailbox and by the confirmation step alike. No word list and no crypto here,
// so the reporter's page can use it without loading either.

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

