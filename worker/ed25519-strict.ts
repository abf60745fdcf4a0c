// One job: would libsodium refuse this Ed25519 public key or signature before it evaluates the
// curve equation? The server verifies with WebCrypto, which is laxer than the clients' libsodium:
// it accepts small-order public keys, small-order R and non-canonical public keys. A signature
// the server stores but clients refuse breaks the thread it lands in (issue 10), so the server
// refuses what libsodium refuses up front (these checks), and WebCrypto does the equation.
// Inputs are public (keys and signatures), so nothing here needs to be constant-time.
//
// Ported from libsodium 1.0.22, the version libsodium-wrappers-sumo 0.8.4 runs on the clients
// (jedisct1/libsodium tag 1.0.22, commit 77e1ce5d6dee871c49ef211222ba18ef0c486bda).
// src/libsodium/crypto_sign/ed25519/ref10/open.c, _crypto_sign_ed25519_verify_detached:
//
//     if (sc25519_is_canonical(sig + 32) == 0 ||
//         ge25519_has_small_order(sig) != 0) {
//         return -1;
//     }
//     if (ge25519_is_canonical(pk) == 0 ||
//         ge25519_has_small_order(pk) != 0) {
//         return -1;
//     }
//     if (ge25519_frombytes_negate_vartime(&A, pk) != 0) {
//         return -1;
//     }
//     ... h = SHA-512(R || pk || m) mod L; R' = sB - hA ...
//     return crypto_verify_32(rcheck, sig) | ...   (cofactorless, R compared byte for byte)
//
// R itself is never checked for canonicity (only against the small-order list): a non-canonical
// R can never equal the canonical encoding of sB - hA, so both libsodium and WebCrypto refuse it
// at the comparison. The equation is the same in both (cofactorless), so after these checks
// the server accepts exactly what the clients accept (test/protocol/ed25519-strict.test.ts).
//
// Note: libsodium's development branch (after 1.0.22) checks small order on decoded points and
// accepts when R - (sB - hA) has small order (a cofactored check). The refusals before the
// equation are the same set, but its equation is more lenient than WebCrypto's (it also accepts a
// non-canonical R); the test above should then fail on speccheck's cofactored-only cases.

/** 2^255 - 19, the field order. */
const P = (1n << 255n) - 19n;
/** Edwards d = -121665/121666 mod p. */
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;

const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;

const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));

// src/libsodium/crypto_core/ed25519/ref10/ed25519_ref10.c, sc25519_is_canonical:
//     /* 2^252+27742317777372353535851937790883648493 */
//     static const unsigned char L[32] = { 0xed, 0xd3, 0xf5, 0x5c, ... 0x00, 0x10 };
//     ... return (c != 0);   /* s < L, comparing all 32 bytes little-endian */
const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');

// ed25519_ref10.c, ge25519_has_small_order, verbatim list ("blacklist" there):
//     /* 0 (order 4) */  /* 1 (order 1) */
//     /* 2707385501144840649318225287225658788936804267575313519463743609750303402022 (order 8) */
//     /* 55188659117513257062467267217118295137698188065244968500265048394206261417927 (order 8) */
//     /* p-1 (order 2) */  /* p (=0, order 4) */  /* p+1 (=1, order 1) */
//     for (j = 0; j < 31; j++) { ... c[i] |= s[j] ^ blacklist[i][j]; }
//     for (i = 0; ...) { c[i] |= (s[j] & 0x7f) ^ blacklist[i][j]; }   /* sign bit ignored */
// Every encoding of every point of order 1, 2, 4 or 8, with either sign bit.
const SMALL_ORDER_ENCODINGS = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map(hex);

/** sc25519_is_canonical: the 32 bytes, little-endian, are below the group order L. */
export function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i]! !== L[i]!) return s[i]! < L[i]!;
  }
  return false; // s == L
}

/** ge25519_has_small_order: the encoding (sign bit ignored) is on libsodium's small-order list. */
export function hasSmallOrder(encoded: Uint8Array): boolean {
  return SMALL_ORDER_ENCODINGS.some((bad) => {
    for (let j = 0; j < 31; j++) if (encoded[j] !== bad[j]) return false;
    return (encoded[31]! & 0x7f) === bad[31];
  });
}

// ge25519_is_canonical:
//     c = (s[31] & 0x7f) ^ 0x7f;
//     for (i = 30; i > 0; i--) { c |= s[i] ^ 0xff; }
//     c = (((unsigned int) c) - 1U) >> 8;
//     d = (0xed - 1U - (unsigned int) s[0]) >> 8;
//     return 1 - (c & d & 1);
/** ge25519_is_canonical: y (the 255 low bits) is below p = 2^255 - 19. */
export function isCanonicalPoint(encoded: Uint8Array): boolean {
  if ((encoded[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i > 0; i--) if (encoded[i] !== 0xff) return true;
  return encoded[0]! < 0xed;
}

/**
 * ge25519_frombytes_negate_vartime succeeds: there is an x with -x² + y² = 1 + d·x²·y², i.e.
 * u/v is a square mod p for u = y² - 1, v = d·y² + 1 (v is never 0: -1/d is not a square).
 * libsodium tests v·x² = ±u for a candidate root x; Euler's criterion on u·v is the same test.
 */
export function decodesToCurvePoint(encoded: Uint8Array): boolean {
  const y = yOf(encoded) % P;
  const y2 = (y * y) % P;
  const uv = (((y2 - 1n + P) % P) * ((D * y2 + 1n) % P)) % P;
  return uv === 0n || modPow(uv, (P - 1n) / 2n) === 1n;
}

/**
 * The byte-level half of libsodium's public-key checks: 32 bytes, canonical, not of small order.
 * Enough for a key that must sign in the same request: a signature by a key that is no curve
 * point never verifies (WebCrypto's and OpenSSL's decoding refuse it), so the BigInt test of
 * isAcceptableEd25519PublicKey (~0.15 ms) would only repeat that refusal.
 */
export function passesKeyByteChecks(publicKey: Uint8Array): boolean {
  return publicKey.length === PUBLIC_KEY_BYTES && isCanonicalPoint(publicKey) && !hasSmallOrder(publicKey);
}

/**
 * A public key libsodium will verify signatures against: 32 bytes, canonical, not of small
 * order, and a point on the curve. For routes that register signing keys.
 */
export function isAcceptableEd25519PublicKey(publicKey: Uint8Array): boolean {
  return passesKeyByteChecks(publicKey) && decodesToCurvePoint(publicKey);
}

/**
 * False when libsodium's crypto_sign_verify_detached refuses this key and signature on their
 * bytes, before the curve equation: wrong length, S >= L, R of small order, a non-canonical or
 * small-order public key. True says nothing about validity: the equation is still to be checked.
 * libsodium's one other up-front refusal, a key that is not a curve point, is left to the
 * verifier: WebCrypto's decoding refuses it too, and the BigInt test (decodesToCurvePoint) would
 * double the cost of every verification. isAcceptableEd25519PublicKey does check it.
 */
export function passesLibsodiumSignatureChecks(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  const r = signature.subarray(0, 32);
  const s = signature.subarray(32, 64);
  return isCanonicalScalar(s) && !hasSmallOrder(r) && passesKeyByteChecks(publicKey);
}

function yOf(encoded: Uint8Array): bigint {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? encoded[i]! & 0x7f : encoded[i]!);
  return y;
}

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base % P;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}
