// Issue 10: the server (Ed25519 from WebCrypto on Workers or node:crypto on Node, plus
// worker/ed25519-strict.ts; both providers are held to it here) must accept and refuse
// exactly the signatures the clients' libsodium does, and so must the clients' engine for browsers
// without WebAssembly (noble.ts, issue 13). Runs every case of the published Wycheproof and
// ed25519-speccheck vectors (test/vectors/published/) through all three, plus the issue's attack.
import * as nodeCrypto from 'node:crypto';
import { fromHex, intToLe, L, leToInt, P, sha512, toHex } from './ed25519-arithmetic.js';
import { readFileSync } from 'node:fs';
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { forceEngineForTests, signDetached, signKeyPairFromSeed, verifyDetached } from '../../web/protocol/sodium.js';
import { isAcceptableEd25519PublicKey, passesLibsodiumSignatureChecks } from '../../worker/ed25519-strict.js';
import { nodeCryptoPrimitives, PRIMITIVES, verifyEd25519, WEB_CRYPTO } from '../../worker/server-crypto.js';

const PUBLISHED = new URL('../vectors/published/', import.meta.url);
const CHECKSUMS: Record<string, string> = { // as in test/vectors/published/SOURCES.md
  'wycheproof-ed25519_test.json': '752d2ea7d7c6cf4736381b6cbacb61f8182b126ab7cd9b058f00c50084975536',
  'ed25519-speccheck-cases.json': '08e47a36d9aead288664930505584f353fff113ab854f2800db1e4f5b3540450',
};
const published = (file: string) => readFileSync(new URL(file, PUBLISHED));

interface WycheproofFile {
  numberOfTests: number;
  testGroups: { publicKey: { pk: string }; tests: { tcId: number; comment: string; msg: string; sig: string; result: 'valid' | 'invalid' | 'acceptable' }[] }[];
}
interface SpeccheckCase { message: string; pub_key: string; signature: string }

const wycheproof = JSON.parse(published('wycheproof-ed25519_test.json').toString('utf8')) as WycheproofFile;
const speccheck = JSON.parse(published('ed25519-speccheck-cases.json').toString('utf8')) as SpeccheckCase[];


const NODE_CRYPTO = nodeCryptoPrimitives(nodeCrypto);

/** The three verifiers on one case: the server's (the same from each provider), and the client's on each engine. */
async function verdicts(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) {
  const runtime = await verifyEd25519(publicKey, signature, message);
  const webCrypto = await verifyEd25519(publicKey, signature, message, WEB_CRYPTO);
  const node = await verifyEd25519(publicKey, signature, message, NODE_CRYPTO);
  const server = runtime === webCrypto && webCrypto === node ? runtime : `providers disagree: WebCrypto ${webCrypto}, node:crypto ${node}`;
  await forceEngineForTests('libsodium');
  const client = verifyDetached(signature, message, publicKey);
  await forceEngineForTests('noble');
  const noble = verifyDetached(signature, message, publicKey);
  await forceEngineForTests('libsodium');
  return { server, client, noble };
}
afterAll(() => forceEngineForTests('libsodium'));

// libsodium's ge25519_has_small_order list (worker/ed25519-strict.ts); each also with the sign bit set.
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].flatMap((hex) => { const b = fromHex(hex); const signed = b.slice(); signed[31]! |= 0x80; return [b, signed]; });

beforeAll(sodiumReady);

describe('published Ed25519 vectors', () => {
  it('are the files named in SOURCES.md, unchanged', () => {
    for (const [file, sha256] of Object.entries(CHECKSUMS)) {
      expect(nodeCrypto.createHash('sha256').update(published(file)).digest('hex'), file).toBe(sha256);
    }
  });

  it('on Node the server verifies with node:crypto, not WebCrypto (issue 16: a fraction of the cost)', () => {
    expect(PRIMITIVES).not.toBe(WEB_CRYPTO);
  });

  it('Wycheproof: server, libsodium and noble agree on every case, and match every valid/invalid verdict', async () => {
    const problems: string[] = [];
    let count = 0;
    for (const group of wycheproof.testGroups) {
      const publicKey = fromHex(group.publicKey.pk);
      for (const t of group.tests) {
        count++;
        const { server, client, noble } = await verdicts(publicKey, fromHex(t.sig), fromHex(t.msg));
        const label = `tcId ${t.tcId} (${t.result}${t.comment ? `: ${t.comment}` : ''})`;
        if (server !== client) problems.push(`${label}: server ${server}, libsodium ${client}`);
        if (noble !== client) problems.push(`${label}: noble ${noble}, libsodium ${client}`);
        // "acceptable" cases may go either way; then only agreement with libsodium counts.
        if (t.result !== 'acceptable' && client !== (t.result === 'valid')) problems.push(`${label}: libsodium ${client}`);
        if (t.result !== 'acceptable' && server !== (t.result === 'valid')) problems.push(`${label}: server ${server}`);
      }
    }
    expect(count).toBe(wycheproof.numberOfTests);
    expect(problems).toEqual([]);
  });

  it('speccheck: server, libsodium and noble agree on every case (the cofactored-only and mixed-order ones too)', async () => {
    expect(speccheck).toHaveLength(12);
    const disagreements: number[] = [];
    for (const [index, c] of speccheck.entries()) {
      const { server, client, noble } = await verdicts(fromHex(c.pub_key), fromHex(c.signature), fromHex(c.message));
      if (server !== client || noble !== client) disagreements.push(index);
    }
    expect(disagreements).toEqual([]);
  });
});

