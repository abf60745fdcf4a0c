// Stateless challenges. Issuing one writes nothing: its terms (expiry, difficulty) travel
// inside it, authenticated with a key derived from the server secret. The client sees 32
// opaque bytes, as before (the mailbox proof signs them).
//
//   [0]      format (1)
//   [1..7)   expires, milliseconds since the epoch (u48, big-endian)
//   [7]      leading zero bits asked when issued
//   [8..16)  random
//   [16..32) HMAC-SHA256(challenge key, bytes 0..16), first 16 bytes
//
// 8 random bytes plus the expiry make a repeat meaningless; 128 bits of MAC cannot be forged.
import { concatBytes, utf8ToBytes } from '../web/protocol/encoding.js';
import { SIZES } from '../web/protocol/labels.js';
import { hmacSha256, secretsEqual } from './server-crypto.js';

const FORMAT = 1;
const TERMS_BYTES = 16;
const RANDOM_BYTES = 8;

export interface ChallengeTerms {
  expiresAtMs: number;
  workBits: number;
}

function writeU48(into: Uint8Array, at: number, value: number): void {
  for (let i = 5; i >= 0; i--, value = Math.floor(value / 256)) into[at + i] = value % 256;
}

function readU48(from: Uint8Array, at: number): number {
  let value = 0;
  for (let i = 0; i < 6; i++) value = value * 256 + from[at + i]!;
  return value;
}

/** Derived once per server secret; the secret itself never keys anything but derivations. */
export function challengeKey(serverSecret: Uint8Array): Promise<Uint8Array> {
  return hmacSha256(serverSecret, utf8ToBytes('parley/challenge-key/1'));
}

export async function issueChallenge(key: Uint8Array, terms: ChallengeTerms, randomBytes: (n: number) => Uint8Array): Promise<Uint8Array> {
  const head = new Uint8Array(TERMS_BYTES);
  head[0] = FORMAT;
  writeU48(head, 1, terms.expiresAtMs);
  head[7] = terms.workBits;
  head.set(randomBytes(RANDOM_BYTES), 8);
  const tag = (await hmacSha256(key, head)).subarray(0, SIZES.challenge - TERMS_BYTES);
  return concatBytes(head, tag);
}

/** The terms of a challenge this server issued and that is still live; null otherwise. */
export async function readChallenge(key: Uint8Array, challenge: Uint8Array, now: number): Promise<ChallengeTerms | null> {
  if (challenge.length !== SIZES.challenge || challenge[0] !== FORMAT) return null;
  const head = challenge.subarray(0, TERMS_BYTES);
  const expected = (await hmacSha256(key, head)).subarray(0, SIZES.challenge - TERMS_BYTES);
  if (!(await secretsEqual(expected, challenge.subarray(TERMS_BYTES)))) return null;
  const expiresAtMs = readU48(head, 1);
  return expiresAtMs > now ? { expiresAtMs, workBits: head[7]! } : null;
}
