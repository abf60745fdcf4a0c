// The one module that imports libsodium (the sumo build: the standard one lacks
// crypto_pwhash). Everything else calls these narrow wrappers, so the surface of
// primitives in use is visible in one place and can be reviewed as a whole.
//
// Two engines implement the wrappers (primitives.ts): libsodium in WebAssembly, here, and the
// same primitives in pure JavaScript on @noble (noble.ts), for browsers without WebAssembly
// (Tor Browser "Safer"). sodiumReady() chooses once: libsodium whenever WebAssembly works.
//
// libsodium is imported only when WebAssembly works (a dynamic import, which the page build keeps
// in the same file but does not run): started without WebAssembly, its loader throws an error
// nothing can catch, and it would be work for nothing. The noble engine is loaded only without it
// (noble-load.ts; in the pages, a file of its own that other browsers never download).
import type Sodium from 'libsodium-wrappers-sumo';
import { loadNobleEngine } from './noble-load.js';
import { webAssemblyWorks, type EngineName, type KeyPair, type Primitives } from './primitives.js';

export type { EngineName, KeyPair } from './primitives.js';

/** libsodium, once loaded and ready (startLibsodium). */
let sodium: typeof Sodium;
let libsodiumStart: Promise<boolean> | undefined;

/** Loads libsodium and waits for it to be ready, once; false when it cannot start. */
function startLibsodium(): Promise<boolean> {
  libsodiumStart ??= import('libsodium-wrappers-sumo')
    .then(async (module) => {
      await module.default.ready;
      sodium = module.default;
      return true;
    })
    .catch(() => false);
  return libsodiumStart;
}

const libsodiumEngine: Primitives = {
  name: 'libsodium',

  randomBytes(length) {
    return sodium.randombytes_buf(length);
  },

  /** Unbiased integer in [0, upper): libsodium rejects the biased tail. */
  randomBelow(upper) {
    return sodium.randombytes_uniform(upper);
  },

  argon2id(outputBytes, password, salt, opsLimit, memLimitBytes) {
    return sodium.crypto_pwhash(outputBytes, password, salt, opsLimit, memLimitBytes, sodium.crypto_pwhash_ALG_ARGON2ID13);
  },

  /** BLAKE2b; with a key it is a PRF, which is how sub-keys are separated by label. */
  blake2b(outputBytes, message, key) {
    return sodium.crypto_generichash(outputBytes, message, key);
  },

  sha256(message) {
    return sodium.crypto_hash_sha256(message);
  },

  signKeyPairFromSeed(seed) {
    const { publicKey, privateKey } = sodium.crypto_sign_seed_keypair(seed);
    return { publicKey, privateKey };
  },

  boxKeyPairFromSeed(seed) {
    const { publicKey, privateKey } = sodium.crypto_box_seed_keypair(seed);
    return { publicKey, privateKey };
  },

  signDetached(message, privateKey) {
    return sodium.crypto_sign_detached(message, privateKey);
  },

  verifyDetached(signature, message, publicKey) {
    try {
      return sodium.crypto_sign_verify_detached(signature, message, publicKey);
    } catch {
      return false; // wrong lengths are a failed verification, not a crash
    }
  },

  /** Anonymous public-key encryption (X25519 + XSalsa20-Poly1305 with an ephemeral key). */
  sealTo(message, publicKey) {
    return sodium.crypto_box_seal(message, publicKey);
  },

  /** Returns null when the box does not open: callers choose the error to raise. */
  openSealed(sealed, keyPair) {
    try {
      return sodium.crypto_box_seal_open(sealed, keyPair.publicKey, keyPair.privateKey);
    } catch {
      return null;
    }
  },

  aeadEncrypt(plain, associatedData, nonce, key) {
    return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, associatedData, null, nonce, key);
  },

  /** Returns null when the tag does not verify. */
  aeadDecrypt(cipher, associatedData, nonce, key) {
    try {
      return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, cipher, associatedData, nonce, key);
    } catch {
      return null;
    }
  },

  wipe(bytes) {
    sodium.memzero(bytes);
  },
};

