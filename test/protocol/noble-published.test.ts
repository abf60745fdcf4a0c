// Issue 13: the noble engine (web/protocol/noble.ts) against the published vectors the libsodium
// engine and the server are held to (test/vectors/published/, SHA-256 checked as in SOURCES.md):
// Ed25519 verification refuses what libsodium refuses (S >= L, non-canonical keys, keys off the
// curve, non-canonical R; the Wycheproof and speccheck cases and the issue-10 attacks run on all
// three verifiers in ed25519-strict.test.ts); X25519 sealing refuses exactly the low-order keys; XChaCha20-Poly1305 matches every case.
// Argon2id, which @noble/hashes' audit did not cover, also meets libsodium's own crypto_pwhash_argon2id
// test vectors (from the shared vector store, ../shared/vectors-published, when it is there).
import { createHash } from 'node:crypto';
import { fromHex, intToLe, L, leToInt, P, sha512, toHex } from './ed25519-arithmetic.js';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineName } from '../../web/protocol/primitives.js';
import { aeadDecrypt, aeadEncrypt, argon2id, forceEngineForTests, sealTo, signDetached, signKeyPairFromSeed, verifyDetached } from '../../web/protocol/sodium.js';

const PUBLISHED = new URL('../vectors/published/', import.meta.url);
const CHECKSUMS: Record<string, string> = { // as in test/vectors/published/SOURCES.md
  'wycheproof-ed25519_test.json': '752d2ea7d7c6cf4736381b6cbacb61f8182b126ab7cd9b058f00c50084975536',
  'ed25519-speccheck-cases.json': '08e47a36d9aead288664930505584f353fff113ab854f2800db1e4f5b3540450',
  'wycheproof-x25519_test.json': '35c3f5231cf25cc640b524d403461deee9e49441d5d915a3a25b2c8ff5adbe7d',
  'wycheproof-xchacha20_poly1305_test.json': 'a79de072571b90eb40c3a63ce0c7f75dcb4b62323c8870228e1f61dcc61d63a9',
};
const published = (file: string) => readFileSync(new URL(file, PUBLISHED));
const json = <T>(file: string) => JSON.parse(published(file).toString('utf8')) as T;

interface XdhFile {
  numberOfTests: number;
  testGroups: { tests: { tcId: number; comment: string; public: string; shared: string; result: string }[] }[];
}
interface AeadFile {
  numberOfTests: number;
  testGroups: { ivSize: number; tests: { tcId: number; comment: string; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: 'valid' | 'invalid' }[] }[];
}


