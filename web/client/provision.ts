// Making accounts and organisations on the client side: every key is made here, and what
// leaves is public keys, wrapped seeds, sealed keyrings and the authentication key (which
// the server stores only as a hash).
import {
  b64ToBytes, bytesToB64, deriveInvestigatorSecrets, endorseMemberKey, endorseOrgKeyVersion, newId, newOrgKeyring, newSeed, personalKeyPair, randomBytes,
  sealOrgKeyring, wrapSeed, wipe, SIZES, type KdfParams,
} from '../protocol/index.js';

/** What the server stores for a new investigator (the authKey only as a hash). */
export interface NewMemberWire {
  id: string;
  username: string;
  authSalt: string;
  authKey: string;
  boxPublicKey: string;
  wrappedSeed: string;
  /** Joining by invitation: the MAC with the link's secret over this member's key (protocol 2). */
  keyProof?: string;
}

/** A new investigator's credentials: a personal key pair from a random seed, wrapped by the password. */
export function newMemberCredentials(username: string, password: string, kdf: KdfParams): { member: NewMemberWire; personalPublicKey: Uint8Array } {
  const memberId = newId();
  const authSalt = randomBytes(SIZES.kdfSalt);
  const secrets = deriveInvestigatorSecrets(password, authSalt, kdf);
  const seed = newSeed();
  const personal = personalKeyPair(seed);
  try {
    return {
      personalPublicKey: personal.publicKey,
      member: {
        id: bytesToB64(memberId),
        username,
        authSalt: bytesToB64(authSalt),
        authKey: bytesToB64(secrets.authKey),
        boxPublicKey: bytesToB64(personal.publicKey),
        wrappedSeed: bytesToB64(wrapSeed(seed, secrets.wrapKey, memberId)),
      },
    };
  } finally {
    for (const secret of [seed, secrets.wrapKey, personal.privateKey]) wipe(secret);
  }
}

export interface NewOrganisationWire {
  id: string;
  name: string;
  boxPublicKey: string;
  signPublicKey: string;
  /** The organisation keys sealed to its first member. */
  sealedKeyring: string;
  /** Version 1 signed by itself: the start of the key chain (its fingerprint is the anchor). */
  endorsement: string;
  /** The first member's key, signed by version 1. */
  founderEndorsement: string;
}

/** A new organisation's key pairs, sealed to its first member; the private halves leave only sealed. */
export function newOrganisationKeys(name: string, founder: Pick<NewMemberWire, 'id' | 'username' | 'boxPublicKey'>): NewOrganisationWire {
  const orgId = newId();
  const keyring = newOrgKeyring(orgId);
  const founderKey = b64ToBytes(founder.boxPublicKey)!;
  try {
    return {
      id: bytesToB64(orgId),
      name,
      boxPublicKey: bytesToB64(keyring.box.publicKey),
      signPublicKey: bytesToB64(keyring.sign.publicKey),
      sealedKeyring: bytesToB64(sealOrgKeyring(keyring, founderKey)),
      endorsement: bytesToB64(endorseOrgKeyVersion(orgId, { keyVersion: 1, boxPublicKey: keyring.box.publicKey, signPublicKey: keyring.sign.publicKey }, keyring.sign.privateKey)),
      founderEndorsement: bytesToB64(endorseMemberKey(keyring.sign.privateKey, orgId, b64ToBytes(founder.id)!, founder.username, founderKey)),
    };
  } finally {
    for (const secret of [keyring.boxSeed, keyring.signSeed, keyring.box.privateKey, keyring.sign.privateKey]) wipe(secret);
  }
}

export function provisionOrganisation(orgName: string, username: string, password: string, kdf: KdfParams): { organisation: NewOrganisationWire; member: NewMemberWire } {
  const { member } = newMemberCredentials(username, password, kdf);
  return { organisation: newOrganisationKeys(orgName, member), member };
}
