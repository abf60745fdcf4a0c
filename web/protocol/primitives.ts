// The primitives the protocol uses, as one interface with two implementations ("engines"):
// libsodium compiled to WebAssembly (sodium.ts, the one module that imports libsodium) and
// pure JavaScript on the audited @noble libraries (noble.ts, the one module that imports
// @noble). Both give the same bytes for the same inputs and refuse the same inputs
// (test/protocol/noble-engine.test.ts); sodium.ts picks one, once, in sodiumReady().
// This module imports neither: it holds the interface and the choice.

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export type EngineName = 'libsodium' | 'noble';

/** Every primitive the protocol calls; sodium.ts exports each as a function of the same name. */
export interface Primitives {
  readonly name: EngineName;
  randomBytes(length: number): Uint8Array;
  /** Unbiased integer in [0, upper) (randombytes_uniform). */
  randomBelow(upper: number): number;
  /** crypto_pwhash with ALG_ARGON2ID13 (Argon2id v1.3, parallelism 1, memory in bytes). */
  argon2id(outputBytes: number, password: Uint8Array, salt: Uint8Array, opsLimit: number, memLimitBytes: number): Uint8Array;
  /** The same hash, yielding and reporting progress (0 to 1); only an engine that can (noble) has it. */
  argon2idReporting?(outputBytes: number, password: Uint8Array, salt: Uint8Array, opsLimit: number, memLimitBytes: number, onProgress: (fraction: number) => void): Promise<Uint8Array>;
  /** crypto_generichash: BLAKE2b, keyed when key is given and not empty. */
  blake2b(outputBytes: number, message: Uint8Array, key: Uint8Array | null): Uint8Array;
  sha256(message: Uint8Array): Uint8Array;
  /** crypto_sign_seed_keypair: privateKey is seed ‖ publicKey (64 bytes). */
  signKeyPairFromSeed(seed: Uint8Array): KeyPair;
  /** crypto_box_seed_keypair: privateKey is SHA-512(seed)[0..32], publicKey its X25519 base multiple. */
  boxKeyPairFromSeed(seed: Uint8Array): KeyPair;
  signDetached(message: Uint8Array, privateKey: Uint8Array): Uint8Array;
  /** crypto_sign_verify_detached, with its refusals (docs/SPEC.md, "Ed25519 acceptance"); false, never a throw. */
  verifyDetached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** crypto_box_seal: throws when the recipient key is of low order (an all-zero shared secret). */
  sealTo(message: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** crypto_box_seal_open; null when the box does not open. */
  openSealed(sealed: Uint8Array, keyPair: KeyPair): Uint8Array | null;
  /** crypto_aead_xchacha20poly1305_ietf_encrypt (combined: ciphertext ‖ 16-byte tag). */
  aeadEncrypt(plain: Uint8Array, associatedData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** null when the tag does not verify (or the nonce or key has the wrong length). */
  aeadDecrypt(cipher: Uint8Array, associatedData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null;
  wipe(bytes: Uint8Array): void;
}

/** The smallest valid WebAssembly module: the magic number and version 1, nothing else. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/**
 * Whether this JavaScript engine runs WebAssembly: the global exists and a tiny module compiles
 * and instantiates. False in Tor Browser's "Safer" level (javascript.options.wasm off), in
 * browsers built without it, and where a policy refuses compilation.
 */
export function webAssemblyWorks(): boolean {
  return instantiatesEmptyModule((globalThis as { WebAssembly?: unknown }).WebAssembly);
}

/** The test behind webAssemblyWorks, on a given WebAssembly API (so the choice itself can be tested). */
export function instantiatesEmptyModule(wasm: unknown): boolean {
  try {
    const api = wasm as typeof WebAssembly | undefined;
    if (typeof api !== 'object' || api === null) return false;
    const instance = new api.Instance(new api.Module(EMPTY_MODULE), {});
    return instance instanceof api.Instance;
  } catch {
    return false;
  }
}
