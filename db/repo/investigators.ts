// Investigator accounts, their wrapped personal keys and the organisation keyrings sealed to them.
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { investigators, orgKeyrings } from '../schema.js';
import { requireThat, type WriteStep } from '../atomic.js';

export type Investigator = typeof investigators.$inferSelect;
export type OrgKeyringRow = typeof orgKeyrings.$inferSelect;

/** A current member by username; removed members are not found (their names stay taken). */
export async function findInvestigatorByUsername(db: ParleyDb, username: string): Promise<Investigator | undefined> {
  return db.select().from(investigators).where(and(eq(investigators.username, username), isNull(investigators.removedAt))).get();
}

/** A current member by id; removed members are not found. */
export async function findInvestigator(db: ParleyDb, id: string): Promise<Investigator | undefined> {
  return db.select().from(investigators).where(and(eq(investigators.id, id), isNull(investigators.removedAt))).get();
}

export async function listKeyrings(db: ParleyDb, investigatorId: string, orgId: string): Promise<OrgKeyringRow[]> {
  return await db.select().from(orgKeyrings).where(and(eq(orgKeyrings.investigatorId, investigatorId), eq(orgKeyrings.orgId, orgId))).orderBy(asc(orgKeyrings.keyVersion)).all();
}

/** Every keyring of the organisation, for the members view and rotation checks. */
export async function keyringsOfOrg(db: ParleyDb, orgId: string): Promise<OrgKeyringRow[]> {
  return await db.select().from(orgKeyrings).where(eq(orgKeyrings.orgId, orgId)).all();
}

/** The session write refuses a member removed since their password was checked. */
export function memberStillPresent(id: string) {
  return sql`EXISTS (SELECT 1 FROM ${investigators} WHERE ${investigators.id} = ${id} AND ${investigators.removedAt} IS NULL)`;
}

/**
 * Records a TOTP step as used, only if it is later than the last one: of two requests
 * racing with the same code, exactly one succeeds.
 */
export async function claimTotpStep(db: ParleyDb, investigatorId: string, step: number, confirm: boolean): Promise<boolean> {
  const updated = await db
    .update(investigators)
    .set(confirm ? { totpLastStep: step, totpConfirmed: true } : { totpLastStep: step })
    .where(and(eq(investigators.id, investigatorId), lt(investigators.totpLastStep, step)))
    .returning({ id: investigators.id });
  return updated.length === 1;
}

/** The same claim as one step of an audited write: the guard refuses a step not later than the last. */
export function claimTotpStepSteps(db: ParleyDb, investigatorId: string, step: number, confirm: boolean, refusal: Error): WriteStep[] {
  return [
    requireThat(sql`EXISTS (SELECT 1 FROM ${investigators} WHERE ${investigators.id} = ${investigatorId} AND ${investigators.totpLastStep} < ${step})`, refusal),
    db.update(investigators).set(confirm ? { totpLastStep: step, totpConfirmed: true } : { totpLastStep: step }).where(eq(investigators.id, investigatorId)),
  ];
}

export async function listMembers(db: ParleyDb, orgId: string): Promise<Investigator[]> {
  return await db.select().from(investigators).where(and(eq(investigators.orgId, orgId), isNull(investigators.removedAt))).orderBy(asc(investigators.createdAt));
}
