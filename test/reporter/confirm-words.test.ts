// The confirmation step checks the words a reporter wrote down by the same rules the mailbox
// uses to read them (docs/SPEC.md "Passphrase"), so a copy that would not open it is caught here.
import { describe, expect, it } from 'vitest';
import { wordMatches } from '../../web/reporter/confirm-words.js';

describe('checking a written-down word', () => {
  it('forgives case, spacing, punctuation and a four-letter start, as the mailbox does', () => {
    expect(wordMatches('  Lonely! ', 'lonely')).toBe(true);
    expect(wordMatches('LONE', 'lonely')).toBe(true);
    expect(wordMatches('lonély', 'lonely')).toBe(true); // an accent a keyboard added
    expect(wordMatches('lon', 'lonely')).toBe(false); // three letters name no word
    expect(wordMatches('lovely', 'lonely')).toBe(false);
  });

  it('does not take a look-alike letter or a hidden character the mailbox would refuse', () => {
    expect(wordMatches('\u0430lone', 'lonely')).toBe(false); // Cyrillic а: once read as "lone…", that is "lonely"
    expect(wordMatches('lon\u200bely', 'lonely')).toBe(false); // a zero-width space inside the word
    expect(wordMatches('l\u00f8nely', 'lonely')).toBe(false); // ø is another letter, not an accented o
  });

  it('takes one word, not two', () => {
    expect(wordMatches('lonely alone', 'lonely')).toBe(false);
    expect(wordMatches('', 'lonely')).toBe(false);
  });
});
