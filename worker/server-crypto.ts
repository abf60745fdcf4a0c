// The server's cryptography: WebCrypto only (Node 20 and workerd both have it), so the
// request path never loads libsodium. Hashing, tokens, constant-time comparison, Ed25519
// (with libsodium's up-front refusals ported in ed25519-strict.ts).
import { bytesToB64 } from '../web/protocol/encoding.js';
import { passesLibsodiumSignatureChecks } from './ed25519-strict.js';

// WebCrypto's types want ArrayBuffer-backed views; ours always are.
const view = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', view(bytes)));
}

export async function sha256B64(bytes: Uint8Array): Promise<string> {
  return bytesToB64(await sha256(bytes));
}

export async function hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const hmacKey = await crypto.subtle.importKey('raw', view(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, view(message)));
}

/** Compare secrets by hashing both sides first, so timing reveals nothing about either. */
export async function secretsEqual(a: Uint8Array, b: Uint8Array): Promise<boolean> {
  const [ha, hb] = await Promise.all([sha256(a), sha256(b)]);
  let diff = 0;
  for (let i = 0; i < ha.length; i++) diff |= ha[i]! ^ hb[i]!;
  return diff === 0;
}

/**
 * Ed25519 as the clients' libsodium verifies it. WebCrypto alone accepts small-order keys and R,
 * and non-canonical keys, which libsodium refuses (issue 10): those are refused here by
 * `ed25519-strict.ts`. WebCrypto still runs on every call, as it did before, so these refusals
 * do not make a refused request measurably faster (the mailbox proof relies on that).
 */
export async function verifyEd25519(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  const strictChecksPass = passesLibsodiumSignatureChecks(publicKey, signature);
  let equationHolds: boolean;
  try {
    const key = await crypto.subtle.importKey('raw', view(publicKey), { name: 'Ed25519' }, false, ['verify']);
    equationHolds = await crypto.subtle.verify('Ed25519', key, view(signature), view(message));
  } catch {
    equationHolds = false; // a malformed key is a failed verification
  }
  return strictChecksPass && equationHolds;
}
