// Issue 13: the pure-JavaScript engine (web/protocol/noble.ts, on @noble) that browsers without
// WebAssembly get. It must be the same protocol: every known-answer vector passes on it, it gives
// the same bytes as libsodium for the same inputs, it opens what libsodium seals and libsodium
// opens what it seals, and it refuses what libsodium refuses. Real crypto on both engines;
// forceEngineForTests switches the engine every web/protocol module calls through sodium.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { buildNobleBundle, loadNobleFromItsBundle, NOBLE_BUNDLE, nobleBundleDefine } from '../../scripts/lib/noble-bundle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_KDF } from '../../web/protocol/labels.js';
import { instantiatesEmptyModule, webAssemblyWorks, type EngineName } from '../../web/protocol/primitives.js';
import {
  aeadDecrypt, aeadEncrypt, argon2id, blake2b, boxKeyPairFromSeed, forceEngineForTests, openSealed, randomBelow, randomBytes, sealTo, sha256, signDetached,
  signKeyPairFromSeed, sodiumReady, verifyDetached, wipe,
} from '../../web/protocol/sodium.js';
import { runVector, VECTOR_KINDS, type TestVector } from '../support/vector-runner.js';

const ENGINES: readonly EngineName[] = ['libsodium', 'noble'];
const OTHER: Record<EngineName, EngineName> = { libsodium: 'noble', noble: 'libsodium' };
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Runs f on the named engine (every primitive in sodium.ts then goes to it). */
async function on<T>(engine: EngineName, f: () => T): Promise<T> {
  await forceEngineForTests(engine);
  return f();
}

/** The value f gives on each engine, or 'throws'. */
async function onBoth<T>(f: () => T): Promise<Record<EngineName, T | 'throws'>> {
  const attempt = () => {
    try {
      return f();
    } catch {
      return 'throws' as const;
    }
  };
  return { libsodium: await on('libsodium', attempt), noble: await on('noble', attempt) };
}

const VECTOR_DIR = new URL('../vectors/', import.meta.url);
const vectors = readdirSync(VECTOR_DIR).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, VECTOR_DIR), 'utf8')) as TestVector)
  .filter((v) => VECTOR_KINDS.includes(v.kind));

afterAll(() => forceEngineForTests('libsodium'));

describe('choosing the engine', () => {
  it('is libsodium in Node, where WebAssembly works', async () => {
    expect(webAssemblyWorks()).toBe(true);
    expect(await sodiumReady()).toBe('libsodium');
  });

  it('sees no WebAssembly when the global is missing, incomplete or refuses to compile', () => {
    expect(instantiatesEmptyModule(undefined)).toBe(false);
    expect(instantiatesEmptyModule(null)).toBe(false);
    expect(instantiatesEmptyModule({})).toBe(false);
    const refusing = { ...WebAssembly, Module: class { constructor() { throw new WebAssembly.CompileError('wasm is disabled'); } } };
    expect(instantiatesEmptyModule(refusing)).toBe(false);
    expect(instantiatesEmptyModule(WebAssembly)).toBe(true);
  });

  it('is decided once: sodiumReady resolves to the engine in use', async () => {
    await forceEngineForTests('noble');
    expect(await sodiumReady()).toBe('noble');
    await forceEngineForTests('libsodium');
    expect(await sodiumReady()).toBe('libsodium');
  });

  it('leaves the test-only switch and the noble engine out of the reporter’s engine bundle; noble is a bundle of its own, pinned by hash', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const options: BuildOptions = { bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', external: ['fs', 'path', 'crypto', 'url', 'module', 'node:*'] };
    const noble = await buildNobleBundle(root, options);
    const define = nobleBundleDefine('sha384-pinned');
    const result = await build({ ...options, entryPoints: [join(root, 'web/reporter/engine.ts')], plugins: [loadNobleFromItsBundle(root)], define });
    const text = result.outputFiles![0]!.text;
    expect(text).not.toContain('forceEngineForTests');
    expect(text).toContain('libsodiumEngine');
    // esbuild names each bundled module's path in a comment.
    expect(text).toContain('node_modules/libsodium');
    expect(text).not.toContain('node_modules/@noble/');
    expect(text).toContain('sha384-pinned');
    expect(text).toContain(`/static/${NOBLE_BUNDLE}`);
    expect(Buffer.from(noble).toString()).toContain('node_modules/@noble/');
    expect(Buffer.from(noble).toString()).toMatch(/export \{[^}]*nobleEngine/);
  });
});

