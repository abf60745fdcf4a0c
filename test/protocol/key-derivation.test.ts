// Keys made from what people type (web/protocol/mailbox-keys.ts, investigator-keys.ts): the
// mailbox keys from a passphrase, an investigator's secrets from a password, wrapped seeds and
// sealed organisation keyrings. What each derives, against docs/SPEC.md's formulas, and what
// each refuses, with its kind and its words.
import { afterAll, describe, expect, it } from 'vitest';
import { deriveMailboxKeys, deriveMailboxKeysReporting, deriveSubkey } from '../../web/protocol/mailbox-keys.js';
import {
  deriveInvestigatorSecrets, newOrgKeyring, newSeed, openOrgKeyring, orgKeyringFromSeeds, personalKeyPair, sealOrgKeyring, unwrapSeed, wrapSeed,
} from '../../web/protocol/investigator-keys.js';
import { passphraseFromIndices } from '../../web/protocol/passphrase.js';
import { frame } from '../../web/protocol/envelope.js';
import { concatBytes, utf8ToBytes } from '../../web/protocol/encoding.js';
import type { KdfParams } from '../../web/protocol/labels.js';
import { aeadEncrypt, argon2id, blake2b, boxKeyPairFromSeed, forceEngineForTests, randomBytes, sealTo, signKeyPairFromSeed, sodiumReady } from '../../web/protocol/sodium.js';
import { refusal, refused } from './refusal.js';

// Before any describe body runs: some build their fixtures with libsodium as they are collected.
await sodiumReady();

/** Cheap Argon2id: these tests are about what is derived, not the KDF's cost. */
const KDF: KdfParams = { opsLimit: 1, memLimitBytes: 65536 };
const PASSPHRASE = passphraseFromIndices([1, 2, 3, 4, 5, 6, 7, 8]);
const label = (text: string) => utf8ToBytes(text);

describe('mailbox keys', () => {
  it('are labelled BLAKE2b sub-keys of Argon2id over the normalised passphrase and the instance salt', () => {
    const salt = randomBytes(16);
    const master = argon2id(32, utf8ToBytes(PASSPHRASE), salt, KDF.opsLimit, KDF.memLimitBytes);
    const keys = deriveMailboxKeys(PASSPHRASE, salt, KDF);
    expect(keys.locator).toEqual(blake2b(32, label('parley/v1/mailbox-locator'), master));
    expect(keys.sign).toEqual(signKeyPairFromSeed(blake2b(32, label('parley/v1/mailbox-sign'), master)));
    expect(keys.box).toEqual(boxKeyPairFromSeed(blake2b(32, label('parley/v1/mailbox-box'), master)));
    expect(deriveSubkey(master, 'any label')).toEqual(blake2b(32, label('any label'), master));
  });

  it('do not change with case and spacing, and do change with the salt', () => {
    const salt = randomBytes(16);
    const keys = deriveMailboxKeys(PASSPHRASE, salt, KDF);
    expect(deriveMailboxKeys(`  ${PASSPHRASE.toUpperCase().replaceAll(' ', '   ')} `, salt, KDF)).toEqual(keys);
    expect(deriveMailboxKeys(PASSPHRASE, randomBytes(16), KDF).locator).not.toEqual(keys.locator);
  });

  it('refuses a passphrase that does not parse, with the words the parser gives', () => {
    const salt = randomBytes(16);
    expect(refusal(() => deriveMailboxKeys('', salt, KDF))).toEqual(refused('malformed', 'Enter your passphrase.'));
    expect(refusal(() => deriveMailboxKeys('alone zoo', salt, KDF))).toEqual(refused('malformed', 'A passphrase has 9 words; you entered 2.'));
  });

  it('refuses an instance salt that is not 16 bytes', () => {
    for (const length of [0, 15, 17, 32]) {
      expect(refusal(() => deriveMailboxKeys(PASSPHRASE, new Uint8Array(length), KDF)), `${length} bytes`).toEqual(refused('malformed', 'instance salt must be 16 bytes'));
    }
  });
});