/** verifyDetached on each engine. */
async function verdicts(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<Record<EngineName, boolean>> {
  await forceEngineForTests('libsodium');
  const libsodium = verifyDetached(signature, message, publicKey);
  await forceEngineForTests('noble');
  return { libsodium, noble: verifyDetached(signature, message, publicKey) };
}

afterAll(() => forceEngineForTests('libsodium'));

describe('published vectors on the noble engine', () => {
  it('are the files named in SOURCES.md, unchanged', () => {
    for (const [file, sha256] of Object.entries(CHECKSUMS)) expect(createHash('sha256').update(published(file)).digest('hex'), file).toBe(sha256);
  });

  it('XChaCha20-Poly1305: every valid case encrypts to ct‖tag and decrypts; every invalid one gives null', async () => {
    await forceEngineForTests('noble');
    const file = json<AeadFile>('wycheproof-xchacha20_poly1305_test.json');
    const problems: string[] = [];
    let count = 0;
    for (const group of file.testGroups) {
      for (const t of group.tests) {
        count++;
        const label = `tcId ${t.tcId} (${t.result}: ${t.comment})`;
        const [key, nonce, ad, msg] = [fromHex(t.key), fromHex(t.iv), fromHex(t.aad), fromHex(t.msg)];
        const opened = aeadDecrypt(fromHex(t.ct + t.tag), ad, nonce, key);
        if (group.ivSize !== 192) {
          let threw = false;
          try { aeadEncrypt(msg, ad, nonce, key); } catch { threw = true; }
          if (!threw || opened !== null) problems.push(`${label}: took a ${group.ivSize / 8}-byte nonce`);
        } else if (t.result === 'valid') {
          if (toHex(aeadEncrypt(msg, ad, nonce, key)) !== t.ct + t.tag) problems.push(`${label}: aeadEncrypt`);
          if (opened === null || toHex(opened) !== t.msg) problems.push(`${label}: aeadDecrypt`);
        } else if (opened !== null) {
          problems.push(`${label}: accepted`);
        }
      }
    }
    expect(count).toBe(file.numberOfTests);
    expect(problems).toEqual([]);
  });

  it('X25519: sealTo refuses exactly the public keys whose shared secret is all zeros (low order), as libsodium does', async () => {
    await forceEngineForTests('noble');
    const file = json<XdhFile>('wycheproof-x25519_test.json');
    const problems: string[] = [];
    let refused = 0;
    for (const group of file.testGroups) {
      for (const t of group.tests) {
        const zero = t.shared === '00'.repeat(32);
        let threw = false;
        try { sealTo(new Uint8Array([1, 2, 3]), fromHex(t.public)); } catch { threw = true; }
        if (threw) refused++;
        if (threw !== zero) problems.push(`tcId ${t.tcId} (${t.comment}): sealTo ${threw ? 'refused' : 'sealed to'} it`);
      }
    }
    expect(refused).toBe(31);
    expect(problems).toEqual([]);
  });
});

describe('libsodium’s Ed25519 refusals on the noble engine (docs/SPEC.md, "Ed25519 acceptance")', () => {
  beforeAll(() => forceEngineForTests('noble'));


  it('refuses S >= L (S + L would pass a check that reduces S first)', async () => {
    await forceEngineForTests('noble');
    const { publicKey, privateKey } = signKeyPairFromSeed(new Uint8Array(32).fill(1));
    const signature = signDetached(new Uint8Array(0), privateKey);
    const s = leToInt(signature.subarray(32));
    const withS = (n: bigint) => new Uint8Array([...signature.subarray(0, 32), ...intToLe(n)]);
    expect(await verdicts(publicKey, signature, new Uint8Array(0))).toEqual({ libsodium: true, noble: true });
    for (const bad of [s + L, L, 2n ** 253n - 1n, 2n ** 256n - 1n]) {
      expect(await verdicts(publicKey, withS(bad), new Uint8Array(0)), bad.toString(16)).toEqual({ libsodium: false, noble: false });
    }
  });

  it('refuses every non-canonical public key (y >= p), with either sign bit', async () => {
    const signature = signDetached(new Uint8Array(0), signKeyPairFromSeed(new Uint8Array(32).fill(2)).privateKey);
    for (let k = 0n; k < 19n; k++) {
      for (const sign of [0, 0x80]) {
        const encoded = intToLe(P + k);
        encoded[31]! |= sign;
        expect(await verdicts(encoded, signature, new Uint8Array(0)), toHex(encoded)).toEqual({ libsodium: false, noble: false });
      }
    }
  });

  it('gives libsodium’s verdict on keys that are not curve points and on random signatures', async () => {
    let notOnCurve = 0;
    for (let i = 0; i < 64; i++) {
      const publicKey = sha512(new Uint8Array([i])).subarray(0, 32);
      const signature = sha512(new Uint8Array([i, 1]));
      signature[63]! &= 0x0f; // S < L, so the verdict turns on the key and the equation
      const v = await verdicts(publicKey, signature, new Uint8Array([i]));
      expect(v.noble, toHex(publicKey)).toBe(v.libsodium);
      if (!v.libsodium) notOnCurve++;
    }
    expect(notOnCurve).toBe(64);
  });

  it('accepts a signature made with a non-canonical R only if libsodium does (never: R is compared byte for byte)', async () => {
    await forceEngineForTests('noble');
    const { publicKey, privateKey } = signKeyPairFromSeed(new Uint8Array(32).fill(4));
    const signature = signDetached(new TextEncoder().encode('m'), privateKey);
    const R = leToInt(signature.subarray(0, 32)) & ((1n << 255n) - 1n);
    if (R + P < 1n << 255n) { // the same y, written as y + p
      const alt = intToLe(R + P);
      alt[31]! |= signature[31]! & 0x80;
      expect(await verdicts(publicKey, new Uint8Array([...alt, ...signature.subarray(32)]), new TextEncoder().encode('m'))).toEqual({ libsodium: false, noble: false });
    }
  });
});

// libsodium's test/default/pwhash_argon2id.c vectors, transcribed in the shared vector store
// (its MANIFEST.md gives the source and this SHA-256). Outside the repository: skipped without it.
const SHARED = new URL('../../../shared/vectors-published/', import.meta.url);
const PWHASH_TV = new URL('libsodium-pwhash-argon2id-tv.json', SHARED);
const PWHASH_TV_SHA256 = '6cb3baac3d043b6b447dbe5c6f787c7856f4b64dd549e50b9e9da1d34d651c27';
interface PwhashVector { index: number; passwordHex: string; saltHex: string; outputLength: number; opsLimit: number; memLimitBytes: number; expectHex?: string; expect?: string }

describe.skipIf(!existsSync(PWHASH_TV))('libsodium’s crypto_pwhash_argon2id test vectors', () => {
  it('both engines give every expected hash, and both refuse the one libsodium refuses (a 5-byte output)', async () => {
    const file = readFileSync(PWHASH_TV);
    expect(createHash('sha256').update(file).digest('hex')).toBe(PWHASH_TV_SHA256);
    const vectors = (JSON.parse(file.toString('utf8')) as { vectors: PwhashVector[] }).vectors;
    expect(vectors).toHaveLength(8);
    const problems: string[] = [];
    for (const engine of ['libsodium', 'noble'] as const) {
      await forceEngineForTests(engine);
      for (const v of vectors) {
        let got: string;
        try {
          got = toHex(argon2id(v.outputLength, fromHex(v.passwordHex), fromHex(v.saltHex), v.opsLimit, v.memLimitBytes));
        } catch {
          got = 'error';
        }
        const want = v.expectHex ?? v.expect?.toLowerCase(); // "error": pwhash_argon2id.exp's failure line
        if (got !== want) problems.push(`${engine}, vector ${v.index}: ${got.slice(0, 32)}…, expected ${want?.slice(0, 32)}…`);
      }
    }
    expect(problems).toEqual([]);
  });
});
