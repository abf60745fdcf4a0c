// Protocol 2's trust checks (web/protocol/trust.ts, fingerprint.ts): an organisation's key chain
// from its anchor, member keys proved by an invitation secret or endorsed by the organisation,
// signed sealed case keys, thread links, and the fingerprints people compare. Each refusal is
// checked for its kind and its words; each derivation against docs/SPEC.md's formula.
import { describe, expect, it } from 'vitest';
import {
  endorseMemberKey, endorseOrgKeyVersion, inviteSecret, memberKeyEndorsed, memberKeyProof, memberKeyProofValid, orgAnchorFingerprint,
  requireSealedCaseKeySigned, signSealedCaseKey, threadLink, verifyOrgKeyChain, type ChainLink,
} from '../../web/protocol/trust.js';
import { keyFingerprint } from '../../web/protocol/fingerprint.js';
import { memberKeyBytes, orgAnchorBytes, threadLinkInput } from '../../web/protocol/signed-bytes.js';
import { concatBytes, utf8ToBytes } from '../../web/protocol/encoding.js';
import { blake2b, boxKeyPairFromSeed, randomBytes, sha256, signKeyPairFromSeed, sodiumReady, type KeyPair } from '../../web/protocol/sodium.js';
import { refusal, refused } from './refusal.js';

// Before any describe body runs: some build their fixtures with libsodium as they are collected.
await sodiumReady();

/** docs/SPEC.md "Fingerprints": 40 lower-case hex digits of BLAKE2b-160, in 10 groups of 4. */
function specFingerprint(input: Uint8Array): string {
  return Buffer.from(blake2b(20, input)).toString('hex').replace(/(.{4})(?!$)/g, '$1 ');
}

interface VersionKeys { box: KeyPair; sign: KeyPair }
const versionKeys = (): VersionKeys => ({ box: boxKeyPairFromSeed(randomBytes(32)), sign: signKeyPairFromSeed(randomBytes(32)) });

/** A correct chain of `count` versions: version 1 signs itself, each later one is signed by the one before. */
function chainOf(orgId: Uint8Array, count: number): { keys: VersionKeys[]; chain: ChainLink[] } {
  const keys = Array.from({ length: count }, versionKeys);
  const chain = keys.map((k, i) => {
    const link = { keyVersion: i + 1, boxPublicKey: k.box.publicKey, signPublicKey: k.sign.publicKey };
    return { ...link, endorsement: endorseOrgKeyVersion(orgId, link, keys[Math.max(0, i - 1)]!.sign.privateKey) };
  });
  return { keys, chain };
}

