// What a case's crypto (web/protocol/case-crypto.ts) refuses before or after it touches libsodium,
// each with its own kind and words: a caller must be able to tell a cut message from a forged one.
import { describe, expect, it } from 'vitest';
import {
  decryptMessage, encryptMessage, newCaseKey, newId, openCaseKey, sealCaseKey, signMessage, verifyMessage, type MessageBinding,
} from '../../web/protocol/case-crypto.js';
import { frame } from '../../web/protocol/envelope.js';
import { concatBytes } from '../../web/protocol/encoding.js';
import { boxKeyPairFromSeed, randomBytes, sealTo, signKeyPairFromSeed, sodiumReady } from '../../web/protocol/sodium.js';
import { SIZES } from '../../web/protocol/labels.js';
import { refusal, refused } from './refusal.js';

// Before any describe body runs: some build their fixtures with libsodium as they are collected.
await sodiumReady();

const binding = (): MessageBinding => ({ caseId: newId(), messageId: newId(), role: 'organisation', prev: new Uint8Array(32) });

describe('new case keys and ids', () => {
  it('are fresh random bytes of the sizes the spec gives', () => {
    expect(newCaseKey()).toHaveLength(32);
    expect(newId()).toHaveLength(16);
    expect(newCaseKey()).not.toEqual(newCaseKey());
    expect(newId()).not.toEqual(newId());
  });
});

describe('sealing a case key', () => {
  const recipient = () => boxKeyPairFromSeed(randomBytes(32));

  it('refuses a case key that is not 32 bytes', () => {
    for (const length of [0, 16, 31, 33]) {
      expect(refusal(() => sealCaseKey(new Uint8Array(length), newId(), recipient().publicKey)), `${length} bytes`).toEqual(
        refused('malformed', 'case key must be 32 bytes'),
      );
    }
  });

  it('refuses a case id that is not 16 bytes, on sealing and on opening', () => {
    const to = recipient();
    const sealed = sealCaseKey(newCaseKey(), newId(), to.publicKey);
    expect(refusal(() => sealCaseKey(newCaseKey(), new Uint8Array(15), to.publicKey))).toEqual(refused('malformed', 'case id must be 16 bytes'));
    expect(refusal(() => openCaseKey(sealed, new Uint8Array(17), to))).toEqual(refused('malformed', 'case id must be 16 bytes'));
  });

  it('refuses a sealed case key that does not open, saying so', () => {
    const caseId = newId();
    const sealed = sealCaseKey(newCaseKey(), caseId, recipient().publicKey);
    expect(refusal(() => openCaseKey(sealed, caseId, recipient()))).toEqual(refused('authentication_failed', 'sealed case key does not open with this key'));
  });

  it('refuses an empty or version-only sealed case key as malformed, before trying to open it', () => {
    const to = recipient();
    expect(refusal(() => openCaseKey(new Uint8Array(0), newId(), to))).toEqual(refused('malformed', 'sealed case key is empty'));
    expect(refusal(() => openCaseKey(frame(), newId(), to))).toEqual(refused('malformed', 'sealed case key is truncated'));
  });

  it('refuses a sealed box of the wrong length, even when it starts with the right case id', () => {
    const to = recipient();
    const caseId = newId();
    for (const keyLength of [0, 31, 33]) {
      const sealed = frame(sealTo(concatBytes(caseId, new Uint8Array(keyLength).fill(9)), to.publicKey));
      expect(refusal(() => openCaseKey(sealed, caseId, to)), `${keyLength}-byte key`).toEqual(refused('malformed', 'sealed case key has the wrong length'));
    }
  });

  it('refuses a case key sealed for another case as wrongly bound', () => {
    const to = recipient();
    const sealed = sealCaseKey(newCaseKey(), newId(), to.publicKey);
    expect(refusal(() => openCaseKey(sealed, newId(), to))).toEqual(refused('wrong_binding', 'sealed case key belongs to another case'));
  });

  it('gives back exactly the 32-byte case key, without the case id', () => {
    const to = recipient();
    const [caseId, caseKey] = [newId(), newCaseKey()];
    expect(openCaseKey(sealCaseKey(caseKey, caseId, to.publicKey), caseId, to)).toEqual(caseKey);
  });
});

