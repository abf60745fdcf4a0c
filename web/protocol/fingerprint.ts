// Fingerprints of public keys, for people to compare: an organisation publishes its signing
// key's fingerprint out of band (its website, printed leaflets), and the reporter's page
// shows the one it was given, so a server that swapped the key can be caught.
import { LABEL } from './labels.js';
import { blake2b } from './sodium.js';
import { concatBytes, utf8ToBytes } from './encoding.js';

/** 160 bits as 10 groups of 4 hex digits: "3f2a 91c0 …". */
export function keyFingerprint(publicKey: Uint8Array): string {
  const digest = blake2b(20, concatBytes(utf8ToBytes(LABEL.keyFingerprint), Uint8Array.of(0), publicKey));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return hex.match(/.{4}/g)!.join(' ');
}
