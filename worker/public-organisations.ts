// Organisations as every client receives them: public keys, and the key chain (each active
// version signed by the one before) that clients verify from the anchor before they seal to
// or believe a key. One shape for the config, threads, case lists and sign-in.
import type { ParleyDb } from '../db/database.js';
import { findOrganisations, type Organisation } from '../db/repo/organisations.js';
import { keyVersionsOfOrgs, type KeyVersionRow } from '../db/repo/accounts.js';

export async function publicOrganisations(db: ParleyDb, orgs: readonly Organisation[]) {
  return publicOrganisationsFrom(orgs, await keyVersionsOfOrgs(db, orgs.map((o) => o.id)));
}

/** The same from rows already read (a mailbox open reads them in one trip: db/repo/mailbox-open.ts). */
export function publicOrganisationsFrom(orgs: readonly Organisation[], versions: readonly KeyVersionRow[]) {
  return orgs.map((org) => ({
    id: org.id,
    name: org.name,
    boxPublicKey: org.boxPublicKey,
    signPublicKey: org.signPublicKey,
    keyVersion: org.keyVersion,
    keyChain: versions
      .filter((v) => v.orgId === org.id && v.state === 'active')
      .map((v) => ({ keyVersion: v.keyVersion, boxPublicKey: v.boxPublicKey, signPublicKey: v.signPublicKey, endorsement: v.endorsement ?? '' })),
  }));
}

export async function publicOrganisationsById(db: ParleyDb, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  return unique.length === 0 ? [] : publicOrganisations(db, await findOrganisations(db, unique));
}
