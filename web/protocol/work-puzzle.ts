// The proof-of-work puzzle's definition, pure (no libsodium) so the worker checks it with
// WebCrypto: find a nonce such that SHA-256(label ‖ 0 ‖ challenge ‖ nonce) begins with
// `bits` zero bits. Hashcash-style: memory-light, one hash to check, 2^bits hashes to solve.
import { LABEL } from './labels.js';
import { concatBytes, utf8ToBytes } from './encoding.js';

export const WORK_NONCE_BYTES = 8;
export const WORK_HEADER = 'parley-work';
const LABEL_BYTES = utf8ToBytes(LABEL.proofOfWork);

export function workInput(challenge: Uint8Array, nonce: Uint8Array): Uint8Array {
  return concatBytes(LABEL_BYTES, Uint8Array.of(0), challenge, nonce);
}

export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}
