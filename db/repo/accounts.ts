// Account changes that must land together: founding an organisation, joining one, and
// removing a member with the key rotation that goes with it.
import { and, eq, ne } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { runAtomically } from '../atomic.js';
import { caseKeys, investigators, invites, orgKeyrings, orgKeyVersions, organisations, sessions } from '../schema.js';

export type InviteRow = typeof invites.$inferSelect;
type NewInvestigator = typeof investigators.$inferInsert;
type NewOrganisation = typeof organisations.$inferInsert;

export async function insertInvite(db: ParleyDb, invite: InviteRow): Promise<void> {
  await db.insert(invites).values(invite);
}

export async function findInvite(db: ParleyDb, tokenHash: string): Promise<InviteRow | undefined> {
  return db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).get();
}

function organisationStatements(db: ParleyDb, org: NewOrganisation & { createdAt: number }) {
  return [
    db.insert(organisations).values(org),
    db.insert(orgKeyVersions).values({ orgId: org.id, keyVersion: org.keyVersion, boxPublicKey: org.boxPublicKey, signPublicKey: org.signPublicKey, createdAt: org.createdAt }),
  ];
}

/** A new organisation, its first administrator and their keyring; the invite (if any) is used up. */
export async function foundOrganisation(db: ParleyDb, org: NewOrganisation & { createdAt: number }, admin: NewInvestigator, sealedKeyring: string, inviteTokenHash?: string): Promise<void> {
  await runAtomically(db, [
    ...organisationStatements(db, org),
    db.insert(investigators).values(admin),
    db.insert(orgKeyrings).values({ investigatorId: admin.id, orgId: org.id, keyVersion: org.keyVersion, sealedKeyring }),
    ...(inviteTokenHash ? [db.delete(invites).where(eq(invites.tokenHash, inviteTokenHash))] : []),
  ]);
}

/** A member joins with their own keys; an administrator wraps the organisation keys to them later. */
export async function joinOrganisation(db: ParleyDb, member: NewInvestigator, inviteTokenHash: string): Promise<void> {
  await runAtomically(db, [db.insert(investigators).values(member), db.delete(invites).where(eq(invites.tokenHash, inviteTokenHash))]);
}

export async function insertKeyring(db: ParleyDb, row: typeof orgKeyrings.$inferInsert): Promise<void> {
  await db.insert(orgKeyrings).values(row).onConflictDoUpdate({ target: [orgKeyrings.investigatorId, orgKeyrings.orgId, orgKeyrings.keyVersion], set: { sealedKeyring: row.sealedKeyring } });
}

export async function deleteSessionsOf(db: ParleyDb, investigatorId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.investigatorId, investigatorId));
}

export interface Rotation {
  orgId: string;
  removedId: string;
  keyVersion: number;
  boxPublicKey: string;
  signPublicKey: string;
  createdAt: number;
  keyrings: { investigatorId: string; sealedKeyring: string }[];
  caseKeys: { caseId: string; sealedCaseKey: string }[];
}

/**
 * Removing a member rotates the organisation's keys in one batch: the member, their
 * sessions and every keyring sealed to them go; the new public keys take effect; every
 * remaining member gets the new keyring; every case key is replaced by one sealed to the
 * new key. Older keyrings of the others are dropped too: nothing is sealed to old keys now.
 */
export async function removeMemberAndRotate(db: ParleyDb, rotation: Rotation): Promise<void> {
  await runAtomically(db, [
    db.delete(sessions).where(eq(sessions.investigatorId, rotation.removedId)),
    db.delete(orgKeyrings).where(eq(orgKeyrings.orgId, rotation.orgId)),
    db.delete(investigators).where(and(eq(investigators.id, rotation.removedId), eq(investigators.orgId, rotation.orgId))),
    db.update(organisations).set({ keyVersion: rotation.keyVersion, boxPublicKey: rotation.boxPublicKey, signPublicKey: rotation.signPublicKey }).where(eq(organisations.id, rotation.orgId)),
    db.insert(orgKeyVersions).values({ orgId: rotation.orgId, keyVersion: rotation.keyVersion, boxPublicKey: rotation.boxPublicKey, signPublicKey: rotation.signPublicKey, createdAt: rotation.createdAt }),
    ...rotation.keyrings.map((k) => db.insert(orgKeyrings).values({ investigatorId: k.investigatorId, orgId: rotation.orgId, keyVersion: rotation.keyVersion, sealedKeyring: k.sealedKeyring })),
    ...rotation.caseKeys.map((k) =>
      db.update(caseKeys).set({ keyVersion: rotation.keyVersion, sealedCaseKey: k.sealedCaseKey }).where(and(eq(caseKeys.caseId, k.caseId), eq(caseKeys.orgId, rotation.orgId))),
    ),
  ]);
}

export async function caseKeysOfOrg(db: ParleyDb, orgId: string): Promise<(typeof caseKeys.$inferSelect)[]> {
  return await db.select().from(caseKeys).where(eq(caseKeys.orgId, orgId));
}

export async function otherMembers(db: ParleyDb, orgId: string, exceptId: string): Promise<{ id: string }[]> {
  return await db.select({ id: investigators.id }).from(investigators).where(and(eq(investigators.orgId, orgId), ne(investigators.id, exceptId)));
}

export async function keyVersionsOf(db: ParleyDb, orgIds: readonly string[]): Promise<(typeof orgKeyVersions.$inferSelect)[]> {
  if (orgIds.length === 0) return [];
  const rows = await Promise.all(orgIds.map((id) => db.select().from(orgKeyVersions).where(eq(orgKeyVersions.orgId, id))));
  return rows.flat();
}