describe.each(['libsodium', 'noble'] as const)('mailbox keys with progress, on %s', (engine) => {
  afterAll(() => forceEngineForTests('libsodium'));

  it('are the same keys, with progress that only rises and ends at 1 (noble reports as it goes; libsodium only at the end)', async () => {
    await forceEngineForTests(engine);
    const salt = randomBytes(16);
    const kdf: KdfParams = { opsLimit: 2, memLimitBytes: 1024 * 1024 };
    const progress: number[] = [];
    const keys = await deriveMailboxKeysReporting(PASSPHRASE, salt, kdf, (fraction) => progress.push(fraction));
    expect(keys).toEqual(deriveMailboxKeys(PASSPHRASE, salt, kdf));
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    if (engine === 'noble') expect(progress.filter((f) => f > 0 && f < 1).length).toBeGreaterThan(0);
    else expect(progress).toEqual([1]);
  });

  it('refuse what deriveMailboxKeys refuses, with the same words', async () => {
    await forceEngineForTests(engine);
    const salt = randomBytes(16);
    const noProgress = () => undefined;
    await expect(deriveMailboxKeysReporting('alone zoo', salt, KDF, noProgress)).rejects.toEqual(expect.objectContaining({ kind: 'malformed', message: 'A passphrase has 9 words; you entered 2.' }));
    await expect(deriveMailboxKeysReporting(PASSPHRASE, new Uint8Array(15), KDF, noProgress)).rejects.toEqual(expect.objectContaining({ kind: 'malformed', message: 'instance salt must be 16 bytes' }));
  });
});

describe('an investigator’s secrets', () => {
  it('are the auth and wrap sub-keys of Argon2id over the NFKC-normalised password and the member’s salt', () => {
    const salt = randomBytes(16);
    const master = argon2id(32, utf8ToBytes('office fish'), salt, KDF.opsLimit, KDF.memLimitBytes);
    const secrets = deriveInvestigatorSecrets('oﬃce ﬁsh', salt, KDF); // ligatures, as some keyboards type them
    expect(secrets).toEqual({ authKey: blake2b(32, label('parley/v1/investigator-auth'), master), wrapKey: blake2b(32, label('parley/v1/investigator-wrap'), master) });
    expect(secrets.authKey).not.toEqual(secrets.wrapKey);
  });

  it('refuses a salt that is not 16 bytes', () => {
    for (const length of [0, 15, 17]) {
      expect(refusal(() => deriveInvestigatorSecrets('password', new Uint8Array(length), KDF)), `${length} bytes`).toEqual(refused('malformed', 'user salt must be 16 bytes'));
    }
  });
});

describe('a wrapped seed', () => {
  const ownerId = randomBytes(16);
  const wrapAd = (owner: Uint8Array) => concatBytes(label('parley/v1/wrapped-key'), Uint8Array.of(0), owner);

  it('is the version, the nonce and the AEAD of the seed bound to its owner', () => {
    const [seed, key, nonce] = [newSeed(), randomBytes(32), randomBytes(24)];
    expect(wrapSeed(seed, key, ownerId, nonce)).toEqual(frame(nonce, aeadEncrypt(seed, wrapAd(ownerId), nonce, key)));
    expect(unwrapSeed(wrapSeed(seed, key, ownerId), key, ownerId)).toEqual(seed);
  });

  it('refuses to wrap a seed, key or nonce of the wrong length', () => {
    const words = 'seed, key and nonce must be 32, 32 and 24 bytes';
    const [seed, key, nonce] = [newSeed(), randomBytes(32), randomBytes(24)];
    expect(refusal(() => wrapSeed(seed.subarray(0, 31), key, ownerId, nonce))).toEqual(refused('malformed', words));
    expect(refusal(() => wrapSeed(seed, randomBytes(33), ownerId, nonce))).toEqual(refused('malformed', words));
    expect(refusal(() => wrapSeed(seed, key, ownerId, randomBytes(12)))).toEqual(refused('malformed', words));
  });

  it('refuses to unwrap under another key or for another owner, blaming the password or tampering', () => {
    const [seed, key] = [newSeed(), randomBytes(32)];
    const wrapped = wrapSeed(seed, key, ownerId);
    const words = 'wrapped key does not open: wrong password or tampered';
    expect(refusal(() => unwrapSeed(wrapped, randomBytes(32), ownerId))).toEqual(refused('authentication_failed', words));
    expect(refusal(() => unwrapSeed(wrapped, key, randomBytes(16)))).toEqual(refused('authentication_failed', words));
  });

  it('refuses a wrapped secret that opens but is not a 32-byte seed', () => {
    const [key, nonce] = [randomBytes(32), randomBytes(24)];
    for (const length of [0, 31, 33]) {
      const wrapped = frame(nonce, aeadEncrypt(new Uint8Array(length).fill(1), wrapAd(ownerId), nonce, key));
      expect(refusal(() => unwrapSeed(wrapped, key, ownerId)), `${length} bytes`).toEqual(refused('authentication_failed', 'wrapped key does not open: wrong password or tampered'));
    }
  });

  it('refuses an empty or cut wrapped key as malformed, naming it', () => {
    const key = randomBytes(32);
    expect(refusal(() => unwrapSeed(new Uint8Array(0), key, ownerId))).toEqual(refused('malformed', 'wrapped key is empty'));
    expect(refusal(() => unwrapSeed(frame(randomBytes(24)), key, ownerId))).toEqual(refused('malformed', 'wrapped key is truncated'));
    expect(refusal(() => unwrapSeed(Uint8Array.of(1, ...randomBytes(72)), key, ownerId))).toEqual(refused('unsupported_version', 'wrapped key has version 1, expected 2'));
  });

  it('opens a personal key pair from its seed', () => {
    const seed = newSeed();
    expect(seed).toHaveLength(32);
    expect(newSeed()).not.toEqual(seed);
    expect(personalKeyPair(seed)).toEqual(boxKeyPairFromSeed(seed));
  });
});

