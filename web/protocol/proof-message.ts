// The bytes a mailbox request proof signs. Pure (no libsodium) because the worker builds
// the same bytes to verify with WebCrypto: label ‖ 0 ‖ version ‖ challenge ‖ method ‖ 0 ‖
// path ‖ 0 ‖ SHA-256(body). The fresh challenge stops replay; method, path and body hash
// stop a captured proof being attached to a different request.
import { LABEL, PROTOCOL_VERSION } from './labels.js';
import { concatBytes, utf8ToBytes } from './encoding.js';

export const PROOF_HEADERS = {
  locator: 'parley-mailbox',
  challenge: 'parley-challenge',
  signature: 'parley-proof',
} as const;

export function mailboxProofMessage(challenge: Uint8Array, method: string, path: string, bodySha256: Uint8Array): Uint8Array {
  return concatBytes(
    utf8ToBytes(LABEL.mailboxProof),
    Uint8Array.of(0, PROTOCOL_VERSION),
    challenge,
    utf8ToBytes(method.toUpperCase()),
    Uint8Array.of(0),
    utf8ToBytes(path),
    Uint8Array.of(0),
    bodySha256,
  );
}
