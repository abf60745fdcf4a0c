// The audit log's storage: append with the chain's next sequence number, read in order.
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { preparedOnce } from '../prepared.js';
import type { ParleyDb } from '../database.js';
import { auditLog } from '../schema.js';

export type AuditRow = typeof auditLog.$inferSelect;

export const auditReads = preparedOnce((db) => ({
  /** A chain's last entry: where the next audited write starts. */
  head: db.select().from(auditLog).where(eq(auditLog.orgId, sql.placeholder('orgId'))).orderBy(desc(auditLog.seq)).limit(1).prepare(),
}));

export async function lastAuditEntry(db: ParleyDb, orgId: string): Promise<AuditRow | undefined> {
  return auditReads(db).head.get({ orgId });
}

/** Fails with a unique violation if another writer took this sequence number first. */
export function insertAuditStatement(db: ParleyDb, row: AuditRow) {
  return db.insert(auditLog).values(row);
}

export async function auditEntries(db: ParleyDb, orgId: string, afterSeq = 0, limit = 1000): Promise<AuditRow[]> {
  return await db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), gt(auditLog.seq, afterSeq))).orderBy(asc(auditLog.seq)).limit(limit);
}