describe('an organisation key chain', () => {
  const orgId = randomBytes(16);

  it('verifies from version 1, giving the anchor, the last version and every version’s signing key', () => {
    const { chain } = chainOf(orgId, 3);
    const verified = verifyOrgKeyChain(orgId, chain);
    expect(verified.anchor).toBe(orgAnchorFingerprint(orgId, chain[0]!));
    expect(verified.current).toBe(chain[2]);
    expect([...verified.signingKeys]).toEqual([[1, chain[0]!.signPublicKey], [2, chain[1]!.signPublicKey], [3, chain[2]!.signPublicKey]]);
  });

  it('keeps its anchor through rotations, so a pinned anchor still holds', () => {
    const { chain } = chainOf(orgId, 3);
    const anchor = verifyOrgKeyChain(orgId, chain.slice(0, 1)).anchor;
    expect(verifyOrgKeyChain(orgId, chain, anchor).anchor).toBe(anchor);
    expect(verifyOrgKeyChain(orgId, chain.slice(0, 2), anchor).current).toBe(chain[1]);
  });

  it('refuses an organisation with no keys', () => {
    expect(refusal(() => verifyOrgKeyChain(orgId, []))).toEqual(refused('untrusted_key', 'the organisation has no keys'));
  });

  it('refuses a chain that does not start at version 1', () => {
    const [k] = [versionKeys()];
    const link = { keyVersion: 2, boxPublicKey: k.box.publicKey, signPublicKey: k.sign.publicKey };
    const selfSigned = { ...link, endorsement: endorseOrgKeyVersion(orgId, link, k.sign.privateKey) };
    expect(refusal(() => verifyOrgKeyChain(orgId, [selfSigned]))).toEqual(refused('untrusted_key', 'key version 2 is out of order'));
  });

  it('refuses a chain that skips a version, even when each link is signed by the one before', () => {
    const { keys, chain } = chainOf(orgId, 1);
    const k = versionKeys();
    const link = { keyVersion: 3, boxPublicKey: k.box.publicKey, signPublicKey: k.sign.publicKey };
    const skipping = { ...link, endorsement: endorseOrgKeyVersion(orgId, link, keys[0]!.sign.privateKey) };
    expect(refusal(() => verifyOrgKeyChain(orgId, [chain[0]!, skipping]))).toEqual(refused('untrusted_key', 'key version 3 is out of order'));
  });

  it('refuses a later version that signed itself instead of being signed by the version before', () => {
    const { chain } = chainOf(orgId, 2);
    const k = versionKeys();
    const link = { keyVersion: 2, boxPublicKey: k.box.publicKey, signPublicKey: k.sign.publicKey };
    const selfSigned = { ...link, endorsement: endorseOrgKeyVersion(orgId, link, k.sign.privateKey) };
    expect(refusal(() => verifyOrgKeyChain(orgId, [chain[0]!, selfSigned]))).toEqual(refused('untrusted_key', 'key version 2 is not signed by the version before it'));
  });

  it('refuses a third version signed by the first rather than the second', () => {
    const { keys, chain } = chainOf(orgId, 3);
    const third = { ...chain[2]!, endorsement: endorseOrgKeyVersion(orgId, chain[2]!, keys[0]!.sign.privateKey) };
    expect(refusal(() => verifyOrgKeyChain(orgId, [chain[0]!, chain[1]!, third]))).toEqual(refused('untrusted_key', 'key version 3 is not signed by the version before it'));
  });

  it('refuses a first version signed by some other key', () => {
    const { chain } = chainOf(orgId, 1);
    const forged = { ...chain[0]!, endorsement: endorseOrgKeyVersion(orgId, chain[0]!, versionKeys().sign.privateKey) };
    expect(refusal(() => verifyOrgKeyChain(orgId, [forged]))).toEqual(refused('untrusted_key', 'key version 1 is not signed by the version before it'));
  });

  it('refuses an endorsement cut or extended by a byte', () => {
    const { chain } = chainOf(orgId, 2);
    const endorsement = chain[1]!.endorsement;
    for (const changed of [endorsement.subarray(0, 63), concatBytes(endorsement, Uint8Array.of(0))]) {
      expect(refusal(() => verifyOrgKeyChain(orgId, [chain[0]!, { ...chain[1]!, endorsement: changed }]))).toEqual(
        refused('untrusted_key', 'key version 2 is not signed by the version before it'),
      );
    }
  });

  it('refuses a chain made for another organisation', () => {
    const { chain } = chainOf(orgId, 2);
    expect(refusal(() => verifyOrgKeyChain(randomBytes(16), chain))).toEqual(refused('untrusted_key', 'key version 1 is not signed by the version before it'));
  });

  it('refuses a chain that does not start from the pinned anchor', () => {
    const { chain } = chainOf(orgId, 2);
    const otherAnchor = verifyOrgKeyChain(orgId, chainOf(orgId, 1).chain).anchor;
    expect(refusal(() => verifyOrgKeyChain(orgId, chain, otherAnchor))).toEqual(
      refused('untrusted_key', 'the organisation’s keys do not start from its published anchor'),
    );
  });
});

describe('fingerprints', () => {
  it('of an anchor are BLAKE2b-160 of the anchor bytes, as 10 groups of 4 lower-case hex digits', () => {
    // Twenty bytes each, enough draws that digests with bytes below 0x10 (a leading zero digit) come up.
    for (let i = 0; i < 40; i++) {
      const [orgId, first] = [randomBytes(16), versionKeys()];
      const keys = { boxPublicKey: first.box.publicKey, signPublicKey: first.sign.publicKey };
      const fingerprint = orgAnchorFingerprint(orgId, keys);
      expect(fingerprint).toMatch(/^([0-9a-f]{4} ){9}[0-9a-f]{4}$/);
      expect(fingerprint).toBe(specFingerprint(orgAnchorBytes(orgId, keys.boxPublicKey, keys.signPublicKey)));
    }
  });

  it('of a member key are over the label, a zero and the key, in the same form', () => {
    for (let i = 0; i < 40; i++) {
      const key = randomBytes(32);
      const fingerprint = keyFingerprint(key);
      expect(fingerprint).toMatch(/^([0-9a-f]{4} ){9}[0-9a-f]{4}$/);
      expect(fingerprint).toBe(specFingerprint(concatBytes(utf8ToBytes('parley/v1/key-fingerprint'), Uint8Array.of(0), key)));
    }
  });
});

