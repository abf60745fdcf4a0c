// Internal notes (web/protocol/notes.ts): a note round-trips on libsodium and on the noble engine
// (and across them), and is refused with its own kind wherever it is not what it claims to be —
// above all, a note never opens or verifies as a message of the thread, nor a message as a note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptNote, encryptNote, signNote, verifyNote, type NoteBinding } from '../../web/protocol/notes.js';
import { decryptMessage, encryptMessage, newCaseKey, newId, sealPadded, signMessage, verifyMessage, type MessageBinding } from '../../web/protocol/case-crypto.js';
import { caseNoteAssociatedData } from '../../web/protocol/signed-bytes.js';
import { forceEngineForTests, randomBytes, signKeyPairFromSeed, sodiumReady } from '../../web/protocol/sodium.js';
import { utf8ToBytes } from '../../web/protocol/encoding.js';
import type { EngineName } from '../../web/protocol/primitives.js';
import { refusal, refused } from './refusal.js';

await sodiumReady();
afterAll(() => forceEngineForTests('libsodium'));

const ENGINES = ['libsodium', 'noble'] as const satisfies readonly EngineName[];

describe.each(ENGINES)('an internal note on %s', (engine) => {
  beforeAll(() => forceEngineForTests(engine));

  const setting = () => {
    const caseId = newId();
    const note: NoteBinding = { caseId, noteId: newId(), authorId: newId() };
    // The same case, and a message whose id is the note's: only the label tells them apart.
    const message: MessageBinding = { caseId, messageId: note.noteId, role: 'organisation', prev: new Uint8Array(32) };
    return { caseKey: newCaseKey(), note, message, signer: signKeyPairFromSeed(randomBytes(32)) };
  };

  it('round-trips its text, signed by the organisation, here and on the other engine', async () => {
    const { caseKey, note, signer } = setting();
    const envelope = encryptNote(caseKey, note, 'Spoke to the duty inspector — MARKER');
    const signature = signNote(note, envelope, signer.privateKey);
    verifyNote(note, envelope, signature, signer.publicKey);
    expect(decryptNote(caseKey, note, envelope)).toBe('Spoke to the duty inspector — MARKER');
    await forceEngineForTests(engine === 'libsodium' ? 'noble' : 'libsodium');
    const back = decryptNote(caseKey, note, envelope);
    const verdict = refusal(() => verifyNote(note, envelope, signature, signer.publicKey));
    await forceEngineForTests(engine);
    expect(back).toBe('Spoke to the duty inspector — MARKER');
    expect(verdict).toBe('no error');
  });

  it('is a padded envelope of a message bucket size, so its length says only the bucket', () => {
    const { caseKey, note } = setting();
    expect(encryptNote(caseKey, note, '').length).toBe(1 + 24 + 1024 + 16);
    expect(encryptNote(caseKey, note, 'x'.repeat(2000)).length).toBe(1 + 24 + 4096 + 16);
  });

  it('never opens or verifies as a thread message, under the same case key, id and signing key', () => {
    const { caseKey, note, message, signer } = setting();
    const envelope = encryptNote(caseKey, note, 'internal');
    const signature = signNote(note, envelope, signer.privateKey);
    expect(refusal(() => decryptMessage(caseKey, message, envelope))).toEqual(refused('authentication_failed', /^message does not decrypt/));
    expect(refusal(() => verifyMessage(message, envelope, signature, signer.publicKey))).toEqual(refused('bad_signature', 'message signature does not verify'));
  });

  it('is never made from a thread message: a message does not open or verify as a note', () => {
    const { caseKey, note, message, signer } = setting();
    const envelope = encryptMessage(caseKey, message, utf8ToBytes(JSON.stringify({ kind: 'note', text: 'to the reporter' })));
    const signature = signMessage(message, envelope, signer.privateKey);
    expect(refusal(() => decryptNote(caseKey, note, envelope))).toEqual(refused('authentication_failed', /^note does not decrypt/));
    expect(refusal(() => verifyNote(note, envelope, signature, signer.publicKey))).toEqual(refused('bad_signature', 'note signature does not verify'));
  });

  it('is refused when moved to another case, given another id or another author', () => {
    const { caseKey, note, signer } = setting();
    const envelope = encryptNote(caseKey, note, 'internal');
    const signature = signNote(note, envelope, signer.privateKey);
    for (const moved of [{ ...note, caseId: newId() }, { ...note, noteId: newId() }, { ...note, authorId: newId() }]) {
      expect(refusal(() => decryptNote(caseKey, moved, envelope))).toEqual(refused('authentication_failed', /^note does not decrypt/));
      expect(refusal(() => verifyNote(moved, envelope, signature, signer.publicKey))).toEqual(refused('bad_signature', 'note signature does not verify'));
    }
  });

  it('is refused when flipped, cut, under another key or signed by another key, each with its own kind', () => {
    const { caseKey, note, signer } = setting();
    const envelope = encryptNote(caseKey, note, 'internal');
    const signature = signNote(note, envelope, signer.privateKey);
    const flipped = envelope.slice();
    flipped[40]! ^= 1;
    expect(refusal(() => decryptNote(caseKey, note, flipped))).toEqual(refused('authentication_failed', /^note does not decrypt/));
    expect(refusal(() => verifyNote(note, flipped, signature, signer.publicKey))).toEqual(refused('bad_signature', 'note signature does not verify'));
    expect(refusal(() => decryptNote(caseKey, note, envelope.subarray(0, envelope.length - 1)))).toEqual(refused('malformed', 'note is truncated or extended'));
    expect(refusal(() => decryptNote(newCaseKey(), note, envelope))).toEqual(refused('authentication_failed', /^note does not decrypt/));
    expect(refusal(() => verifyNote(note, envelope, signature, signKeyPairFromSeed(randomBytes(32)).publicKey))).toEqual(refused('bad_signature', 'note signature does not verify'));
    expect(refusal(() => verifyNote(note, envelope, signature.subarray(1), signer.publicKey))).toEqual(refused('malformed', 'signature must be 64 bytes'));
    expect(refusal(() => encryptNote(caseKey, { ...note, authorId: new Uint8Array(15) }, 'x'))).toEqual(refused('malformed', 'author id must be 16 bytes'));
  });

  it('refuses what opens but is not a note document', () => {
    const { caseKey, note } = setting();
    // Sealed with the note's own binding, so each opens: only the document inside is wrong.
    for (const inside of ['[]', 'null', '{"kind":"message","text":"x"}', '{"kind":"note"}', 'not json']) {
      const envelope = sealAs(caseKey, note, inside);
      expect(refusal(() => decryptNote(caseKey, note, envelope)), inside).toEqual(refused('malformed', inside === 'not json' ? 'note is not JSON' : 'not a note'));
    }
  });
});

/** Arbitrary bytes sealed as a note's plaintext, through the same frame (to test what decryptNote accepts inside). */
function sealAs(caseKey: Uint8Array, note: NoteBinding, plaintext: string): Uint8Array {
  return sealPadded(caseKey, caseNoteAssociatedData(note), utf8ToBytes(plaintext));
}