describe('a message envelope', () => {
  it('is the version, the nonce it was given, and the ciphertext of one bucket plus a tag', () => {
    const nonce = randomBytes(24);
    const envelope = encryptMessage(newCaseKey(), binding(), Uint8Array.of(1), nonce);
    expect(envelope[0]).toBe(2);
    expect(envelope.subarray(1, 25)).toEqual(nonce);
    expect(envelope).toHaveLength(1 + 24 + 1024 + SIZES.aeadTag);
  });

  it('refuses a nonce that is not 24 bytes', () => {
    for (const length of [0, 12, 23, 25]) {
      expect(refusal(() => encryptMessage(newCaseKey(), binding(), Uint8Array.of(1), new Uint8Array(length))), `${length} bytes`).toEqual(
        refused('malformed', 'nonce must be 24 bytes'),
      );
    }
  });

  it('refuses an envelope cut or extended by a byte as malformed, before trying the key', () => {
    const [key, bound] = [newCaseKey(), binding()];
    const envelope = encryptMessage(key, bound, Uint8Array.of(1, 2, 3));
    for (const changed of [envelope.subarray(0, envelope.length - 1), concatBytes(envelope, Uint8Array.of(0)), envelope.subarray(0, 1 + 24 + 1024)]) {
      expect(refusal(() => decryptMessage(key, bound, changed)), `${changed.length} bytes`).toEqual(refused('malformed', 'message is truncated or extended'));
    }
  });

  it('refuses an envelope with a nonce and no ciphertext as truncated', () => {
    expect(refusal(() => decryptMessage(newCaseKey(), binding(), frame(randomBytes(24))))).toEqual(refused('malformed', 'message is truncated'));
  });

  it('refuses an envelope of a bucket size that does not authenticate, saying why it may not', () => {
    const bound = binding();
    const envelope = encryptMessage(newCaseKey(), bound, Uint8Array.of(1));
    expect(refusal(() => decryptMessage(newCaseKey(), bound, envelope))).toEqual(
      refused('authentication_failed', 'message does not decrypt: wrong key, tampered, or bound to another case, message or role'),
    );
  });

  it('opens in every bucket, the largest included', () => {
    const [key, bound] = [newCaseKey(), binding()];
    for (const length of [0, 1023, 1024, 4096, 16384, 65535]) {
      const plain = randomBytes(length);
      expect(decryptMessage(key, bound, encryptMessage(key, bound, plain))).toEqual(plain);
    }
  });
});

describe('a message signature', () => {
  it('refuses a signature that is not 64 bytes as malformed, not as a bad signature', () => {
    const bound = binding();
    const signer = signKeyPairFromSeed(randomBytes(32));
    const envelope = encryptMessage(newCaseKey(), bound, Uint8Array.of(1));
    const signature = signMessage(bound, envelope, signer.privateKey);
    for (const cut of [signature.subarray(0, 63), concatBytes(signature, Uint8Array.of(0)), new Uint8Array(0)]) {
      expect(refusal(() => verifyMessage(bound, envelope, cut, signer.publicKey)), `${cut.length} bytes`).toEqual(refused('malformed', 'signature must be 64 bytes'));
    }
  });

  it('refuses a signature by another key, saying it does not verify', () => {
    const bound = binding();
    const envelope = encryptMessage(newCaseKey(), bound, Uint8Array.of(1));
    const signature = signMessage(bound, envelope, signKeyPairFromSeed(randomBytes(32)).privateKey);
    expect(refusal(() => verifyMessage(bound, envelope, signature, signKeyPairFromSeed(randomBytes(32)).publicKey))).toEqual(
      refused('bad_signature', 'message signature does not verify'),
    );
  });

  it('is a deterministic Ed25519 signature that verifies under its key', () => {
    const bound = binding();
    const signer = signKeyPairFromSeed(randomBytes(32));
    const envelope = encryptMessage(newCaseKey(), bound, Uint8Array.of(1));
    const signature = signMessage(bound, envelope, signer.privateKey);
    expect(signature).toHaveLength(64);
    expect(signMessage(bound, envelope, signer.privateKey)).toEqual(signature);
    expect(refusal(() => verifyMessage(bound, envelope, signature, signer.publicKey))).toBe('no error');
  });
});
