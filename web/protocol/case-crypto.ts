// A case: one random case key, sealed to each reader; every message either way is an
// AEAD frame under that key, bound to (case, message, sender role), and signed by its sender.
import { PADDING_BUCKETS, SIZES } from './labels.js';
import { ProtocolError } from './errors.js';
import { aeadDecrypt, aeadEncrypt, openSealed, randomBytes, sealTo, signDetached, verifyDetached, type KeyPair } from './sodium.js';
import { bytesEqual, concatBytes } from './encoding.js';
import { checkId, messageAssociatedData, messageSignedBytes, type MessageBinding } from './binding.js';
import { frame, unframe } from './envelope.js';
import { padToBucket, unpadFromBucket } from './padding.js';

export type { MessageBinding };

export function newCaseKey(): Uint8Array {
  return randomBytes(SIZES.key);
}

export function newId(): Uint8Array {
  return randomBytes(SIZES.caseId);
}

/** Sealed box of (case id ‖ case key): the case id inside stops a key being moved between cases. */
export function sealCaseKey(caseKey: Uint8Array, caseId: Uint8Array, recipientBoxPublicKey: Uint8Array): Uint8Array {
  checkId(caseId, 'case id');
  if (caseKey.length !== SIZES.key) throw new ProtocolError('malformed', 'case key must be 32 bytes');
  return frame(sealTo(concatBytes(caseId, caseKey), recipientBoxPublicKey));
}

export function openCaseKey(sealed: Uint8Array, caseId: Uint8Array, recipient: KeyPair): Uint8Array {
  checkId(caseId, 'case id');
  const { tail } = unframe(sealed, [], 'sealed case key');
  const opened = openSealed(tail, recipient);
  if (!opened) throw new ProtocolError('authentication_failed', 'sealed case key does not open with this key');
  if (opened.length !== SIZES.caseId + SIZES.key) throw new ProtocolError('malformed', 'sealed case key has the wrong length');
  if (!bytesEqual(opened.subarray(0, SIZES.caseId), caseId)) throw new ProtocolError('wrong_binding', 'sealed case key belongs to another case');
  return opened.slice(SIZES.caseId);
}

/** Frame: version ‖ nonce (24) ‖ XChaCha20-Poly1305(padded plaintext). */
export function encryptMessage(caseKey: Uint8Array, binding: MessageBinding, plaintext: Uint8Array, nonce: Uint8Array = randomBytes(SIZES.nonce)): Uint8Array {
  return sealPadded(caseKey, messageAssociatedData(binding), plaintext, nonce);
}

export function decryptMessage(caseKey: Uint8Array, binding: MessageBinding, envelope: Uint8Array): Uint8Array {
  return openPadded(caseKey, messageAssociatedData(binding), envelope, 'message', 'message does not decrypt: wrong key, tampered, or bound to another case, message or role');
}

/** The frame every case-key envelope has (messages, internal notes): what binds it is the associated data the caller gives. */
export function sealPadded(caseKey: Uint8Array, associatedData: Uint8Array, plaintext: Uint8Array, nonce: Uint8Array = randomBytes(SIZES.nonce)): Uint8Array {
  if (nonce.length !== SIZES.nonce) throw new ProtocolError('malformed', 'nonce must be 24 bytes');
  return frame(nonce, aeadEncrypt(padToBucket(plaintext), associatedData, nonce, caseKey));
}

export function openPadded(caseKey: Uint8Array, associatedData: Uint8Array, envelope: Uint8Array, what: string, failure: string): Uint8Array {
  const { fields, tail } = unframe(envelope, [SIZES.nonce], what);
  // A real ciphertext is exactly one bucket plus the tag; any other length was cut or padded.
  if (!(PADDING_BUCKETS as readonly number[]).includes(tail.length - SIZES.aeadTag)) throw new ProtocolError('malformed', `${what} is truncated or extended`);
  const padded = aeadDecrypt(tail, associatedData, fields[0]!, caseKey);
  if (!padded) throw new ProtocolError('authentication_failed', failure);
  return unpadFromBucket(padded);
}

/** Ed25519 over (label, binding, envelope): by the mailbox key or the organisation's signing key. */
export function signMessage(binding: MessageBinding, envelope: Uint8Array, signingPrivateKey: Uint8Array): Uint8Array {
  return signDetached(messageSignedBytes(binding, envelope), signingPrivateKey);
}

export function verifyMessage(binding: MessageBinding, envelope: Uint8Array, signature: Uint8Array, signingPublicKey: Uint8Array): void {
  if (signature.length !== SIZES.signature) throw new ProtocolError('malformed', 'signature must be 64 bytes');
  if (!verifyDetached(signature, messageSignedBytes(binding, envelope), signingPublicKey)) {
    throw new ProtocolError('bad_signature', 'message signature does not verify');
  }
}
