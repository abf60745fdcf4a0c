// The one module that imports libsodium (the sumo build: the standard one lacks
// crypto_pwhash). Everything else calls these narrow wrappers, so the surface of
// primitives in use is visible in one place and can be reviewed as a whole.
import sodium from 'libsodium-wrappers-sumo';

export async function sodiumReady(): Promise<void> {
  await sodium.ready;
}

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export function randomBytes(length: number): Uint8Array {
  return sodium.randombytes_buf(length);
}

/** Unbiased integer in [0, upper): libsodium rejects the biased tail. */
export function randomBelow(upper: number): number {
  return sodium.randombytes_uniform(upper);
}

export function argon2id(outputBytes: number, password: Uint8Array, salt: Uint8Array, opsLimit: number, memLimitBytes: number): Uint8Array {
  return sodium.crypto_pwhash(outputBytes, password, salt, opsLimit, memLimitBytes, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

/** BLAKE2b; with a key it is a PRF, which is how sub-keys are separated by label. */
export function blake2b(outputBytes: number, message: Uint8Array, key: Uint8Array | null = null): Uint8Array {
  return sodium.crypto_generichash(outputBytes, message, key);
}

export function sha256(message: Uint8Array): Uint8Array {
  return sodium.crypto_hash_sha256(message);
}

export function signKeyPairFromSeed(seed: Uint8Array): KeyPair {
  const { publicKey, privateKey } = sodium.crypto_sign_seed_keypair(seed);
  return { publicKey, privateKey };
}

export function boxKeyPairFromSeed(seed: Uint8Array): KeyPair {
  const { publicKey, privateKey } = sodium.crypto_box_seed_keypair(seed);
  return { publicKey, privateKey };
}

export function signDetached(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return sodium.crypto_sign_detached(message, privateKey);
}

export function verifyDetached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false; // wrong lengths are a failed verification, not a crash
  }
}

/** Anonymous public-key encryption (X25519 + XSalsa20-Poly1305 with an ephemeral key). */
export function sealTo(message: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return sodium.crypto_box_seal(message, publicKey);
}

/** Returns null when the box does not open: callers choose the error to raise. */
export function openSealed(sealed: Uint8Array, keyPair: KeyPair): Uint8Array | null {
  try {
    return sodium.crypto_box_seal_open(sealed, keyPair.publicKey, keyPair.privateKey);
  } catch {
    return null;
  }
}

export function aeadEncrypt(plain: Uint8Array, associatedData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, associatedData, null, nonce, key);
}

/** Returns null when the tag does not verify. */
export function aeadDecrypt(cipher: Uint8Array, associatedData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, cipher, associatedData, nonce, key);
  } catch {
    return null;
  }
}

export function wipe(bytes: Uint8Array): void {
  sodium.memzero(bytes);
}
