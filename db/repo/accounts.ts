// Account changes as statements for one atomic, audited write (worker/audit.ts's audited()):
// founding an organisation, invitations, joining, keyrings, removal and key rotation.
// Reads run on their own; every write here returns its statements and guards instead of
// running them, so a route cannot make one of these changes without its audit entry.
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { requireThat, type WriteStep } from '../atomic.js';
import { preparedOnce } from '../prepared.js';
import { readAll, readOne, readTogether } from '../read-together.js';
import { organisationReads } from './organisations.js';
import { currentMembersOf, isOneOf } from './member-guards.js';
import { cases, instanceSettings, members, invites, orgKeyrings, orgKeyVersions, organisations, sessions } from '../schema.js';

export type InviteRow = typeof invites.$inferSelect;
export type KeyVersionRow = typeof orgKeyVersions.$inferSelect;
type NewMember = typeof members.$inferInsert;
type NewOrganisation = typeof organisations.$inferInsert;

/** An invitation that can still be used: not spent, not revoked, not expired. */
export async function findLiveInvite(db: ParleyDb, tokenHash: string, now: number): Promise<InviteRow | undefined> {
  return db.select().from(invites).where(and(eq(invites.tokenHash, tokenHash), gt(invites.expiresAt, now))).get();
}

// Organisation invitations are listed to the organisation of the instance administrator who made them.
const inviteReads = preparedOnce((db) => {
  const orgId = sql.placeholder('orgId');
  const mine = sql`${invites.orgId} = ${orgId} OR ${invites.createdBy} IN (SELECT ${members.id} FROM ${members} WHERE ${members.orgId} = ${orgId})`;
  return { live: db.select().from(invites).where(and(gt(invites.expiresAt, sql.placeholder('now')), mine)).orderBy(asc(invites.expiresAt)).prepare() };
});

/** The unit's invitations that have not expired, as a read for one trip (readTogether). */
export const liveInvites = (db: ParleyDb, orgId: string, now: number) => readAll(inviteReads(db).live, { orgId, now });

export async function listLiveInvites(db: ParleyDb, orgId: string, now: number): Promise<InviteRow[]> {
  return await inviteReads(db).live.all({ orgId, now });
}

export function insertInviteStatements(db: ParleyDb, invite: InviteRow): WriteStep[] {
  return [db.insert(invites).values(invite)];
}

export function revokeInviteStatements(db: ParleyDb, tokenHash: string): WriteStep[] {
  return [db.delete(invites).where(eq(invites.tokenHash, tokenHash))];
}

/**
 * Spends an invitation in the write that uses it: the guard finds it still there (and in
 * time) at the moment of the write, and the delete takes it away in the same step, so of
 * two concurrent uses exactly one lands.
 */
export function spendInviteSteps(db: ParleyDb, tokenHash: string, now: number, refusal: Error): WriteStep[] {
  return [
    requireThat(sql`EXISTS (SELECT 1 FROM ${invites} WHERE ${invites.tokenHash} = ${tokenHash} AND ${invites.expiresAt} > ${now})`, refusal),
    db.delete(invites).where(eq(invites.tokenHash, tokenHash)),
  ];
}

/** The first-run setup link is spent the same way, and only while no organisation exists. */
export function spendSetupTokenSteps(db: ParleyDb, settingKey: string, tokenHash: string, refusal: Error): WriteStep[] {
  return [
    requireThat(sql`EXISTS (SELECT 1 FROM ${instanceSettings} WHERE ${instanceSettings.key} = ${settingKey} AND ${instanceSettings.value} = ${tokenHash})`, refusal),
    requireThat(sql`NOT EXISTS (SELECT 1 FROM ${organisations})`, refusal),
    db.delete(instanceSettings).where(eq(instanceSettings.key, settingKey)),
  ];
}

/** A new organisation (key version 1, active), its first administrator and their keyring. */
export function foundOrganisationStatements(db: ParleyDb, org: NewOrganisation & { createdAt: number; endorsement: string }, admin: NewMember, sealedKeyring: string): WriteStep[] {
  const { endorsement, ...organisation } = org;
  return [
    db.insert(organisations).values(organisation),
    db.insert(orgKeyVersions).values({ orgId: org.id, keyVersion: org.keyVersion, boxPublicKey: org.boxPublicKey, signPublicKey: org.signPublicKey, createdAt: org.createdAt, state: 'active', createdBy: null, endorsement }),
    db.insert(members).values(admin),
    db.insert(orgKeyrings).values({ memberId: admin.id, orgId: org.id, keyVersion: org.keyVersion, sealedKeyring, confirmed: false }),
  ];
}

export function joinOrganisationStatements(db: ParleyDb, member: NewMember): WriteStep[] {
  return [db.insert(members).values(member)];
}

type NewKeyring = Omit<typeof orgKeyrings.$inferInsert, 'orgId'>;

/** Keyrings of one unit are added, never overwritten: one that exists stays as it is. */
const keyringInserts = (db: ParleyDb, orgId: string, rows: readonly NewKeyring[]) =>
  rows.map((row) => db.insert(orgKeyrings).values({ ...row, orgId, confirmed: false }).onConflictDoNothing());

