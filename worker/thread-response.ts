// The part of a thread response both sides share: the messages as sent on the wire, and
// every organisation that signed one with all its signing keys by version, so a message
// signed before a key rotation still verifies against the key it was signed with. Pending
// versions (not yet confirmed by a member) sign nothing and are not listed.
import type { ParleyDb } from '../db/database.js';
import type { MessageRow } from '../db/repo/cases.js';
import { findOrganisations } from '../db/repo/organisations.js';
import { keyVersionsOfOrgs } from '../db/repo/accounts.js';
import { publicOrganisation } from './routes/config.js';

export function wireMessage(m: MessageRow) {
  return { id: m.id, role: m.role, orgId: m.orgId, keyVersion: m.keyVersion, day: m.day, envelope: m.envelope, signature: m.signature };
}

export async function threadResponseParts(db: ParleyDb, thread: readonly MessageRow[], alsoOrgIds: readonly string[] = []) {
  const orgIds = [...new Set([...alsoOrgIds, ...thread.flatMap((m) => (m.orgId ? [m.orgId] : []))])];
  const [orgs, versions] = await Promise.all([findOrganisations(db, orgIds), keyVersionsOfOrgs(db, orgIds)]);
  return {
    organisations: orgs.map((org) => ({
      ...publicOrganisation(org),
      signingKeys: versions.filter((v) => v.orgId === org.id && v.state === 'active').map((v) => ({ keyVersion: v.keyVersion, signPublicKey: v.signPublicKey })),
    })),
    messages: thread.map(wireMessage),
  };
}
