// The client's own primitives against the published Wycheproof vectors (test/vectors/published/):
// every XChaCha20-Poly1305 case through web/protocol/sodium.ts's aeadEncrypt/aeadDecrypt, and every
// X25519 case through the scalar multiplication the client's sealed boxes rest on.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { aeadDecrypt, aeadEncrypt, sealTo } from '../../web/protocol/sodium.js';

const PUBLISHED = new URL('../vectors/published/', import.meta.url);
const CHECKSUMS: Record<string, string> = { // as in test/vectors/published/SOURCES.md
  'wycheproof-xchacha20_poly1305_test.json': 'a79de072571b90eb40c3a63ce0c7f75dcb4b62323c8870228e1f61dcc61d63a9',
  'wycheproof-x25519_test.json': '35c3f5231cf25cc640b524d403461deee9e49441d5d915a3a25b2c8ff5adbe7d',
};
const published = (file: string) => readFileSync(new URL(file, PUBLISHED));

interface AeadFile {
  numberOfTests: number;
  testGroups: {
    ivSize: number; keySize: number; tagSize: number;
    tests: { tcId: number; comment: string; flags: string[]; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: 'valid' | 'invalid' }[];
  }[];
}
interface XdhFile {
  numberOfTests: number;
  testGroups: { curve: string; tests: { tcId: number; comment: string; flags: string[]; public: string; private: string; shared: string; result: 'valid' | 'invalid' | 'acceptable' }[] }[];
}

const aead = JSON.parse(published('wycheproof-xchacha20_poly1305_test.json').toString('utf8')) as AeadFile;
const xdh = JSON.parse(published('wycheproof-x25519_test.json').toString('utf8')) as XdhFile;

const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ZERO_SHARED = '00'.repeat(32);

/** The value, or 'throws' (the wrapper's refusal). */
function attempt<T>(run: () => T): T | 'throws' {
  try {
    return run();
  } catch {
    return 'throws';
  }
}

beforeAll(sodiumReady);

describe('published Wycheproof vectors for the client', () => {
  it('are the files named in SOURCES.md, unchanged', () => {
    for (const [file, sha256] of Object.entries(CHECKSUMS)) {
      expect(createHash('sha256').update(published(file)).digest('hex'), file).toBe(sha256);
    }
  });

  it('XChaCha20-Poly1305: aeadEncrypt gives ct‖tag and aeadDecrypt gives msg on every valid case, null on every invalid one', () => {
    const problems: string[] = [];
    let count = 0;
    let wrongNonceSize = 0;
    for (const group of aead.testGroups) {
      expect(group.keySize).toBe(256); // every case uses a 32-byte key; only the nonce size varies
      expect(group.tagSize).toBe(128);
      for (const t of group.tests) {
        count++;
        const label = `tcId ${t.tcId} (${t.result}${t.comment ? `: ${t.comment}` : ''})`;
        const [key, nonce, ad, msg] = [fromHex(t.key), fromHex(t.iv), fromHex(t.aad), fromHex(t.msg)];
        // libsodium's combined mode, which the wrappers use: the 16-byte tag follows the ciphertext.
        const combined = fromHex(t.ct + t.tag);
        const opened = aeadDecrypt(combined, ad, nonce, key);
        if (group.ivSize !== 192) {
          // XChaCha20-Poly1305 takes only a 24-byte nonce: the wrapper cannot take these cases at
          // all. aeadEncrypt throws (libsodium-wrappers: "invalid public_nonce length"); aeadDecrypt
          // turns that into null, like any other refusal.
          wrongNonceSize++;
          if (t.result !== 'invalid' || !t.flags.includes('InvalidNonceSize')) problems.push(`${label}: expected an invalid nonce-size case`);
          if (attempt(() => aeadEncrypt(msg, ad, nonce, key)) !== 'throws') problems.push(`${label}: aeadEncrypt took a ${group.ivSize / 8}-byte nonce`);
          if (opened !== null) problems.push(`${label}: aeadDecrypt took a ${group.ivSize / 8}-byte nonce`);
          continue;
        }
        if (t.result === 'valid') {
          const sealed = attempt(() => aeadEncrypt(msg, ad, nonce, key));
          if (sealed === 'throws' || toHex(sealed) !== t.ct + t.tag) problems.push(`${label}: aeadEncrypt gave ${sealed === 'throws' ? sealed : toHex(sealed)}`);
          if (opened === null || toHex(opened) !== t.msg) problems.push(`${label}: aeadDecrypt gave ${opened === null ? 'null' : toHex(opened)}`);
        } else if (opened !== null) {
          problems.push(`${label}: aeadDecrypt accepted it, giving ${toHex(opened)}`);
        }
      }
    }
    expect(count).toBe(aead.numberOfTests);
    expect(wrongNonceSize).toBe(9);
    expect(problems).toEqual([]);
  });

  // sodium.ts exports no scalar multiplication: the client reaches X25519 only through sealTo /
  // openSealed (crypto_box_seal / crypto_box_seal_open). Those call crypto_box_beforenm, which is
  // crypto_scalarmult (X25519, refusing an all-zero result) followed by HSalsa20; with a random
  // ephemeral key the shared secret cannot be observed there. So the shared secret is checked on
  // libsodium's crypto_scalarmult itself (the function crypto_box_seal uses), and the refusals also
  // through the client's sealTo, which must refuse exactly the same public keys.
  it('X25519: libsodium refuses exactly the cases whose shared secret is all zeros, and matches every other', () => {
    const problems: string[] = [];
    let count = 0;
    let refused = 0;
    const message = new TextEncoder().encode('a report');
    for (const group of xdh.testGroups) {
      expect(group.curve).toBe('curve25519');
      for (const t of group.tests) {
        count++;
        const label = `tcId ${t.tcId} (${t.result}${t.comment ? `: ${t.comment}` : ''}; ${t.flags.join(', ')})`;
        expect(t.result, label).not.toBe('invalid'); // the file has only valid and acceptable cases
        const publicKey = fromHex(t.public);
        const zero = t.shared === ZERO_SHARED;
        const shared = attempt(() => sodium.crypto_scalarmult(fromHex(t.private), publicKey));
        if (zero) {
          refused++;
          if (shared !== 'throws') problems.push(`${label}: crypto_scalarmult accepted an all-zero shared secret, giving ${toHex(shared)}`);
        } else if (shared === 'throws') {
          problems.push(`${label}: crypto_scalarmult refused; expected ${t.shared}`);
        } else if (toHex(shared) !== t.shared) {
          problems.push(`${label}: crypto_scalarmult gave ${toHex(shared)}; expected ${t.shared}`);
        }
        // Any clamped scalar takes a low-order point to zero and no other point, so sealTo refuses
        // these public keys whatever its random ephemeral key.
        const sealed = attempt(() => sealTo(message, publicKey));
        if ((sealed === 'throws') !== zero) problems.push(`${label}: sealTo ${sealed === 'throws' ? 'refused' : 'sealed to'} this public key`);
      }
    }
    expect(count).toBe(xdh.numberOfTests);
    expect(refused).toBe(31); // all "acceptable", all flagged ZeroSharedSecret (low-order public keys)
    expect(problems).toEqual([]);
  });
});
