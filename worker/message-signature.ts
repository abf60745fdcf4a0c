// Checks a message's signature on arrival, with WebCrypto: a stolen investigator session
// without the organisation's signing key, or a reporter request without the mailbox key,
// cannot add a message that clients would later reject.
import { b64ToBytes } from '../web/protocol/encoding.js';
import { messageSignedBytes } from '../web/protocol/binding.js';
import type { Role } from '../web/protocol/labels.js';
import { ApiError } from './errors.js';
import { verifyEd25519 } from './server-crypto.js';

export interface SignedMessageInput {
  caseId: string;
  id: string;
  envelope: string;
  signature: string;
}

export async function requireValidMessageSignature(message: SignedMessageInput, role: Role, signPublicKeyB64: string): Promise<void> {
  // The wire schema has already checked every field decodes to the right length.
  const binding = { caseId: b64ToBytes(message.caseId)!, messageId: b64ToBytes(message.id)!, role };
  const signed = messageSignedBytes(binding, b64ToBytes(message.envelope)!);
  if (!(await verifyEd25519(b64ToBytes(signPublicKeyB64)!, b64ToBytes(message.signature)!, signed))) {
    throw new ApiError('invalid_body', 'signature: does not verify for this message and sender.');
  }
}
