// Protocol 2's checks: what a client verifies before it seals to a key or believes one.
// - An organisation's keys form a chain: each version signed by the one before, version 1 by
//   itself; the fingerprint of version 1 (the anchor) is published out of band or pinned.
// - A member's key is proved with a secret from their invitation link (never sent to the
//   server), then endorsed by the organisation's signing key.
// - Every sealed case key is signed by whoever sealed it.
import { ProtocolError } from './errors.js';
import { LABEL, SIZES } from './labels.js';
import { blake2b, sha256, signDetached, verifyDetached } from './sodium.js';
import { bytesEqual, concatBytes, utf8ToBytes } from './encoding.js';
import { memberKeyBytes, orgAnchorBytes, orgKeyVersionBytes, sealedCaseKeyBytes, threadLinkInput } from './signed-bytes.js';

export interface ChainLink {
  keyVersion: number;
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
  /** Signature over orgKeyVersionBytes by the previous version's signing key (version 1: its own). */
  endorsement: Uint8Array;
}

/** 160 bits as 10 groups of 4 hex digits, for people to compare with what the unit publishes. */
function fingerprintOf(bytes: Uint8Array): string {
  const hex = Array.from(blake2b(20, bytes), (b) => b.toString(16).padStart(2, '0')).join('');
  return hex.match(/.{4}/g)!.join(' ');
}

export function orgAnchorFingerprint(orgId: Uint8Array, first: Pick<ChainLink, 'boxPublicKey' | 'signPublicKey'>): string {
  return fingerprintOf(orgAnchorBytes(orgId, first.boxPublicKey, first.signPublicKey));
}

export function endorseOrgKeyVersion(orgId: Uint8Array, next: Omit<ChainLink, 'endorsement'>, signerPrivateKey: Uint8Array): Uint8Array {
  return signDetached(orgKeyVersionBytes(orgId, next.keyVersion, next.boxPublicKey, next.signPublicKey), signerPrivateKey);
}

export interface VerifiedChain {
  /** The anchor's fingerprint: what a person compares with the unit's published one. */
  anchor: string;
  /** The last version of the chain: the keys to seal to and to check new replies with. */
  current: ChainLink;
  /** Every version's signing key, for messages signed before a rotation. */
  signingKeys: Map<number, Uint8Array>;
}

/**
 * Verifies an organisation's key chain from version 1. With `pinnedAnchor` (a fingerprint
 * built into the page), the chain must start from exactly that anchor.
 */
export function verifyOrgKeyChain(orgId: Uint8Array, chain: readonly ChainLink[], pinnedAnchor?: string): VerifiedChain {
  if (chain.length === 0) throw new ProtocolError('untrusted_key', 'the organisation has no keys');
  const signingKeys = new Map<number, Uint8Array>();
  let signer: Uint8Array | null = null;
  chain.forEach((link, index) => {
    if (link.keyVersion !== index + 1) throw new ProtocolError('untrusted_key', `key version ${link.keyVersion} is out of order`);
    const bytes = orgKeyVersionBytes(orgId, link.keyVersion, link.boxPublicKey, link.signPublicKey);
    if (link.endorsement.length !== SIZES.signature || !verifyDetached(link.endorsement, bytes, signer ?? link.signPublicKey)) {
      throw new ProtocolError('untrusted_key', `key version ${link.keyVersion} is not signed by the version before it`);
    }
    signingKeys.set(link.keyVersion, link.signPublicKey);
    signer = link.signPublicKey;
  });
  const anchor = orgAnchorFingerprint(orgId, chain[0]!);
  if (pinnedAnchor !== undefined && anchor !== pinnedAnchor) throw new ProtocolError('untrusted_key', 'the organisation’s keys do not start from its published anchor');
  return { anchor, current: chain.at(-1)!, signingKeys };
}

/** The invitation's secret, re-made by any member holding the organisation keys of the version it was made under. */
export function inviteSecret(orgSignSeed: Uint8Array, tokenHash: Uint8Array): Uint8Array {
  return blake2b(SIZES.key, concatBytes(utf8ToBytes(LABEL.inviteSecret), Uint8Array.of(0), tokenHash), orgSignSeed);
}

/** The newcomer's device proves, with the secret from its link, which key is theirs. */
export function memberKeyProof(secret: Uint8Array, orgId: Uint8Array, memberId: Uint8Array, username: string, boxPublicKey: Uint8Array): Uint8Array {
  return blake2b(SIZES.key, concatBytes(utf8ToBytes(LABEL.memberKeyProof), Uint8Array.of(0), memberKeyBytes(orgId, memberId, username, boxPublicKey)), secret);
}

export function memberKeyProofValid(proof: Uint8Array, secret: Uint8Array, orgId: Uint8Array, memberId: Uint8Array, username: string, boxPublicKey: Uint8Array): boolean {
  return proof.length === SIZES.key && bytesEqual(proof, memberKeyProof(secret, orgId, memberId, username, boxPublicKey));
}

export function endorseMemberKey(orgSignPrivateKey: Uint8Array, orgId: Uint8Array, memberId: Uint8Array, username: string, boxPublicKey: Uint8Array): Uint8Array {
  return signDetached(memberKeyBytes(orgId, memberId, username, boxPublicKey), orgSignPrivateKey);
}

export function memberKeyEndorsed(endorsement: Uint8Array, orgSignPublicKey: Uint8Array, orgId: Uint8Array, memberId: Uint8Array, username: string, boxPublicKey: Uint8Array): boolean {
  return endorsement.length === SIZES.signature && verifyDetached(endorsement, memberKeyBytes(orgId, memberId, username, boxPublicKey), orgSignPublicKey);
}

export function signSealedCaseKey(signerPrivateKey: Uint8Array, caseId: Uint8Array, recipientPublicKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  return signDetached(sealedCaseKeyBytes(caseId, recipientPublicKey, sealed), signerPrivateKey);
}

/** Refuses a sealed case key its sealer did not sign (a server that swapped it cannot). */
export function requireSealedCaseKeySigned(signature: Uint8Array, signerPublicKey: Uint8Array, caseId: Uint8Array, recipientPublicKey: Uint8Array, sealed: Uint8Array): void {
  if (signature.length !== SIZES.signature || !verifyDetached(signature, sealedCaseKeyBytes(caseId, recipientPublicKey, sealed), signerPublicKey)) {
    throw new ProtocolError('bad_signature', 'the sealed case key is not signed by whoever should have sealed it');
  }
}

/** The link a message leaves for the next: every message signs the link of the one before. */
export function threadLink(messageId: Uint8Array, signature: Uint8Array, envelope: Uint8Array): Uint8Array {
  return sha256(threadLinkInput(messageId, signature, envelope));
}
