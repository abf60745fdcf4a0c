// What each protocol-2 signature and link covers, as bytes. Pure (no libsodium), so the
// server checks the same bytes with WebCrypto that clients sign and verify with libsodium.
// Every layout starts with its own label and a zero byte, so no signature made for one
// purpose can be taken for another (docs/PROTOCOL.md, "Protocol 2: what clients verify").
import { LABEL, SIZES } from './labels.js';
import { ProtocolError } from './errors.js';
import { concatBytes, utf8ToBytes } from './encoding.js';

function labelled(label: string, ...parts: Uint8Array[]): Uint8Array {
  return concatBytes(utf8ToBytes(label), Uint8Array.of(0), ...parts);
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

function exact(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (bytes.length !== length) throw new ProtocolError('malformed', `${what} must be ${length} bytes`);
  return bytes;
}

/** A username as length-prefixed UTF-8, so no two (id, name, key) triples share bytes. */
function text(value: string): Uint8Array {
  const bytes = utf8ToBytes(value);
  return concatBytes(u32(bytes.length), bytes);
}

/**
 * One version of an organisation's keys: signed by the signing key of the version before it
 * (version 1 by its own signing key). The chain from version 1 — the organisation's trust
 * anchor — to the version in use is what clients verify before they seal to a key.
 */
export function orgKeyVersionBytes(orgId: Uint8Array, keyVersion: number, boxPublicKey: Uint8Array, signPublicKey: Uint8Array): Uint8Array {
  return labelled(LABEL.orgKeyVersion, exact(orgId, SIZES.caseId, 'organisation id'), u32(keyVersion), exact(boxPublicKey, SIZES.publicKey, 'box key'), exact(signPublicKey, SIZES.publicKey, 'signing key'));
}

/** What the anchor fingerprint is taken over: the organisation's first keys. */
export function orgAnchorBytes(orgId: Uint8Array, boxPublicKey: Uint8Array, signPublicKey: Uint8Array): Uint8Array {
  return labelled(LABEL.orgAnchor, exact(orgId, SIZES.caseId, 'organisation id'), exact(boxPublicKey, SIZES.publicKey, 'box key'), exact(signPublicKey, SIZES.publicKey, 'signing key'));
}

/** A member's personal key, endorsed by the organisation's signing key once checked against their invitation. */
export function memberKeyBytes(orgId: Uint8Array, memberId: Uint8Array, username: string, boxPublicKey: Uint8Array): Uint8Array {
  return labelled(LABEL.memberKey, exact(orgId, SIZES.caseId, 'organisation id'), exact(memberId, SIZES.caseId, 'member id'), text(username), exact(boxPublicKey, SIZES.publicKey, 'member key'));
}

/** A sealed case key and who it is sealed to, signed by whoever sealed it. */
export function sealedCaseKeyBytes(caseId: Uint8Array, recipientPublicKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  return labelled(LABEL.sealedCaseKey, exact(caseId, SIZES.caseId, 'case id'), exact(recipientPublicKey, SIZES.publicKey, 'recipient key'), sealed);
}

/** The link a message leaves for the next one: its id, signature and envelope, hashed with SHA-256. */
export function threadLinkInput(messageId: Uint8Array, signature: Uint8Array, envelope: Uint8Array): Uint8Array {
  return labelled(LABEL.threadLink, exact(messageId, SIZES.messageId, 'message id'), exact(signature, SIZES.signature, 'signature'), envelope);
}

/** An internal note's place: its case, its id and its author (a member of the organisation). */
export interface NoteBinding {
  caseId: Uint8Array;
  noteId: Uint8Array;
  authorId: Uint8Array;
}

function noteBindingParts(binding: NoteBinding): Uint8Array[] {
  return [exact(binding.caseId, SIZES.caseId, 'case id'), exact(binding.noteId, SIZES.messageId, 'note id'), exact(binding.authorId, SIZES.caseId, 'author id')];
}

/** The associated data of a note's envelope: under its own label, so no message's envelope opens as a note. */
export function caseNoteAssociatedData(binding: NoteBinding): Uint8Array {
  return labelled(LABEL.caseNote, ...noteBindingParts(binding));
}

/** What a note's signature covers (the organisation's signing key): its binding, then the whole envelope. */
export function caseNoteSignedBytes(binding: NoteBinding, envelope: Uint8Array): Uint8Array {
  return labelled(LABEL.caseNoteSignature, ...noteBindingParts(binding), envelope);
}

/** The first message of a thread (the report) follows this link. */
export const THREAD_START = new Uint8Array(SIZES.sha256);
