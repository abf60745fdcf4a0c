// Investigator accounts, their wrapped personal keys and the organisation keyrings sealed to them.
import { and, eq, lt } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { investigators, orgKeyrings } from '../schema.js';

export type Investigator = typeof investigators.$inferSelect;
export type OrgKeyringRow = typeof orgKeyrings.$inferSelect;

export async function findInvestigatorByUsername(db: ParleyDb, username: string): Promise<Investigator | undefined> {
  return db.select().from(investigators).where(eq(investigators.username, username)).get();
}

export async function findInvestigator(db: ParleyDb, id: string): Promise<Investigator | undefined> {
  return db.select().from(investigators).where(eq(investigators.id, id)).get();
}

export async function listKeyrings(db: ParleyDb, investigatorId: string, orgId: string): Promise<OrgKeyringRow[]> {
  return await db.select().from(orgKeyrings).where(and(eq(orgKeyrings.investigatorId, investigatorId), eq(orgKeyrings.orgId, orgId))).all();
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

export async function listMembers(db: ParleyDb, orgId: string): Promise<Investigator[]> {
  return await db.select().from(investigators).where(eq(investigators.orgId, orgId));
}