/** Keyrings added, only to the unit's current members: else `notMember`, and nothing is written. */
export function addKeyringStatements(db: ParleyDb, orgId: string, rows: readonly NewKeyring[], notMember: Error): WriteStep[] {
  if (rows.length === 0) return [];
  return [requireThat(currentMembersOf(orgId, rows.map((r) => r.memberId)), notMember), ...keyringInserts(db, orgId, rows)];
}

export interface KeyringGrant {
  orgId: string;
  memberId: string;
  /** The versions the member lacks, sealed to them (may be none). */
  keyrings: readonly { keyVersion: number; sealedKeyring: string }[];
  /** The member's key, endorsed by the administrator's device under `endorsementVersion`. */
  endorsement: string;
  endorsementVersion: number;
  /** The unit's newest key version when the grant was checked. */
  newestVersion: number;
}

/**
 * An administrator gives a member keyrings and endorses their key. Refused in the write when the
 * member was removed meanwhile (`notMember`, first: a removal rotates too), or the unit's newest
 * key version moved (a rotation begun or abandoned: `keysChanged`), so no member is left holding
 * the old keys without the new.
 */
export function grantKeyringSteps(db: ParleyDb, g: KeyringGrant, refusals: { notMember: Error; keysChanged: Error }): WriteStep[] {
  return [
    requireThat(currentMembersOf(g.orgId, [g.memberId]), refusals.notMember),
    requireThat(sql`(SELECT MAX(${orgKeyVersions.keyVersion}) FROM ${orgKeyVersions} WHERE ${orgKeyVersions.orgId} = ${g.orgId}) = ${g.newestVersion}`, refusals.keysChanged),
    ...keyringInserts(db, g.orgId, g.keyrings.map((k) => ({ memberId: g.memberId, ...k }))),
    db.update(members).set({ endorsement: g.endorsement, endorsementVersion: g.endorsementVersion }).where(eq(members.id, g.memberId)),
  ];
}

// On every report, every thread and every sign-in: compiled once.
export const keyVersionReads = preparedOnce((db) => ({
  ofOrg: db.select().from(orgKeyVersions).where(eq(orgKeyVersions.orgId, sql.placeholder('orgId'))).orderBy(asc(orgKeyVersions.keyVersion)).prepare(),
  one: db.select().from(orgKeyVersions).where(and(eq(orgKeyVersions.orgId, sql.placeholder('orgId')), eq(orgKeyVersions.keyVersion, sql.placeholder('keyVersion')))).prepare(),
  all: db.select().from(orgKeyVersions).orderBy(asc(orgKeyVersions.orgId), asc(orgKeyVersions.keyVersion)).prepare(),
}));

export async function keyVersionsOf(db: ParleyDb, orgId: string): Promise<KeyVersionRow[]> {
  return await keyVersionReads(db).ofOrg.all({ orgId });
}

/** An organisation and one of its key versions, as reads for one trip (readTogether): a report is checked against the version its case key is sealed to. */
export const organisationWithKeyVersion = (db: ParleyDb, orgId: string, keyVersion: number) =>
  [readOne(organisationReads(db).byId, { id: orgId }), readOne(keyVersionReads(db).one, { orgId, keyVersion })] as const;

/** The key versions of these organisations, in one trip however many they are. */
export async function keyVersionsOfOrgs(db: ParleyDb, orgIds: readonly string[]): Promise<KeyVersionRow[]> {
  const rows = await readTogether(db, orgIds.map((orgId) => readAll(keyVersionReads(db).ofOrg, { orgId })));
  return rows.flat();
}

/** Every organisation, by name, and every key version, in one trip (the config lists them all, on every reporter's visit). */
export async function allOrganisationsWithKeyVersions(db: ParleyDb) {
  const [organisations, keyVersions] = await readTogether(db, [readAll(organisationReads(db).all, {}), readAll(keyVersionReads(db).all, {})]);
  return { organisations, keyVersions };
}

export interface Rotation {
  orgId: string;
  /** The version the organisation uses now; the new one is this + 1. */
  fromVersion: number;
  boxPublicKey: string;
  signPublicKey: string;
  /** Signed by the signing key of fromVersion. */
  endorsement: string;
  createdBy: string;
  createdAt: number;
  keyrings: { memberId: string; sealedKeyring: string }[];
}

/**
 * A new key version, pending until a member confirms it (activateStatements). Guards: the
 * organisation still uses `fromVersion`; no other rotation is under way (`pending`); every current
 * member who holds `fromVersion` is given the new version, and only current members are
 * (`membersChanged`). Nothing existing is deleted or overwritten: every member keeps the
 * versions they hold.
 */
