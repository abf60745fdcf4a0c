// Fingerprints of a member's public key, for an administrator to compare with what the member's
// own console shows before endorsing it (SPEC.md "Fingerprints"). Reporters are shown an
// organisation's anchor instead (trust.ts `orgAnchorFingerprint`), not this.
import { LABEL } from './labels.js';
import { blake2b } from './sodium.js';
import { concatBytes, utf8ToBytes } from './encoding.js';

/** 160 bits as 10 groups of 4 hex digits: "3f2a 91c0 …". */
export function keyFingerprint(publicKey: Uint8Array): string {
  const digest = blake2b(20, concatBytes(utf8ToBytes(LABEL.keyFingerprint), Uint8Array.of(0), publicKey));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return hex.match(/.{4}/g)!.join(' ');
}
