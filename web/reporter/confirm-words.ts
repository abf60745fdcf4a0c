// The confirmation step's word check, read by the passphrase's own rules (tokenisePassphrase):
// case, spaces and punctuation do not matter, the first four letters of a word are enough, and
// what the mailbox would refuse (a look-alike letter, an invisible character) does not match here
// either, so a copy that would not open the mailbox is caught now.
import { tokenisePassphrase } from '../protocol/passphrase-text.js';

const PREFIX_LENGTH = 4;

export function wordMatches(typed: string, word: string): boolean {
  const read = tokenisePassphrase(typed);
  if (!read.ok || read.words.length !== 1) return false;
  const token = read.words[0]!;
  return token === word || (token.length >= PREFIX_LENGTH && word.startsWith(token));
}

/** Three different word positions (1-based, ascending), chosen with the CSPRNG. */
export function positionsToConfirm(wordCount: number, howMany = 3): number[] {
  const positions = new Set<number>();
  const random = new Uint32Array(1);
  while (positions.size < howMany) {
    crypto.getRandomValues(random);
    positions.add((random[0]! % wordCount) + 1); // bias is irrelevant here: this is not a secret
  }
  return [...positions].sort((a, b) => a - b);
}
