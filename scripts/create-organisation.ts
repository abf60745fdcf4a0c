// Server side of the first-run bootstrap: store what the client side provisioned.
// Used by `npm run setup`, the demo and the tests.
import type { ParleyDb } from '../db/database.js';
import { insertOrganisationWithMember } from '../db/repo/organisations.js';
import { provisionOrganisation } from '../web/client/provision.js';
import { b64ToBytes, sha256, bytesToB64, sodiumReady, type KdfParams } from '../web/protocol/index.js';

export interface CreatedOrganisation {
  orgId: string;
  investigatorId: string;
}

export async function createOrganisation(db: ParleyDb, options: { orgName: string; username: string; password: string; kdf: KdfParams; now: number }): Promise<CreatedOrganisation> {
  await sodiumReady();
  const { organisation: { sealedKeyring, ...organisation }, member } = provisionOrganisation(options.orgName, options.username, options.password, options.kdf);
  await insertOrganisationWithMember(
    db,
    { ...organisation, keyVersion: 1, createdAt: options.now },
    {
      id: member.id,
      orgId: organisation.id,
      username: options.username,
      role: 'admin',
      authSalt: member.authSalt,
      authKeyHash: bytesToB64(sha256(b64ToBytes(member.authKey)!)),
      boxPublicKey: member.boxPublicKey,
      wrappedSeed: member.wrappedSeed,
      createdAt: options.now,
    },
    { investigatorId: member.id, orgId: organisation.id, keyVersion: 1, sealedKeyring },
  );
  return { orgId: organisation.id, investigatorId: member.id };
}
