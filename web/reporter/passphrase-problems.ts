// What is wrong with a typed passphrase, in the page's language. The protocol's parser
// (web/protocol/passphrase.ts) finds the problem and says it in English; the page says it
// from the catalogue instead, from the same facts (which word, which character).
import type { PassphraseProblem } from '../protocol/passphrase.js';
import { t } from '../i18n/i18n.js';

/** The invisible characters the parser names, by code point; the catalogue words each one. */
const INVISIBLE_NAMES = new Map<number, string>([
  [0x00ad, 'softHyphen'],
  [0x034f, 'graphemeJoiner'],
  [0x061c, 'arabicLetterMark'],
  [0x180e, 'mongolianVowelSeparator'],
  [0x200b, 'zeroWidthSpace'],
  [0x200c, 'zeroWidthNonJoiner'],
  [0x200d, 'zeroWidthJoiner'],
  [0x200e, 'leftToRightMark'],
  [0x200f, 'rightToLeftMark'],
  [0x2060, 'wordJoiner'],
  [0xfeff, 'byteOrderMark'],
]);

function invisibleName(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const named = INVISIBLE_NAMES.get(codePoint);
  if (named) return t('check.invisibleName', { name: named });
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)) return t('check.invisibleName', { name: 'directionControl' });
  if ((codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef)) return t('check.invisibleName', { name: 'variationSelector' });
  return t('check.invisibleName', { name: /^\p{Cc}$/u.test(character) ? 'control' : 'other' });
}

/** Which look-alike script a letter is from, as the catalogue's `why` choice names it. */
function letterOrigin(character: string): string {
  if (/^\p{Script=Cyrillic}$/u.test(character)) return 'cyrillic';
  if (/^\p{Script=Greek}$/u.test(character)) return 'greek';
  if (/^\p{Script=Armenian}$/u.test(character)) return 'armenian';
  if (/^\p{Script=Cherokee}$/u.test(character)) return 'cherokee';
  if (/^\p{Script=Latin}$/u.test(character)) return 'latin';
  return 'other';
}

/**
 * The typed text split as the parser splits it (its SEPARATORS and INVISIBLE): the problem gives a
 * word's position only, and the words are needed to quote one and to say where an invisible
 * character stands.
 */
function typedTokens(typed: string): { tokens: string[]; wordCount: number } {
  const tokens = typed.normalize('NFKC').split(/[\p{White_Space}\x21-\x40\x5B-\x60\x7B-\x7E]+/u).filter((token) => token.length > 0);
  const invisible = /^[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;
  return { tokens, wordCount: tokens.filter((token) => ![...token].every((character) => invisible.test(character))).length };
}

export function passphraseProblemMessage(problem: PassphraseProblem, typed: string): string {
  const { tokens, wordCount } = typedTokens(typed);
  switch (problem.kind) {
    case 'empty':
      return t('check.empty');
    case 'word_count':
      return t('check.wordCount', { expected: problem.expected, found: problem.found });
    case 'unknown_word':
      return problem.suggestion
        ? t('check.unknownWordSuggestion', { position: problem.position, typed: problem.typed, suggestion: problem.suggestion })
        : t('check.unknownWord', { position: problem.position, typed: problem.typed });
    case 'checksum':
      return t('check.checksum');
    case 'foreign_character': {
      const values = { position: problem.position, typed: tokens[problem.position - 1] ?? '', character: problem.character, codePoint: problem.codePoint };
      if (!/^\p{L}$/u.test(problem.character)) return t('check.foreignSymbol', values);
      return t('check.foreignLetter', { ...values, why: letterOrigin(problem.character) });
    }
    case 'invisible_character': {
      const values = { position: problem.position, name: invisibleName(problem.character), codePoint: problem.codePoint };
      if (problem.inWord) return t('check.invisible.inWord', values);
      if (wordCount === 0) return t('check.invisible.noWords', values);
      if (problem.position === 1) return t('check.invisible.beforeFirst', values);
      if (problem.position > wordCount) return t('check.invisible.afterLast', values);
      return t('check.invisible.between', { ...values, before: problem.position - 1 });
    }
  }
}
