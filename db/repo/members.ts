// Investigator accounts, their wrapped personal keys and the organisation keyrings sealed to them.
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { auditLog, members, organisations, orgKeyrings } from '../schema.js';
import { requireThat, type WriteStep } from '../atomic.js';
import { preparedOnce } from '../prepared.js';
import { readAll, readOne, readTogether } from '../read-together.js';
import { auditReads, type AuditRow } from './audit.js';
import { keyVersionReads, type KeyVersionRow } from './accounts.js';
import type { Organisation } from './organisations.js';

export type Member = typeof members.$inferSelect;
export type OrgKeyringRow = typeof orgKeyrings.$inferSelect;

// What a prelogin and a sign-in read, by the username alone, so a sign-in's come in one trip
// (separate reads, not a join: D1's batch answers rows keyed by column name, and these tables share names).
const username = sql.placeholder('username');
const orgOfUsername = sql`(SELECT ${members.orgId} FROM ${members} WHERE ${members.username} = ${username} AND ${members.removedAt} IS NULL)`;
const signInReads = preparedOnce((db) => ({
  member: db.select().from(members).where(and(eq(members.username, username), isNull(members.removedAt))).prepare(),
  organisation: db.select().from(organisations).where(eq(organisations.id, orgOfUsername)).prepare(),
  auditHead: db.select().from(auditLog).where(eq(auditLog.orgId, orgOfUsername)).orderBy(desc(auditLog.seq)).limit(1).prepare(),
}));

/** A current member by username; removed members are not found (their names stay taken). */
export async function findMemberByUsername(db: ParleyDb, name: string): Promise<Member | undefined> {
  return signInReads(db).member.get({ username: name });
}

/**
 * A current member by username with what landing their sign-in needs, in one trip: their
 * organisation, and the head of its audit chain (the audited write starts from it).
 */
export async function memberSigningIn(db: ParleyDb, name: string): Promise<{ member: Member; organisation: Organisation; auditHead: AuditRow | undefined } | undefined> {
  const reads = signInReads(db);
  const values = { username: name };
  const [member, organisation, auditHead] = await readTogether(db, [readOne(reads.member, values), readOne(reads.organisation, values), readOne(reads.auditHead, values)]);
  return member && organisation ? { member, organisation, auditHead } : undefined;
}

// The member routes that act on one member read them first: compiled once.
const memberById = preparedOnce((db) => db.select().from(members).where(and(eq(members.id, sql.placeholder('id')), isNull(members.removedAt))).prepare());

/** A current member by id; removed members are not found. */
export async function findMember(db: ParleyDb, id: string): Promise<Member | undefined> {
  return memberById(db).get({ id });
}

// On every sign-in: compiled once.
const keyringsOfMember = preparedOnce((db) =>
  db
    .select()
    .from(orgKeyrings)
    .where(and(eq(orgKeyrings.memberId, sql.placeholder('memberId')), eq(orgKeyrings.orgId, sql.placeholder('orgId'))))
    .orderBy(asc(orgKeyrings.keyVersion))
    .prepare(),
);

export async function listKeyrings(db: ParleyDb, memberId: string, orgId: string): Promise<OrgKeyringRow[]> {
  return await keyringsOfMember(db).all({ memberId, orgId });
}

/** A member's keyrings and their organisation's key versions (which the device checks them by), in one read. */
export async function keyringsWithVersions(db: ParleyDb, memberId: string, orgId: string): Promise<{ keyrings: OrgKeyringRow[]; keyVersions: KeyVersionRow[] }> {
  const [keyrings, keyVersions] = await readTogether(db, [readAll(keyringsOfMember(db), { memberId, orgId }), readAll(keyVersionReads(db).ofOrg, { orgId })]);
  return { keyrings, keyVersions };
}

// A unit's current members and every keyring it holds: read by each keyring check and the members view.
const orgReads = preparedOnce((db) => ({
  members: db.select().from(members).where(and(eq(members.orgId, sql.placeholder('orgId')), isNull(members.removedAt))).orderBy(asc(members.createdAt)).prepare(),
  keyrings: db.select().from(orgKeyrings).where(eq(orgKeyrings.orgId, sql.placeholder('orgId'))).prepare(),
}));

/** The unit's current members, and every keyring it holds, as reads for one trip with others (readTogether). */
export const currentMembers = (db: ParleyDb, orgId: string) => readAll(orgReads(db).members, { orgId });
const allKeyringsOf = (db: ParleyDb, orgId: string) => readAll(orgReads(db).keyrings, { orgId });

/** The members view, in one trip: the unit's current members, every keyring it holds and its key versions. */
export async function membersWithKeyrings(db: ParleyDb, orgId: string) {
  const [current, keyrings, versions] = await readTogether(db, [currentMembers(db, orgId), allKeyringsOf(db, orgId), readAll(keyVersionReads(db).ofOrg, { orgId })]);
  return { members: current, keyrings, versions };
}

/**
 * What a member's keyring check decides by, in one trip: their keyrings, the unit's key versions,
 * every keyring of the unit and its current members, and the head of its audit chain (the
 * audited write starts from it).
 */
export async function keyringCheckReads(db: ParleyDb, memberId: string, orgId: string) {
  const [mine, versions, allKeyrings, current, head] = await readTogether(db, [
    readAll(keyringsOfMember(db), { memberId, orgId }),
    readAll(keyVersionReads(db).ofOrg, { orgId }),
    allKeyringsOf(db, orgId),
    currentMembers(db, orgId),
    readOne(auditReads(db).head, { orgId }),
  ]);
  return { mine, versions, allKeyrings, members: current, auditHead: { orgId, last: head } };
}

/**
 * What a keyring grant decides by, in one trip: the member (if current), the keyrings they hold
 * of the unit, its key versions, and the head of its audit chain (the audited write starts from it).
 */
export async function keyringGrantReads(db: ParleyDb, memberId: string, orgId: string) {
  const [member, theirs, versions, head] = await readTogether(db, [
    readOne(memberById(db), { id: memberId }),
    readAll(keyringsOfMember(db), { memberId, orgId }),
    readAll(keyVersionReads(db).ofOrg, { orgId }),
    readOne(auditReads(db).head, { orgId }),
  ]);
  return { member, theirs, versions, auditHead: { orgId, last: head } };
}

/**
 * Records a TOTP step as used, as steps of the audited write it lets through: the guard
 * refuses a step not later than the last, so of two requests racing with one code, exactly one lands.
 */
export function claimTotpStepSteps(db: ParleyDb, memberId: string, step: number, confirm: boolean, refusal: Error): WriteStep[] {
  return [
    requireThat(sql`EXISTS (SELECT 1 FROM ${members} WHERE ${members.id} = ${memberId} AND ${members.totpLastStep} < ${step})`, refusal),
    db.update(members).set(confirm ? { totpLastStep: step, totpConfirmed: true } : { totpLastStep: step }).where(eq(members.id, memberId)),
  ];
}

export async function listMembers(db: ParleyDb, orgId: string): Promise<Member[]> {
  return await orgReads(db).members.all({ orgId });
}
