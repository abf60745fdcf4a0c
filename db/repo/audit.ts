// The audit log's storage: append with the chain's next sequence number, read in order.
import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { auditLog } from '../schema.js';

export type AuditRow = typeof auditLog.$inferSelect;

export async function lastAuditEntry(db: ParleyDb, orgId: string): Promise<AuditRow | undefined> {
  return db.select().from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(desc(auditLog.seq)).limit(1).get();
}

/** Fails with a unique violation if another writer took this sequence number first. */
export function insertAuditStatement(db: ParleyDb, row: AuditRow) {
  return db.insert(auditLog).values(row);
}

export async function auditEntries(db: ParleyDb, orgId: string, afterSeq = 0, limit = 1000): Promise<AuditRow[]> {
  return await db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), gt(auditLog.seq, afterSeq))).orderBy(asc(auditLog.seq)).limit(limit);
}
