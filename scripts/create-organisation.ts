// Server side of the first-run bootstrap: store what the client side provisioned.
// Used by `npm run setup`, the demo and the tests.
import type { ParleyDb } from '../db/database.js';
import { foundOrganisationStatements } from '../db/repo/accounts.js';
import { audited } from '../worker/audit.js';
import { provisionOrganisation } from '../web/client/provision.js';
import { sealWithServerSecret } from '../worker/server-secret.js';
import { newTotpSecret } from '../worker/totp.js';
import { b64ToBytes, sha256, bytesToB64, sodiumReady, type KdfParams } from '../web/protocol/index.js';

export interface CreatedOrganisation {
  orgId: string;
  memberId: string;
  /** For the administrator's authenticator app (base32); stored only encrypted. */
  totpSecret: string;
}

export async function createOrganisation(db: ParleyDb, options: { orgName: string; username: string; password: string; kdf: KdfParams; now: number; serverSecret: Uint8Array }): Promise<CreatedOrganisation> {
  await sodiumReady();
  const totpSecret = newTotpSecret((n) => crypto.getRandomValues(new Uint8Array(n)));
  const { organisation: { sealedKeyring, founderEndorsement, ...organisation }, member } = provisionOrganisation(options.orgName, options.username, options.password, options.kdf);
  const admin = {
    id: member.id,
    role: 'admin' as const,
    orgId: organisation.id,
    username: options.username,
    authSalt: member.authSalt,
    authKeyHash: bytesToB64(sha256(b64ToBytes(member.authKey)!)),
    boxPublicKey: member.boxPublicKey,
    wrappedSeed: member.wrappedSeed,
    createdAt: options.now,
    instanceAdmin: true,
    // The operator enrols the code on the administrator's phone as this command prints it.
    totpSecretEnc: await sealWithServerSecret(options.serverSecret, totpSecret, member.id),
    totpConfirmed: true,
    totpLastStep: 0,
    endorsement: founderEndorsement,
    endorsementVersion: 1,
  };
  // Founded from the terminal, and audited like every other founding.
  await audited(db, options.now, { orgId: organisation.id, actorId: member.id, action: 'organisation_create', subject: organisation.id, detail: { via: 'command line' } }, () =>
    foundOrganisationStatements(db, { ...organisation, keyVersion: 1, createdAt: options.now }, admin, sealedKeyring),
  );
  return { orgId: organisation.id, memberId: member.id, totpSecret };
}
