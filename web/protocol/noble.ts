// The one module that imports @noble: the protocol's primitives in pure JavaScript, for
// browsers that cannot run WebAssembly (Tor Browser at its "Safer" level turns WebAssembly and
// the JIT off; libsodium-wrappers-sumo has no fallback). sodium.ts uses this engine only when
// WebAssembly does not work (primitives.ts, webAssemblyWorks).
//
// Each function does what libsodium 1.0.22 (libsodium-wrappers-sumo 0.8.4) does, byte for byte,
// and refuses what it refuses: the same lengths, limits and errors-as-null as sodium.ts. The
// known-answer vectors, the published Wycheproof and speccheck vectors and cross-engine round
// trips hold both engines to that (test/protocol/noble-engine.test.ts, noble-published.test.ts).
//
// @noble/hashes, @noble/curves and @noble/ciphers 2.4.0: maintained, dependency-free, audited
// (their READMEs): curves by Trail of Bits at 2.3.0 (2026) and Cure53 at 1.6.0 (2024), ciphers by
// Cure53 at 1.0.0 (2024), hashes by Cure53 at 1.0.0 (2022) — whose scope left out argon2. So
// Argon2id here rests on tests instead: libsodium's own crypto_pwhash_argon2id vectors, the
// protocol's production-cost vector and byte-for-byte agreement with libsodium.
// Where noble's defaults differ from libsodium, this module builds libsodium's construction
// from noble's parts, and says so: Ed25519 verification (noble's is cofactored and accepts
// small-order R), Ed25519 signing (libsodium hashes the public half of the 64-byte secret key),
// and crypto_box_seal (noble has no crypto_box: X25519, then HSalsa20, then XSalsa20-Poly1305).
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, equalBytes, numberToBytesLE } from '@noble/curves/utils.js';
import { argon2id, argon2idAsync } from '@noble/hashes/argon2.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import type { KeyPair, Primitives } from './primitives.js';

const Point = ed25519.Point;
/** The order of the Ed25519 base point, 2^252 + 27742317777372353535851937790883648493. */
const L = Point.Fn.ORDER;
const modL = (n: bigint) => Point.Fn.create(n);

function refuse(what: string): never {
  throw new TypeError(`invalid ${what}`);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** randombytes_buf: the platform CSPRNG, in the 64 KiB pieces getRandomValues allows. */
function randomBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) refuse('length');
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(length, at + 65536)));
  return out;
}

/** randombytes_uniform: draws below 2^32 mod upper are rejected, so every value is equally likely. */
function randomBelow(upper: number): number {
  // libsodium-wrappers takes a non-negative 32-bit signed integer, as (upper | 0) === upper.
  if ((upper | 0) !== upper || upper < 0) throw new TypeError('upper_bound must be an unsigned integer');
  if (upper < 2) return 0;
  const min = 2 ** 32 % upper;
  const word = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(word);
    if (word[0]! >= min) return word[0]! % upper;
  }
}