describe('one importer per engine', () => {
  it('in web/, only protocol/sodium.ts imports libsodium and only protocol/noble.ts imports @noble', () => {
    const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
    const files = (readdirSync(WEB, { recursive: true }) as string[]).filter((f) => /\.(ts|js|mjs)$/.test(f)).map((f) => join(WEB, f));
    const importers = (pattern: RegExp) => files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(WEB, f));
    expect(importers(/(?:from|import)\s*\(?\s*['"]libsodium/)).toEqual(['protocol/sodium.ts']);
    expect(importers(/(?:from|import)\s*\(?\s*['"]@noble\//)).toEqual(['protocol/noble.ts']);
  });
});

describe('every known-answer vector on the noble engine', () => {
  beforeAll(() => forceEngineForTests('noble'));

  it('covers every client-side vector file, including the production Argon2id cost', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(50);
    expect(vectors.some((v) => JSON.stringify(v.inputs.kdf) === JSON.stringify(PRODUCTION_KDF))).toBe(true);
  });

  for (const vector of vectors) {
    it(vector.name, async () => {
      expect(await sodiumReady()).toBe('noble');
      expect(runVector(vector)).toEqual({ ok: true });
    });
  }
});

describe('the same bytes from both engines', () => {
  const seeds = Array.from({ length: 8 }, (_, i) => Uint8Array.from({ length: 32 }, (_, j) => (i * 37 + j * 11) & 0xff));
  const messages = [0, 1, 63, 64, 65, 1000, 70_000].map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff));

  it('Ed25519 key pairs from a seed, and deterministic signatures', async () => {
    for (const seed of seeds) {
      const pairs = await onBoth(() => signKeyPairFromSeed(seed));
      expect(pairs.noble).toEqual(pairs.libsodium);
      const pair = pairs.libsodium as ReturnType<typeof signKeyPairFromSeed>;
      expect(pair.privateKey).toHaveLength(64);
      for (const message of messages) {
        const signatures = await onBoth(() => hex(signDetached(message, pair.privateKey)));
        expect(signatures.noble, `seed ${hex(seed)}, ${message.length} bytes`).toBe(signatures.libsodium);
      }
    }
  });

  it('signs as libsodium does when the secret key’s public half is not its seed’s (it hashes the stored half)', async () => {
    const { privateKey } = await on('libsodium', () => signKeyPairFromSeed(seeds[0]!));
    const odd = privateKey.slice();
    odd[40]! ^= 1;
    const signatures = await onBoth(() => hex(signDetached(utf8('m'), odd)));
    expect(signatures.noble).toBe(signatures.libsodium);
  });

  it('signatures made by either verify on both, and fail on both once anything is changed', async () => {
    for (const signer of ENGINES) {
      const pair = await on(signer, () => signKeyPairFromSeed(seeds[1]!));
      const message = utf8(`signed by ${signer}`);
      const signature = await on(signer, () => signDetached(message, pair.privateKey));
      expect(await onBoth(() => verifyDetached(signature, message, pair.publicKey))).toEqual({ libsodium: true, noble: true });
      for (let bit = 0; bit < 512; bit += 37) {
        const flipped = signature.slice();
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        expect(await onBoth(() => verifyDetached(flipped, message, pair.publicKey)), `bit ${bit}`).toEqual({ libsodium: false, noble: false });
      }
      expect(await onBoth(() => verifyDetached(signature, utf8(`signed by ${OTHER[signer]}`), pair.publicKey))).toEqual({ libsodium: false, noble: false });
      expect(await onBoth(() => verifyDetached(signature.subarray(0, 63), message, pair.publicKey))).toEqual({ libsodium: false, noble: false });
      expect(await onBoth(() => verifyDetached(signature, message, pair.publicKey.subarray(1)))).toEqual({ libsodium: false, noble: false });
    }
  });

  it('X25519 box key pairs from a seed (SHA-512(seed)[0..32] and its base multiple)', async () => {
    for (const seed of seeds) {
      const pairs = await onBoth(() => boxKeyPairFromSeed(seed));
      expect(pairs.noble).toEqual(pairs.libsodium);
    }
  });

  it('sealed boxes: sealed by either engine, opened by both; 48 bytes longer; tampering, truncation or the wrong key give null on both', async () => {
    const recipient = await on('libsodium', () => boxKeyPairFromSeed(seeds[2]!));
    const stranger = await on('libsodium', () => boxKeyPairFromSeed(seeds[3]!));
    for (const sealer of ENGINES) {
      for (const message of messages) {
        const sealed = await on(sealer, () => sealTo(message, recipient.publicKey));
        expect(sealed).toHaveLength(message.length + 48);
        const opened = await onBoth(() => { const m = openSealed(sealed, recipient); return m && hex(m); });
        expect(opened, `${sealer}, ${message.length} bytes`).toEqual({ libsodium: hex(message), noble: hex(message) });
        const tampered = sealed.slice();
        tampered[sealed.length - 1]! ^= 1;
        expect(await onBoth(() => openSealed(tampered, recipient))).toEqual({ libsodium: null, noble: null });
        const otherEphemeral = sealed.slice();
        otherEphemeral[0]! ^= 1;
        expect(await onBoth(() => openSealed(otherEphemeral, recipient))).toEqual({ libsodium: null, noble: null });
        expect(await onBoth(() => openSealed(sealed, stranger))).toEqual({ libsodium: null, noble: null });
        expect(await onBoth(() => openSealed(sealed.subarray(0, 47), recipient))).toEqual({ libsodium: null, noble: null });
        // The nonce binds the recipient's public key: the right secret under another public key does not open it.
        expect(await onBoth(() => openSealed(sealed, { publicKey: stranger.publicKey, privateKey: recipient.privateKey }))).toEqual({ libsodium: null, noble: null });
      }
    }
  });

  it('sealing is randomised on both', async () => {
    const recipient = await on('libsodium', () => boxKeyPairFromSeed(seeds[2]!));
    for (const engine of ENGINES) {
      const [a, b] = await on(engine, () => [sealTo(utf8('x'), recipient.publicKey), sealTo(utf8('x'), recipient.publicKey)]);
      expect(hex(a!)).not.toBe(hex(b!));
    }
  });

  it('XChaCha20-Poly1305: the same ciphertext and tag; each opens the other’s; a wrong tag, associated data or key gives null', async () => {
    const key = randomBytes(32);
    const nonce = randomBytes(24);
    for (const message of messages) {
      for (const ad of [new Uint8Array(0), utf8('case id, message id, role')]) {
        const sealed = await onBoth(() => hex(aeadEncrypt(message, ad, nonce, key)));
        expect(sealed.noble).toBe(sealed.libsodium);
        const cipher = Uint8Array.from(Buffer.from(sealed.libsodium as string, 'hex'));
        expect(await onBoth(() => hex(aeadDecrypt(cipher, ad, nonce, key)!))).toEqual({ libsodium: hex(message), noble: hex(message) });
        const flipped = cipher.slice();
        flipped[flipped.length - 1]! ^= 0x80;
        expect(await onBoth(() => aeadDecrypt(flipped, ad, nonce, key))).toEqual({ libsodium: null, noble: null });
        expect(await onBoth(() => aeadDecrypt(cipher, utf8('other'), nonce, key))).toEqual({ libsodium: null, noble: null });
        expect(await onBoth(() => aeadDecrypt(cipher, ad, nonce, randomBytes(32)))).toEqual({ libsodium: null, noble: null });
        expect(await onBoth(() => aeadDecrypt(cipher.subarray(0, 15), ad, nonce, key))).toEqual({ libsodium: null, noble: null });
      }
    }
  });

  it('BLAKE2b (crypto_generichash) keyed and unkeyed, every output length; an empty key is no key', async () => {
    for (const message of messages) {
      for (const key of [null, new Uint8Array(0), new Uint8Array(1).fill(1), new Uint8Array(16).fill(2), new Uint8Array(32).fill(3), new Uint8Array(64).fill(4)]) {
        for (const length of [1, 16, 24, 32, 48, 64]) {
          const digests = await onBoth(() => hex(blake2b(length, message, key)));
          expect(digests.noble, `${message.length} bytes, key ${key?.length}, out ${length}`).toBe(digests.libsodium);
        }
      }
    }
    expect(await onBoth(() => hex(blake2b(32, utf8('abc'), new Uint8Array(0))) === hex(blake2b(32, utf8('abc'))))).toEqual({ libsodium: true, noble: true });
  });

  it('SHA-256', async () => {
    for (const message of messages) {
      const digests = await onBoth(() => hex(sha256(message)));
      expect(digests.noble).toBe(digests.libsodium);
    }
  });

  it('Argon2id: the same output for the same passphrase, salt and costs (the production cost is in the vectors above)', async () => {
    const salt = Uint8Array.from({ length: 16 }, (_, i) => i);
    for (const [opsLimit, memLimitBytes, outputBytes] of [[1, 8192, 16], [1, 65536, 32], [2, 1_048_576, 32], [3, 9000, 64], [4, 262_144, 32]] as const) {
      const hashes = await onBoth(() => hex(argon2id(outputBytes, utf8('correct horse battery staple'), salt, opsLimit, memLimitBytes)));
      expect(hashes.noble, `t=${opsLimit}, ${memLimitBytes} bytes, ${outputBytes} out`).toBe(hashes.libsodium);
    }
  });
});

describe('the same refusals from both engines', () => {
  const pw = utf8('pw');
  const salt = new Uint8Array(16);
  const seed = new Uint8Array(32).fill(9);

  const cases: Record<string, () => unknown> = {
    'argon2id output 15 bytes': () => argon2id(15, pw, salt, 1, 8192),
    'argon2id opsLimit 0': () => argon2id(32, pw, salt, 0, 8192),
    'argon2id opsLimit 1.5': () => argon2id(32, pw, salt, 1.5, 8192),
    'argon2id memory 8191 bytes': () => argon2id(32, pw, salt, 1, 8191),
    'argon2id salt 15 bytes': () => argon2id(32, pw, salt.subarray(1), 1, 8192),
    'argon2id salt 17 bytes': () => argon2id(32, pw, new Uint8Array(17), 1, 8192),
    'blake2b output 0': () => blake2b(0, pw),
    'blake2b output 65': () => blake2b(65, pw),
    'blake2b key 65 bytes': () => blake2b(32, pw, new Uint8Array(65)),
    'Ed25519 seed 31 bytes': () => signKeyPairFromSeed(seed.subarray(1)),
    'X25519 seed 33 bytes': () => boxKeyPairFromSeed(new Uint8Array(33)),
    'signing with a 32-byte secret key': () => signDetached(pw, seed),
    'sealing to a 31-byte public key': () => sealTo(pw, seed.subarray(1)),
    'sealing to the all-zero public key': () => sealTo(pw, new Uint8Array(32)),
    'AEAD with a 31-byte key': () => aeadEncrypt(pw, pw, new Uint8Array(24), seed.subarray(1)),
    'AEAD with a 12-byte nonce': () => aeadEncrypt(pw, pw, new Uint8Array(12), seed),
    'randomBelow(-1)': () => randomBelow(-1),
    'randomBelow(1.5)': () => randomBelow(1.5),
    'randomBelow(2^31)': () => randomBelow(2 ** 31),
    'randomBelow(0)': () => randomBelow(0),
    'randomBelow(1)': () => randomBelow(1),
    'randomBytes(0)': () => randomBytes(0).length,
    'randomBytes(70000)': () => randomBytes(70_000).length,
  };
  for (const [name, f] of Object.entries(cases)) {
    it(name, async () => {
      const outcome = await onBoth(f);
      expect(outcome.noble).toEqual(outcome.libsodium);
    });
  }

  it('opening with wrong-length keys gives null on both', async () => {
    const sealed = await on('libsodium', () => sealTo(pw, boxKeyPairFromSeed(seed).publicKey));
    const pair = await on('libsodium', () => boxKeyPairFromSeed(seed));
    expect(await onBoth(() => openSealed(sealed, { publicKey: pair.publicKey, privateKey: pair.privateKey.subarray(1) }))).toEqual({ libsodium: null, noble: null });
    expect(await onBoth(() => openSealed(sealed, { publicKey: pair.publicKey.subarray(1), privateKey: pair.privateKey }))).toEqual({ libsodium: null, noble: null });
  });
});

describe('the noble engine’s randomness', () => {
  beforeAll(() => forceEngineForTests('noble'));

  it('randomBelow stays below its bound and reaches every value of a small one', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = randomBelow(7);
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThan(7);
      seen.add(n);
    }
    expect(seen.size).toBe(7);
    for (const upper of [2, 2048, 2 ** 31 - 1]) for (let i = 0; i < 200; i++) expect(randomBelow(upper)).toBeLessThan(upper);
  });

  it('randomBelow(3 · 2^29) is unbiased: its top third comes up a third of the time (a plain modulo would give a quarter)', () => {
    // 2^32 mod upper = 2^30: a plain r % upper gives each value below 2^30 three 32-bit preimages
    // and each value from 2^30 up two, so the top third [2^30, upper) would hold 1/4 of draws.
    const upper = 3 * 2 ** 29;
    let top = 0;
    const n = 30_000;
    for (let i = 0; i < n; i++) if (randomBelow(upper) >= 2 * 2 ** 29) top++;
    expect(top / n).toBeGreaterThan(0.31);
    expect(top / n).toBeLessThan(0.356);
  });

  it('randomBytes differ from call to call, and wipe zeroes in place', () => {
    const a = randomBytes(32);
    expect(hex(a)).not.toBe(hex(randomBytes(32)));
    wipe(a);
    expect(a).toEqual(new Uint8Array(32));
  });
});