describe('a member key', () => {
  const [orgId, memberId, orgSign] = [randomBytes(16), randomBytes(16), signKeyPairFromSeed(randomBytes(32))];
  const memberBox = boxKeyPairFromSeed(randomBytes(32)).publicKey;

  it('is proved with a secret made from the organisation’s signing seed and the token hash', () => {
    const [seed, tokenHash] = [randomBytes(32), sha256(utf8ToBytes('invitation token'))];
    const secret = inviteSecret(seed, tokenHash);
    expect(secret).toEqual(blake2b(32, concatBytes(utf8ToBytes('parley/v2/invite-secret'), Uint8Array.of(0), tokenHash), seed));
    expect(inviteSecret(randomBytes(32), tokenHash)).not.toEqual(secret);
    const proof = memberKeyProof(secret, orgId, memberId, 'alex', memberBox);
    expect(proof).toEqual(blake2b(32, concatBytes(utf8ToBytes('parley/v2/member-key-proof'), Uint8Array.of(0), memberKeyBytes(orgId, memberId, 'alex', memberBox)), secret));
    expect(memberKeyProofValid(proof, secret, orgId, memberId, 'alex', memberBox)).toBe(true);
  });

  it('refuses a proof for another key, another name, another secret, or of the wrong length', () => {
    const secret = randomBytes(32);
    const proof = memberKeyProof(secret, orgId, memberId, 'alex', memberBox);
    expect(memberKeyProofValid(proof, secret, orgId, memberId, 'alex', randomBytes(32))).toBe(false);
    expect(memberKeyProofValid(proof, secret, orgId, memberId, 'alexa', memberBox)).toBe(false);
    expect(memberKeyProofValid(proof, randomBytes(32), orgId, memberId, 'alex', memberBox)).toBe(false);
    expect(memberKeyProofValid(proof.subarray(0, 31), secret, orgId, memberId, 'alex', memberBox)).toBe(false);
    expect(memberKeyProofValid(concatBytes(proof, Uint8Array.of(0)), secret, orgId, memberId, 'alex', memberBox)).toBe(false);
  });

  it('is endorsed by the organisation’s signing key, and by no other', () => {
    const endorsement = endorseMemberKey(orgSign.privateKey, orgId, memberId, 'alex', memberBox);
    expect(memberKeyEndorsed(endorsement, orgSign.publicKey, orgId, memberId, 'alex', memberBox)).toBe(true);
    expect(memberKeyEndorsed(endorsement, signKeyPairFromSeed(randomBytes(32)).publicKey, orgId, memberId, 'alex', memberBox)).toBe(false);
    expect(memberKeyEndorsed(endorsement, orgSign.publicKey, orgId, memberId, 'alex', randomBytes(32))).toBe(false);
    expect(memberKeyEndorsed(endorsement.subarray(0, 63), orgSign.publicKey, orgId, memberId, 'alex', memberBox)).toBe(false);
  });
});

describe('a sealed case key’s signature', () => {
  const [caseId, recipient, sealed] = [randomBytes(16), randomBytes(32), randomBytes(81)];
  const sealer = signKeyPairFromSeed(randomBytes(32));

  it('verifies for the case, recipient and sealed bytes it was made for', () => {
    const signature = signSealedCaseKey(sealer.privateKey, caseId, recipient, sealed);
    expect(refusal(() => requireSealedCaseKeySigned(signature, sealer.publicKey, caseId, recipient, sealed))).toBe('no error');
  });

  it('refuses one swapped to another recipient or signed by someone else, saying whoever should have sealed it did not', () => {
    const signature = signSealedCaseKey(sealer.privateKey, caseId, recipient, sealed);
    const words = 'the sealed case key is not signed by whoever should have sealed it';
    expect(refusal(() => requireSealedCaseKeySigned(signature, sealer.publicKey, caseId, randomBytes(32), sealed))).toEqual(refused('bad_signature', words));
    expect(refusal(() => requireSealedCaseKeySigned(signature, signKeyPairFromSeed(randomBytes(32)).publicKey, caseId, recipient, sealed))).toEqual(refused('bad_signature', words));
    expect(refusal(() => requireSealedCaseKeySigned(signature.subarray(0, 63), sealer.publicKey, caseId, recipient, sealed))).toEqual(refused('bad_signature', words));
  });
});

describe('a thread link', () => {
  it('is SHA-256 of the link input, and changes with the message it follows', () => {
    const [id, signature, envelope] = [randomBytes(16), randomBytes(64), randomBytes(1065)];
    expect(threadLink(id, signature, envelope)).toEqual(sha256(threadLinkInput(id, signature, envelope)));
    expect(threadLink(id, signature, envelope)).not.toEqual(threadLink(id, randomBytes(64), envelope));
  });
});
