// The bytes that bind a message to its case, its id and its sender's role: the AEAD's
// associated data and the prefix of what its signature covers. Pure (no libsodium) so the
// worker can check signatures on arrival with WebCrypto.
import { LABEL, PROTOCOL_VERSION, ROLE, SIZES, type Role } from './labels.js';
import { ProtocolError } from './errors.js';
import { concatBytes, utf8ToBytes } from './encoding.js';

export interface MessageBinding {
  caseId: Uint8Array;
  messageId: Uint8Array;
  role: Role;
  /**
   * The link of the message this one follows (THREAD_START for the report). Bound into the
   * associated data and the signature, so a server cannot drop, reorder or insert messages
   * without the next one failing to verify (protocol 2).
   */
  prev: Uint8Array;
}

export function checkId(id: Uint8Array, what: string): void {
  if (id.length !== SIZES.caseId) throw new ProtocolError('malformed', `${what} must be ${SIZES.caseId} bytes`);
}

export function bindingBytes(label: string, binding: MessageBinding): Uint8Array {
  checkId(binding.caseId, 'case id');
  if (binding.messageId.length !== SIZES.messageId) throw new ProtocolError('malformed', `message id must be ${SIZES.messageId} bytes`);
  if (binding.prev.length !== SIZES.sha256) throw new ProtocolError('malformed', `previous link must be ${SIZES.sha256} bytes`);
  return concatBytes(utf8ToBytes(label), Uint8Array.of(0, PROTOCOL_VERSION), binding.caseId, binding.messageId, Uint8Array.of(ROLE[binding.role]), binding.prev);
}

export function messageAssociatedData(binding: MessageBinding): Uint8Array {
  return bindingBytes(LABEL.messageAd, binding);
}

/** What a message signature covers: label, binding, then the whole envelope. */
export function messageSignedBytes(binding: MessageBinding, envelope: Uint8Array): Uint8Array {
  return concatBytes(bindingBytes(LABEL.messageSignature, binding), envelope);
}
