// Failure counters for throttling, keyed by a hash of the thing attempted.
import { eq, lt, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { preparedOnce } from '../prepared.js';
import { attemptThrottle } from '../schema.js';

export type ThrottleRow = typeof attemptThrottle.$inferSelect;

// Looked up on every mailbox request: compiled once.
export const throttleByKey = preparedOnce((db) => db.select().from(attemptThrottle).where(eq(attemptThrottle.keyHash, sql.placeholder('keyHash'))).prepare());

export async function findThrottle(db: ParleyDb, keyHash: string): Promise<ThrottleRow | undefined> {
  return throttleByKey(db).get({ keyHash });
}

export async function saveThrottle(db: ParleyDb, row: ThrottleRow): Promise<void> {
  await db.insert(attemptThrottle).values(row).onConflictDoUpdate({ target: attemptThrottle.keyHash, set: { failures: row.failures, blockedUntil: row.blockedUntil, lastFailureAt: row.lastFailureAt } });
}

/** The delete as a statement, for a write that clears the counter as it lands (sign-in). */
export function clearThrottleStatement(db: ParleyDb, keyHash: string) {
  return db.delete(attemptThrottle).where(eq(attemptThrottle.keyHash, keyHash));
}

export async function clearThrottle(db: ParleyDb, keyHash: string): Promise<void> {
  await clearThrottleStatement(db, keyHash);
}

export async function deleteStaleThrottles(db: ParleyDb, olderThan: number): Promise<void> {
  await db.delete(attemptThrottle).where(lt(attemptThrottle.lastFailureAt, olderThan));
}
