// The server's cryptography, so the request path never loads libsodium: hashing, tokens,
// constant-time comparison, Ed25519 (with libsodium's up-front refusals ported in
// ed25519-strict.ts). Two providers of the same three primitives: node:crypto on Node, found
// at run time (process.getBuiltinModule) so the Workers bundle imports no node: module, and
// WebCrypto on Workers, which has no `process`. WebCrypto's async calls cost Node 36–85 µs a
// hash against ~1 µs (issue 16).
import { bytesToB64 } from '../web/protocol/encoding.js';
import { passesLibsodiumSignatureChecks } from './ed25519-strict.js';

/** What each runtime provides; everything else here is built on these. */
export interface CryptoPrimitives {
  sha256(bytes: Uint8Array): Promise<Uint8Array>;
  hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  /** The Ed25519 equation alone (OpenSSL's rules); throws on a key that is no key. */
  ed25519Holds(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean>;
}

// WebCrypto's types want ArrayBuffer-backed views; ours always are.
const view = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

export const WEB_CRYPTO: CryptoPrimitives = {
  async sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', view(bytes)));
  },
  async hmacSha256(key, message) {
    const hmacKey = await crypto.subtle.importKey('raw', view(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, view(message)));
  },
  async ed25519Holds(publicKey, signature, message) {
    const key = await crypto.subtle.importKey('raw', view(publicKey), { name: 'Ed25519' }, false, ['verify']);
    return crypto.subtle.verify('Ed25519', key, view(signature), view(message));
  },
};

type NodeCrypto = typeof import('node:crypto');

export function nodeCryptoPrimitives(node: NodeCrypto): CryptoPrimitives {
  const plain = (buffer: Uint8Array) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return {
    async sha256(bytes) {
      return plain(node.createHash('sha256').update(bytes).digest());
    },
    async hmacSha256(key, message) {
      return plain(node.createHmac('sha256', key).update(message).digest());
    },
    async ed25519Holds(publicKey, signature, message) {
      // A JWK's x is the raw key in unpadded base64url, which bytesToB64 writes.
      const key = node.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: bytesToB64(publicKey) }, format: 'jwk' });
      return node.verify(null, message, key, signature);
    },
  };
}

function runtimePrimitives(): CryptoPrimitives {
  const runtime = (globalThis as { process?: { release?: { name?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  const node = runtime?.release?.name === 'node' ? (runtime.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined) : undefined;
  return node ? nodeCryptoPrimitives(node) : WEB_CRYPTO;
}

/** This runtime's provider: node:crypto on Node, WebCrypto elsewhere. */
export const PRIMITIVES: CryptoPrimitives = runtimePrimitives();

export function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return PRIMITIVES.sha256(bytes);
}

export async function sha256B64(bytes: Uint8Array): Promise<string> {
  return bytesToB64(await PRIMITIVES.sha256(bytes));
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  return PRIMITIVES.hmacSha256(key, message);
}

/** Compare secrets by hashing both sides first, so timing reveals nothing about either. */
export async function secretsEqual(a: Uint8Array, b: Uint8Array): Promise<boolean> {
  const ha = await PRIMITIVES.sha256(a);
  const hb = await PRIMITIVES.sha256(b);
  let diff = 0;
  for (let i = 0; i < ha.length; i++) diff |= ha[i]! ^ hb[i]!;
  return diff === 0;
}

/**
 * Ed25519 as the clients' libsodium verifies it. OpenSSL (behind both providers) accepts
 * small-order keys and R, and non-canonical keys, which libsodium refuses (issue 10): those are
 * refused here by `ed25519-strict.ts`. The equation still runs on every call, as it did before,
 * so these refusals do not make a refused request measurably faster (the mailbox proof relies
 * on that). `primitives` is for tests that hold both providers to the same verdicts.
 */
export async function verifyEd25519(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array, primitives: CryptoPrimitives = PRIMITIVES): Promise<boolean> {
  const strictChecksPass = passesLibsodiumSignatureChecks(publicKey, signature);
  let equationHolds: boolean;
  try {
    equationHolds = await primitives.ed25519Holds(publicKey, signature, message);
  } catch {
    equationHolds = false; // a malformed key is a failed verification
  }
  return strictChecksPass && equationHolds;
}
