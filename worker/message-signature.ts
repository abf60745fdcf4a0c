// Signatures the server checks on arrival, with WebCrypto (held to libsodium's rules by
// worker/ed25519-strict.ts): a stolen session without the organisation's signing key, or a
// request without the mailbox key, cannot store a message, a sealed key or a key version that
// clients would later refuse. The server checks what it can; clients check everything again.
import { b64ToBytes, bytesToB64 } from '../web/protocol/encoding.js';
import { messageSignedBytes } from '../web/protocol/binding.js';
import { threadLinkInput } from '../web/protocol/signed-bytes.js';
import type { Role } from '../web/protocol/labels.js';
import { ApiError } from './errors.js';
import { sha256, verifyEd25519 } from './server-crypto.js';

export interface SignedMessageInput {
  caseId: string;
  id: string;
  envelope: string;
  signature: string;
}

/** Checks a message's signature, given the link it follows; returns the link it leaves for the next one. */
export async function requireValidMessageSignature(message: SignedMessageInput, prev: Uint8Array, role: Role, signPublicKeyB64: string): Promise<string> {
  // The wire schema has already checked every field decodes to the right length.
  const binding = { caseId: b64ToBytes(message.caseId)!, messageId: b64ToBytes(message.id)!, role, prev };
  const envelope = b64ToBytes(message.envelope)!;
  const signature = b64ToBytes(message.signature)!;
  if (!(await verifyEd25519(b64ToBytes(signPublicKeyB64)!, signature, messageSignedBytes(binding, envelope)))) {
    throw new ApiError('invalid_body', 'signature: does not verify for this message, its place in the thread and its sender.');
  }
  return bytesToB64(await sha256(threadLinkInput(binding.messageId, signature, envelope)));
}

/** Any other signed structure: refused as invalid_body naming the field when it does not verify. */
export async function requireSigned(field: string, signatureB64: string, signerPublicKeyB64: string, signedBytes: Uint8Array): Promise<void> {
  if (!(await verifyEd25519(b64ToBytes(signerPublicKeyB64)!, b64ToBytes(signatureB64)!, signedBytes))) {
    throw new ApiError('invalid_body', `${field}: does not verify.`);
  }
}
