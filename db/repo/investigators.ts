// Investigator accounts, their wrapped personal keys and the organisation keyrings sealed to them.
import { and, eq } from 'drizzle-orm';
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
