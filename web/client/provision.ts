// Making an organisation and its first member, on the client side: every key is made
// here, and what leaves is public keys, wrapped seeds, a sealed keyring and the
// authentication key (which the server stores only as a hash).
import {
  bytesToB64, deriveInvestigatorSecrets, newId, newOrgKeyring, newSeed, personalKeyPair, randomBytes, sealOrgKeyring, wrapSeed, wipe,
  SIZES, type KdfParams,
} from '../protocol/index.js';

export interface ProvisionedMember {
  id: string;
  authSalt: string;
  authKey: string;
  boxPublicKey: string;
  wrappedSeed: string;
  sealedKeyring: string;
}

export interface ProvisionedOrganisation {
  organisation: { id: string; name: string; boxPublicKey: string; signPublicKey: string; keyVersion: number };
  member: ProvisionedMember;
}

export function provisionOrganisation(orgName: string, password: string, kdf: KdfParams): ProvisionedOrganisation {
  const orgIdBytes = newId();
  const keyring = newOrgKeyring(orgIdBytes);
  const memberId = newId();
  const authSalt = randomBytes(SIZES.kdfSalt);
  const secrets = deriveInvestigatorSecrets(password, authSalt, kdf);
  const seed = newSeed();
  const personal = personalKeyPair(seed);
  try {
    return {
      organisation: {
        id: bytesToB64(orgIdBytes),
        name: orgName,
        boxPublicKey: bytesToB64(keyring.box.publicKey),
        signPublicKey: bytesToB64(keyring.sign.publicKey),
        keyVersion: keyring.keyVersion,
      },
      member: {
        id: bytesToB64(memberId),
        authSalt: bytesToB64(authSalt),
        authKey: bytesToB64(secrets.authKey),
        boxPublicKey: bytesToB64(personal.publicKey),
        wrappedSeed: bytesToB64(wrapSeed(seed, secrets.wrapKey, memberId)),
        sealedKeyring: bytesToB64(sealOrgKeyring(keyring, personal.publicKey)),
      },
    };
  } finally {
    for (const secret of [seed, secrets.wrapKey, personal.privateKey, keyring.boxSeed, keyring.signSeed, keyring.box.privateKey, keyring.sign.privateKey]) wipe(secret);
  }
}