/** crypto_pwhash(ALG_ARGON2ID13)'s refusals, then noble's options for the same hash. */
function argon2idOptions(outputBytes: number, salt: Uint8Array, opsLimit: number, memLimitBytes: number) {
  if (salt.length !== 16) refuse('salt length');
  for (const [name, value] of [['outputBytes', outputBytes], ['opsLimit', opsLimit], ['memLimitBytes', memLimitBytes]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be an unsigned integer`);
  }
  // crypto_pwhash_argon2id: BYTES_MIN 16, OPSLIMIT_MIN 1, MEMLIMIT_MIN 8192; the maxima are far above any use here.
  if (outputBytes < 16 || opsLimit < 1 || memLimitBytes < 8192 || memLimitBytes > 2 ** 42) throw new Error('invalid usage');
  return { t: opsLimit, m: Math.floor(memLimitBytes / 1024), p: 1, dkLen: outputBytes, version: 0x13, maxmem: 2 ** 32 - 1 };
}

/** crypto_pwhash(ALG_ARGON2ID13): t = opsLimit passes over memLimitBytes / 1024 KiB, one lane, v1.3. */
function argon2idHash(outputBytes: number, password: Uint8Array, salt: Uint8Array, opsLimit: number, memLimitBytes: number): Uint8Array {
  return argon2id(password, salt, argon2idOptions(outputBytes, salt, opsLimit, memLimitBytes));
}

/**
 * The same hash, giving the thread back every few milliseconds and saying how far it is (0 to 1):
 * without a JIT it runs for a minute or more, and the page shows how far it has gone.
 */
function argon2idHashReporting(outputBytes: number, password: Uint8Array, salt: Uint8Array, opsLimit: number, memLimitBytes: number, onProgress: (fraction: number) => void): Promise<Uint8Array> {
  return argon2idAsync(password, salt, { ...argon2idOptions(outputBytes, salt, opsLimit, memLimitBytes), onProgress, asyncTick: 50 });
}

/** crypto_generichash: output 1..64 bytes; a null or empty key is unkeyed, else 1..64 bytes. */
function blake2bHash(outputBytes: number, message: Uint8Array, key: Uint8Array | null): Uint8Array {
  if (!Number.isInteger(outputBytes) || outputBytes < 1 || outputBytes > 64 || (key !== null && key.length > 64)) throw new Error('invalid usage');
  return blake2b(message, key === null || key.length === 0 ? { dkLen: outputBytes } : { dkLen: outputBytes, key });
}

function signKeyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) refuse('seed length');
  const publicKey = ed25519.getPublicKey(seed);
  return { publicKey, privateKey: concat(seed, publicKey) };
}

function boxKeyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) refuse('seed length');
  const privateKey = sha512(seed).slice(0, 32);
  return { publicKey: x25519.getPublicKey(privateKey), privateKey };
}

/**
 * crypto_sign_detached (ref10 sign.c, _crypto_sign_ed25519_detached): az = SHA-512(seed),
 * r = SHA-512(az[32..64] ‖ m) mod L, R = rB, k = SHA-512(R ‖ sk[32..64] ‖ m) mod L,
 * S = r + k·clamp(az[0..32]) mod L. Like libsodium, the public key hashed is the one stored in
 * the secret key's second half (noble's sign would derive it again: a second scalar
 * multiplication, and a different S if the halves ever disagreed).
 */
function signDetached(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  if (privateKey.length !== 64) refuse('privateKey length');
  const az = sha512(privateKey.subarray(0, 32));
  az[0]! &= 248;
  az[31]! &= 127;
  az[31]! |= 64;
  const a = bytesToNumberLE(az.subarray(0, 32));
  const r = modL(bytesToNumberLE(sha512(concat(az.subarray(32, 64), message))));
  const R = Point.BASE.multiply(r).toBytes();
  const k = modL(bytesToNumberLE(sha512(concat(R, privateKey.subarray(32, 64), message))));
  const S = modL(r + k * a);
  az.fill(0);
  return concat(R, numberToBytesLE(S, 32));
}

// libsodium's refusals before the equation (ref10 open.c, _crypto_sign_ed25519_verify_detached;
// docs/SPEC.md, "Ed25519 acceptance"), as worker/ed25519-strict.ts also ports them for the server.
const SMALL_ORDER_ENCODINGS = [
  '0000000000000000000000000000000000000000000000000000000000000000', // 0 (order 4)
  '0100000000000000000000000000000000000000000000000000000000000000', // 1 (order 1)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p - 1 (order 2)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p (= 0, order 4)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p + 1 (= 1, order 1)
].map((hex) => Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16)));

/** ge25519_has_small_order: the encoding, sign bit ignored, is on libsodium's list. */
function hasSmallOrder(encoded: Uint8Array): boolean {
  return SMALL_ORDER_ENCODINGS.some((bad) => {
    for (let j = 0; j < 31; j++) if (encoded[j] !== bad[j]) return false;
    return (encoded[31]! & 0x7f) === bad[31];
  });
}

/** ge25519_is_canonical: y, the low 255 bits, is below p = 2^255 - 19. */
function isCanonicalPoint(encoded: Uint8Array): boolean {
  if ((encoded[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i > 0; i--) if (encoded[i] !== 0xff) return true;
  return encoded[0]! < 0xed;
}

/**
 * crypto_sign_verify_detached as libsodium 1.0.22 does it: refuse S >= L, a small-order R, a
 * non-canonical or small-order public key, a key that is not a curve point; then the
 * cofactorless equation, R compared byte for byte with the encoding of sB - hA. (noble's
 * ed25519.verify checks the cofactored equation, which accepts signatures libsodium refuses,
 * so its point arithmetic is used here and not its verify.) Inputs are public: variable time.
 */
function verifyDetached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const R = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32, 64));
  if (s >= L || hasSmallOrder(R)) return false;
  if (!isCanonicalPoint(publicKey) || hasSmallOrder(publicKey)) return false;
  let A: InstanceType<typeof Point>;
  try {
    A = Point.fromBytes(publicKey, false); // strict decoding (RFC 8032): y < p, x recovered or refused
  } catch {
    return false;
  }
  const h = modL(bytesToNumberLE(sha512(concat(R, publicKey, message))));
  const check = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(h)).toBytes();
  return equalBytes(check, R);
}

/** "expand 32-byte k", the Salsa20 constant HSalsa20 uses in crypto_box_beforenm. */
const SIGMA = new Uint8Array([...'expand 32-byte k'].map((c) => c.charCodeAt(0)));

/** 32-bit words over a copy of the bytes (noble's hsalsa takes words in the host's byte order and normalises them). */
const words = (bytes: Uint8Array) => new Uint32Array(bytes.slice().buffer);

/**
 * crypto_box_beforenm: HSalsa20(key = X25519(secret, public), input = 16 zero bytes). noble's
 * X25519 throws on a low-order public key, where libsodium's crypto_scalarmult refuses the
 * all-zero shared secret: the same keys (test/protocol/noble-published.test.ts).
 */
function beforenm(publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array {
  const shared = x25519.getSharedSecret(secretKey, publicKey);
  const out = new Uint32Array(8);
  const sharedWords = words(shared);
  hsalsa(words(SIGMA), sharedWords, new Uint32Array(4), out);
  shared.fill(0);
  sharedWords.fill(0);
  return new Uint8Array(out.buffer);
}

/** BLAKE2b-192(epk ‖ recipient public key): crypto_box_seal's nonce. */
const sealNonce = (ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array) => blake2b(concat(ephemeralPublicKey, recipientPublicKey), { dkLen: 24 });

/** crypto_box_seal: epk ‖ crypto_box_easy(m, nonce, recipient, esk) (the 16-byte tag, then the ciphertext). */
function sealTo(message: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== 32) refuse('publicKey length');
  const ephemeralSecret = randomBytes(32);
  const ephemeralPublic = x25519.getPublicKey(ephemeralSecret);
  try {
    const key = beforenm(publicKey, ephemeralSecret);
    const boxed = xsalsa20poly1305(key, sealNonce(ephemeralPublic, publicKey)).encrypt(message);
    key.fill(0);
    return concat(ephemeralPublic, boxed);
  } finally {
    ephemeralSecret.fill(0);
  }
}

/** crypto_box_seal_open; null when the box does not open (or a length is wrong). */
function openSealed(sealed: Uint8Array, keyPair: KeyPair): Uint8Array | null {
  if (sealed.length < 48 || keyPair.publicKey.length !== 32 || keyPair.privateKey.length !== 32) return null;
  const ephemeralPublic = sealed.subarray(0, 32);
  try {
    const key = beforenm(ephemeralPublic, keyPair.privateKey);
    try {
      return xsalsa20poly1305(key, sealNonce(ephemeralPublic, keyPair.publicKey)).decrypt(sealed.subarray(32));
    } finally {
      key.fill(0);
    }
  } catch {
    return null;
  }
}

/** crypto_aead_xchacha20poly1305_ietf_encrypt, combined mode (ciphertext ‖ tag); throws on a wrong key or nonce length. */
function aeadEncrypt(plain: Uint8Array, associatedData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  if (key.length !== 32) refuse('key length');
  if (nonce.length !== 24) refuse('public_nonce length');
  return xchacha20poly1305(key, nonce, associatedData).encrypt(plain);
}

function aeadDecrypt(cipher: Uint8Array, associatedData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (key.length !== 32 || nonce.length !== 24 || cipher.length < 16) return null;
  try {
    return xchacha20poly1305(key, nonce, associatedData).decrypt(cipher);
  } catch {
    return null;
  }
}

export const nobleEngine: Primitives = {
  name: 'noble',
  randomBytes,
  randomBelow,
  argon2id: argon2idHash,
  argon2idReporting: argon2idHashReporting,
  blake2b: blake2bHash,
  sha256: (message) => sha256(message),
  signKeyPairFromSeed,
  boxKeyPairFromSeed,
  signDetached,
  verifyDetached,
  sealTo,
  openSealed,
  aeadEncrypt,
  aeadDecrypt,
  wipe: (bytes) => bytes.fill(0),
};