export function startRotationSteps(db: ParleyDb, r: Rotation, refusals: { changed: Error; pending: Error; membersChanged: Error }): WriteStep[] {
  return [
    requireThat(sql`(SELECT ${organisations.keyVersion} FROM ${organisations} WHERE ${organisations.id} = ${r.orgId}) = ${r.fromVersion}`, refusals.changed),
    requireThat(sql`NOT EXISTS (SELECT 1 FROM ${orgKeyVersions} WHERE ${orgKeyVersions.orgId} = ${r.orgId} AND ${orgKeyVersions.keyVersion} > ${r.fromVersion})`, refusals.pending),
    db.insert(orgKeyVersions).values({ orgId: r.orgId, keyVersion: r.fromVersion + 1, boxPublicKey: r.boxPublicKey, signPublicKey: r.signPublicKey, createdAt: r.createdAt, state: 'pending', createdBy: r.createdBy, endorsement: r.endorsement }),
    // No current member who holds fromVersion is left out of the keyrings given (one granted it since the rotation was made would be).
    requireThat(sql`NOT EXISTS (SELECT 1 FROM ${orgKeyrings} JOIN ${members} ON ${members.id} = ${orgKeyrings.memberId} WHERE ${orgKeyrings.orgId} = ${r.orgId} AND ${orgKeyrings.keyVersion} = ${r.fromVersion} AND ${members.removedAt} IS NULL AND NOT (${isOneOf(orgKeyrings.memberId, r.keyrings.map((k) => k.memberId))}))`, refusals.membersChanged),
    ...addKeyringStatements(db, r.orgId, r.keyrings.map((k) => ({ memberId: k.memberId, keyVersion: r.fromVersion + 1, sealedKeyring: k.sealedKeyring })), refusals.membersChanged),
  ];
}

/**
 * A member leaves: their sessions, the keyrings sealed to them and the invitations they made
 * go, and the cases assigned to them go back to nobody (a range of cases_assigned: bounded by
 * their own cases, not the unit's); their row stays (marked removed) so the audit trail keeps
 * their name and the id is never reused. The caller adds a rotation in the same write.
 */
export function removeMemberStatements(db: ParleyDb, orgId: string, memberId: string, now: number, notMember: Error): WriteStep[] {
  return [
    // The deletes below go by the member alone: the write itself makes sure it is one of this unit's, still there.
    requireThat(currentMembersOf(orgId, [memberId]), notMember),
    db.update(cases).set({ assignedTo: null }).where(eq(cases.assignedTo, memberId)),
    db.delete(sessions).where(eq(sessions.memberId, memberId)),
    db.delete(orgKeyrings).where(eq(orgKeyrings.memberId, memberId)),
    db.delete(invites).where(eq(invites.createdBy, memberId)),
    db.update(members).set({ removedAt: now }).where(and(eq(members.id, memberId), eq(members.orgId, orgId), isNull(members.removedAt))),
  ];
}

/** The member's own device found these keyrings open and carry the published keys. */
export function confirmKeyringStatements(db: ParleyDb, memberId: string, orgId: string, versions: readonly number[]): WriteStep[] {
  return versions.map((v) =>
    db.update(orgKeyrings).set({ confirmed: true }).where(and(eq(orgKeyrings.memberId, memberId), eq(orgKeyrings.orgId, orgId), eq(orgKeyrings.keyVersion, v))),
  );
}

/** A keyring that did not open on its owner's device goes, so a working one can be granted; a confirmed one is never deleted. */
export function rejectKeyringStatements(db: ParleyDb, memberId: string, orgId: string, versions: readonly number[]): WriteStep[] {
  return versions.map((v) =>
    db.delete(orgKeyrings).where(and(eq(orgKeyrings.memberId, memberId), eq(orgKeyrings.orgId, orgId), eq(orgKeyrings.keyVersion, v), eq(orgKeyrings.confirmed, false))),
  );
}

/** A pending version becomes the organisation's current key (only from the version before it). */
export function activateStatements(db: ParleyDb, version: KeyVersionRow): WriteStep[] {
  return [
    db.update(orgKeyVersions).set({ state: 'active' }).where(and(eq(orgKeyVersions.orgId, version.orgId), eq(orgKeyVersions.keyVersion, version.keyVersion))),
    db
      .update(organisations)
      .set({ keyVersion: version.keyVersion, boxPublicKey: version.boxPublicKey, signPublicKey: version.signPublicKey })
      .where(and(eq(organisations.id, version.orgId), eq(organisations.keyVersion, version.keyVersion - 1))),
  ];
}

/** A pending version a member's device refused is dropped with its keyrings; the current keys stay. */
export function abandonStatements(db: ParleyDb, version: KeyVersionRow): WriteStep[] {
  return [
    db.delete(orgKeyrings).where(and(eq(orgKeyrings.orgId, version.orgId), eq(orgKeyrings.keyVersion, version.keyVersion))),
    db.delete(orgKeyVersions).where(and(eq(orgKeyVersions.orgId, version.orgId), eq(orgKeyVersions.keyVersion, version.keyVersion), eq(orgKeyVersions.state, 'pending'))),
  ];
}

export function deleteSessionsStatements(db: ParleyDb, memberId: string): WriteStep[] {
  return [db.delete(sessions).where(eq(sessions.memberId, memberId))];
}
