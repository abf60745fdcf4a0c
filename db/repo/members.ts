// Investigator accounts, their wrapped personal keys and the organisation keyrings sealed to them.
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { members, orgKeyrings } from '../schema.js';
import { requireThat, type WriteStep } from '../atomic.js';

export type Member = typeof members.$inferSelect;
export type OrgKeyringRow = typeof orgKeyrings.$inferSelect;

/** A current member by username; removed members are not found (their names stay taken). */
export async function findMemberByUsername(db: ParleyDb, username: string): Promise<Member | undefined> {
  return db.select().from(members).where(and(eq(members.username, username), isNull(members.removedAt))).get();
}

/** A current member by id; removed members are not found. */
export async function findMember(db: ParleyDb, id: string): Promise<Member | undefined> {
  return db.select().from(members).where(and(eq(members.id, id), isNull(members.removedAt))).get();
}

export async function listKeyrings(db: ParleyDb, memberId: string, orgId: string): Promise<OrgKeyringRow[]> {
  return await db.select().from(orgKeyrings).where(and(eq(orgKeyrings.memberId, memberId), eq(orgKeyrings.orgId, orgId))).orderBy(asc(orgKeyrings.keyVersion)).all();
}

/** Every keyring of the organisation, for the members view and rotation checks. */
export async function keyringsOfOrg(db: ParleyDb, orgId: string): Promise<OrgKeyringRow[]> {
  return await db.select().from(orgKeyrings).where(eq(orgKeyrings.orgId, orgId)).all();
}

/** The session write refuses a member removed since their password was checked. */
export function memberStillPresent(id: string) {
  return sql`EXISTS (SELECT 1 FROM ${members} WHERE ${members.id} = ${id} AND ${members.removedAt} IS NULL)`;
}

/**
 * Records a TOTP step as used, only if it is later than the last one: of two requests
 * racing with the same code, exactly one succeeds.
 */
export async function claimTotpStep(db: ParleyDb, memberId: string, step: number, confirm: boolean): Promise<boolean> {
  const updated = await db
    .update(members)
    .set(confirm ? { totpLastStep: step, totpConfirmed: true } : { totpLastStep: step })
    .where(and(eq(members.id, memberId), lt(members.totpLastStep, step)))
    .returning({ id: members.id });
  return updated.length === 1;
}

/** The same claim as one step of an audited write: the guard refuses a step not later than the last. */
export function claimTotpStepSteps(db: ParleyDb, memberId: string, step: number, confirm: boolean, refusal: Error): WriteStep[] {
  return [
    requireThat(sql`EXISTS (SELECT 1 FROM ${members} WHERE ${members.id} = ${memberId} AND ${members.totpLastStep} < ${step})`, refusal),
    db.update(members).set(confirm ? { totpLastStep: step, totpConfirmed: true } : { totpLastStep: step }).where(eq(members.id, memberId)),
  ];
}

export async function listMembers(db: ParleyDb, orgId: string): Promise<Member[]> {
  return await db.select().from(members).where(and(eq(members.orgId, orgId), isNull(members.removedAt))).orderBy(asc(members.createdAt));
}