/** The engine sodiumReady() chose; undefined until it has. */
let active: Primitives | undefined;
let choice: Promise<EngineName> | undefined;

/**
 * Chooses the engine, once, and resolves to its name: libsodium when WebAssembly works and
 * libsodium starts in it; otherwise the pure-JavaScript engine. Call before any primitive.
 */
export function sodiumReady(): Promise<EngineName> {
  choice ??= choose();
  return choice;
}

async function choose(): Promise<EngineName> {
  // WebAssembly there but libsodium unable to start in it is the same case as no WebAssembly.
  active = webAssemblyWorks() && (await startLibsodium()) ? libsodiumEngine : await loadNobleEngine();
  return active.name;
}

/**
 * For tests only (nothing in web/ calls it, so the page bundles leave it out): run the
 * protocol on the named engine from now on, whatever sodiumReady() would choose.
 */
export async function forceEngineForTests(name: EngineName): Promise<void> {
  if (name === 'libsodium' && !(await startLibsodium())) throw new Error('libsodium cannot start here');
  active = name === 'libsodium' ? libsodiumEngine : await loadNobleEngine();
  choice = Promise.resolve(name);
}

function engine(): Primitives {
  if (!active) throw new Error('no cryptographic engine yet: await sodiumReady() first');
  return active;
}

export function randomBytes(length: number): Uint8Array {
  return engine().randomBytes(length);
}

/** Unbiased integer in [0, upper): the biased tail is rejected. */
export function randomBelow(upper: number): number {
  return engine().randomBelow(upper);
}

export function argon2id(outputBytes: number, password: Uint8Array, salt: Uint8Array, opsLimit: number, memLimitBytes: number): Uint8Array {
  return engine().argon2id(outputBytes, password, salt, opsLimit, memLimitBytes);
}

/**
 * argon2id, reporting how far it has gone where the engine can (noble, which also gives the thread
 * back as it goes); libsodium runs in one call, a few seconds, and reports only that it is done.
 */
export async function argon2idReporting(outputBytes: number, password: Uint8Array, salt: Uint8Array, opsLimit: number, memLimitBytes: number, onProgress: (fraction: number) => void): Promise<Uint8Array> {
  const chosen = engine();
  const hash = chosen.argon2idReporting ? await chosen.argon2idReporting(outputBytes, password, salt, opsLimit, memLimitBytes, onProgress) : chosen.argon2id(outputBytes, password, salt, opsLimit, memLimitBytes);
  onProgress(1);
  return hash;
}

/** BLAKE2b (crypto_generichash); with a key it is a PRF, which is how sub-keys are separated by label. */
export function blake2b(outputBytes: number, message: Uint8Array, key: Uint8Array | null = null): Uint8Array {
  return engine().blake2b(outputBytes, message, key);
}

export function sha256(message: Uint8Array): Uint8Array {
  return engine().sha256(message);
}

export function signKeyPairFromSeed(seed: Uint8Array): KeyPair {
  return engine().signKeyPairFromSeed(seed);
}

export function boxKeyPairFromSeed(seed: Uint8Array): KeyPair {
  return engine().boxKeyPairFromSeed(seed);
}

export function signDetached(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return engine().signDetached(message, privateKey);
}

/** False for a bad signature or wrong lengths, never a throw. */
export function verifyDetached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return engine().verifyDetached(signature, message, publicKey);
}

/** Anonymous public-key encryption (X25519 + XSalsa20-Poly1305 with an ephemeral key). */
export function sealTo(message: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return engine().sealTo(message, publicKey);
}

/** Returns null when the box does not open: callers choose the error to raise. */
export function openSealed(sealed: Uint8Array, keyPair: KeyPair): Uint8Array | null {
  return engine().openSealed(sealed, keyPair);
}

export function aeadEncrypt(plain: Uint8Array, associatedData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  return engine().aeadEncrypt(plain, associatedData, nonce, key);
}

/** Returns null when the tag does not verify. */
export function aeadDecrypt(cipher: Uint8Array, associatedData: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  return engine().aeadDecrypt(cipher, associatedData, nonce, key);
}

export function wipe(bytes: Uint8Array): void {
  engine().wipe(bytes);
}
