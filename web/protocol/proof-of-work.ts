// Client side of the proof of work: try nonces until the hash has enough leading zeros.
import { sha256 } from './sodium.js';
import { leadingZeroBits, workInput, WORK_NONCE_BYTES } from './work-puzzle.js';

/** Upper bound on attempts, so a server asking for absurd work cannot hang the page. */
const MAX_ATTEMPTS = 2 ** 28;

export function solveProofOfWork(challenge: Uint8Array, bits: number): Uint8Array {
  const nonce = new Uint8Array(WORK_NONCE_BYTES);
  const view = new DataView(nonce.buffer);
  // Reuse one input buffer and rewrite only the nonce: the loop is hashing, not allocating.
  const input = workInput(challenge, nonce);
  const offset = input.length - WORK_NONCE_BYTES;
  // The nonce is u32be(⌊n / 2³²⌋) ‖ u32be(n mod 2³²); below MAX_ATTEMPTS (< 2³²) the first word stays 0.
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    view.setUint32(4, attempt);
    input.set(nonce, offset);
    if (leadingZeroBits(sha256(input)) >= bits) return nonce; // fresh on every call: no copy needed
  }
  throw new RangeError(`no proof of work of ${bits} bits within ${MAX_ATTEMPTS} attempts`);
}