describe('issue 10', () => {
  it('refuses a signature with R = identity made by the key holder, as libsodium does', async () => {
    const seed = new Uint8Array(32).fill(7);
    const { publicKey } = signKeyPairFromSeed(seed);
    // The Ed25519 secret scalar, a = clamp(SHA-512(seed)[0..32]); publicKey = aB.
    const digest = sha512(seed);
    digest[0]! &= 248; digest[31]! &= 127; digest[31]! |= 64;
    const a = leToInt(digest.subarray(0, 32));
    const message = new TextEncoder().encode('a message the reporter can never open');
    const R = fromHex('0100000000000000000000000000000000000000000000000000000000000000');
    const h = leToInt(sha512(R, publicKey, message)) % L;
    const signature = new Uint8Array([...R, ...intToLe((h * a) % L)]); // sB - hA = identity = R
    expect(await verdicts(publicKey, signature, message)).toEqual({ server: false, client: false, noble: false });
  });

  it('refuses every small-order public key, whatever the message (R = identity, S = 0 "signs" anything)', async () => {
    const signature = new Uint8Array(64);
    signature[0] = 1;
    for (const publicKey of SMALL_ORDER) {
      expect(isAcceptableEd25519PublicKey(publicKey), toHex(publicKey)).toBe(false);
      expect(await verdicts(publicKey, signature, new TextEncoder().encode('forged')), toHex(publicKey)).toEqual({ server: false, client: false, noble: false });
    }
  });
});

describe('passesLibsodiumSignatureChecks', () => {
  // WebCrypto refuses S >= L too, so the vectors above cannot show this check is needed; it is
  // libsodium's (sc25519_is_canonical), so it is tested here on its own.
  it('refuses S >= L by itself, as sc25519_is_canonical does', () => {
    const { publicKey, privateKey } = signKeyPairFromSeed(new Uint8Array(32).fill(1));
    const signature = signDetached(new Uint8Array(0), privateKey);
    const withS = (s: bigint) => new Uint8Array([...signature.subarray(0, 32), ...intToLe(s)]);
    const s = leToInt(signature.subarray(32));
    expect(passesLibsodiumSignatureChecks(publicKey, signature)).toBe(true);
    expect(passesLibsodiumSignatureChecks(publicKey, withS(L - 1n))).toBe(true);
    for (const bad of [L, s + L, 2n ** 253n, 2n ** 256n - 1n]) {
      expect(passesLibsodiumSignatureChecks(publicKey, withS(bad)), bad.toString(16)).toBe(false);
    }
  });

  it('refuses wrong signature lengths', () => {
    const { publicKey, privateKey } = signKeyPairFromSeed(new Uint8Array(32).fill(1));
    const signature = signDetached(new Uint8Array(0), privateKey);
    expect(passesLibsodiumSignatureChecks(publicKey, signature.subarray(0, 63))).toBe(false);
    expect(passesLibsodiumSignatureChecks(publicKey, new Uint8Array([...signature, 0]))).toBe(false);
  });
});

describe('isAcceptableEd25519PublicKey', () => {
  it('accepts keys libsodium makes', () => {
    for (let i = 0; i < 32; i++) {
      expect(isAcceptableEd25519PublicKey(signKeyPairFromSeed(new Uint8Array(32).fill(i)).publicKey)).toBe(true);
    }
  });

  it('refuses wrong lengths', () => {
    const key = signKeyPairFromSeed(new Uint8Array(32)).publicKey;
    for (const bad of [new Uint8Array(0), key.subarray(0, 31), new Uint8Array([...key, 0])]) {
      expect(isAcceptableEd25519PublicKey(bad)).toBe(false);
    }
  });

  it('refuses every non-canonical encoding (y >= p), even those that decode to a curve point', () => {
    let decodable = 0;
    for (let k = 0n; k < 19n; k++) {
      for (const sign of [0, 0x80]) {
        const encoded = intToLe(P + k);
        encoded[31]! |= sign;
        expect(isAcceptableEd25519PublicKey(encoded), toHex(encoded)).toBe(false);
        if (libsodiumDecodes(encoded)) decodable++;
      }
    }
    expect(decodable).toBeGreaterThan(4); // more than the small-order p and p + 1: canonicity matters alone
  });

  it('accepts a canonical, not small-order encoding exactly when libsodium decodes it to a curve point', () => {
    let onCurve = 0;
    for (let i = 0; i < 200; i++) {
      const encoded = sha512(new Uint8Array([i])).subarray(0, 32);
      const decodes = libsodiumDecodes(encoded);
      if (decodes) onCurve++;
      expect(isAcceptableEd25519PublicKey(encoded), toHex(encoded)).toBe(decodes);
    }
    expect(onCurve).toBeGreaterThan(50);
    expect(onCurve).toBeLessThan(150);
  });
});

/** crypto_core_ed25519_add refuses exactly the encodings ge25519_frombytes cannot decode. */
function libsodiumDecodes(encoded: Uint8Array): boolean {
  try {
    sodium.crypto_core_ed25519_add(encoded, signKeyPairFromSeed(new Uint8Array(32)).publicKey);
    return true;
  } catch {
    return false;
  }
}
