// The confirmation step's word check, as forgiving as the passphrase itself: case, spaces
// and punctuation do not matter, and the first four letters of a word are enough.
const PREFIX_LENGTH = 4;

export function wordMatches(typed: string, word: string): boolean {
  const token = typed.normalize('NFKC').toLowerCase().replace(/[^a-z]/g, '');
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