describe('an organisation keyring', () => {
  const orgId = randomBytes(16);
  const member = () => boxKeyPairFromSeed(randomBytes(32));
  const keyringLabel = label('parley/v1/org-keyring');

  it('starts at version 1, with key pairs made from its two seeds', () => {
    const keyring = newOrgKeyring(orgId);
    expect(keyring.keyVersion).toBe(1);
    expect(keyring.orgId).toBe(orgId);
    expect(keyring.box).toEqual(boxKeyPairFromSeed(keyring.boxSeed));
    expect(keyring.sign).toEqual(signKeyPairFromSeed(keyring.signSeed));
    expect(keyring.boxSeed).not.toEqual(keyring.signSeed);
    expect(newOrgKeyring(orgId, 7).keyVersion).toBe(7);
  });

  it('opens for its member as the same organisation, version and seeds', () => {
    const to = member();
    const keyring = orgKeyringFromSeeds(orgId, 0x01020304, randomBytes(32), randomBytes(32));
    expect(openOrgKeyring(sealOrgKeyring(keyring, to.publicKey), to, orgId)).toEqual(keyring);
  });

  it('is sealed as the label, the organisation id, the version as u32be and both seeds', () => {
    const to = member();
    const keyring = orgKeyringFromSeeds(orgId, 258, randomBytes(32), randomBytes(32));
    const plain = concatBytes(keyringLabel, orgId, Uint8Array.of(0, 0, 1, 2), keyring.boxSeed, keyring.signSeed);
    expect(openOrgKeyring(frame(sealTo(plain, to.publicKey)), to, orgId)).toEqual(keyring);
  });

  it('refuses to open for another member, saying so', () => {
    const sealed = sealOrgKeyring(newOrgKeyring(orgId), member().publicKey);
    expect(refusal(() => openOrgKeyring(sealed, member(), orgId))).toEqual(refused('authentication_failed', 'organisation keyring does not open with this key'));
  });

  it('refuses an empty or version-only keyring as malformed, naming it', () => {
    expect(refusal(() => openOrgKeyring(new Uint8Array(0), member(), orgId))).toEqual(refused('malformed', 'organisation keyring is empty'));
    expect(refusal(() => openOrgKeyring(frame(), member(), orgId))).toEqual(refused('malformed', 'organisation keyring is truncated'));
  });

  it('refuses a keyring of another organisation as wrongly bound', () => {
    const to = member();
    const sealed = sealOrgKeyring(newOrgKeyring(randomBytes(16)), to.publicKey);
    expect(refusal(() => openOrgKeyring(sealed, to, orgId))).toEqual(refused('wrong_binding', 'keyring belongs to another organisation'));
  });

  it('refuses a sealed keyring one byte short or long, or under another label, as the wrong shape', () => {
    const to = member();
    const [boxSeed, signSeed] = [randomBytes(32), randomBytes(32)];
    const version = Uint8Array.of(0, 0, 0, 1);
    const shapes = [
      concatBytes(keyringLabel, orgId, version, boxSeed, signSeed.subarray(0, 31)),
      concatBytes(keyringLabel, orgId, version, boxSeed, signSeed, Uint8Array.of(0)),
      concatBytes(label('parley/v1/org-keyrinG'), orgId, version, boxSeed, signSeed),
    ];
    for (const plain of shapes) {
      expect(refusal(() => openOrgKeyring(frame(sealTo(plain, to.publicKey)), to, orgId))).toEqual(refused('malformed', 'organisation keyring has the wrong shape'));
    }
  });
});
