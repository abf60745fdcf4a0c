// Internal notes of a unit on a case (issue 15, docs/SPEC.md "Internal notes"): text sealed under
// the case key in the same padded frame as messages, but bound by associated data under a label of
// its own (case, note id, author), and signed by the organisation's signing key over that binding
// and the envelope. So a note never opens or verifies as a message of the thread (which the
// reporter reads), nor a message as a note; and a note moved to another case or author fails.
import { ProtocolError } from './errors.js';
import { bytesToUtf8, utf8ToBytes } from './encoding.js';
import { openPadded, sealPadded } from './case-crypto.js';
import { caseNoteAssociatedData, caseNoteSignedBytes, type NoteBinding } from './signed-bytes.js';
import { randomBytes, signDetached, verifyDetached } from './sodium.js';
import { SIZES } from './labels.js';

export type { NoteBinding };

/** What is inside a note's encryption. */
export interface NoteDocument {
  kind: 'note';
  text: string;
}

export function encryptNote(caseKey: Uint8Array, binding: NoteBinding, text: string, nonce: Uint8Array = randomBytes(SIZES.nonce)): Uint8Array {
  const document: NoteDocument = { kind: 'note', text };
  return sealPadded(caseKey, caseNoteAssociatedData(binding), utf8ToBytes(JSON.stringify(document)), nonce);
}

export function decryptNote(caseKey: Uint8Array, binding: NoteBinding, envelope: Uint8Array): string {
  const plain = openPadded(caseKey, caseNoteAssociatedData(binding), envelope, 'note', 'note does not decrypt: wrong key, tampered, not a note, or bound to another case, note or author');
  let value: unknown;
  try {
    value = JSON.parse(bytesToUtf8(plain));
  } catch {
    throw new ProtocolError('malformed', 'note is not JSON');
  }
  const note = value as Partial<NoteDocument> | null;
  if (typeof note !== 'object' || note === null || note.kind !== 'note' || typeof note.text !== 'string') throw new ProtocolError('malformed', 'not a note');
  return note.text;
}

export function signNote(binding: NoteBinding, envelope: Uint8Array, signingPrivateKey: Uint8Array): Uint8Array {
  return signDetached(caseNoteSignedBytes(binding, envelope), signingPrivateKey);
}

export function verifyNote(binding: NoteBinding, envelope: Uint8Array, signature: Uint8Array, signingPublicKey: Uint8Array): void {
  if (signature.length !== SIZES.signature) throw new ProtocolError('malformed', 'signature must be 64 bytes');
  if (!verifyDetached(signature, caseNoteSignedBytes(binding, envelope), signingPublicKey)) throw new ProtocolError('bad_signature', 'note signature does not verify');
}
