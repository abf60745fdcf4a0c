// Failure counters for throttling, keyed by a hash of the thing attempted.
import { eq, lt, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { attemptThrottle, intakeCounters } from '../schema.js';

export type ThrottleRow = typeof attemptThrottle.$inferSelect;

export async function findThrottle(db: ParleyDb, keyHash: string): Promise<ThrottleRow | undefined> {
  return db.select().from(attemptThrottle).where(eq(attemptThrottle.keyHash, keyHash)).get();
}

export async function saveThrottle(db: ParleyDb, row: ThrottleRow): Promise<void> {
  await db.insert(attemptThrottle).values(row).onConflictDoUpdate({ target: attemptThrottle.keyHash, set: { failures: row.failures, blockedUntil: row.blockedUntil, lastFailureAt: row.lastFailureAt } });
}

export async function clearThrottle(db: ParleyDb, keyHash: string): Promise<void> {
  await db.delete(attemptThrottle).where(eq(attemptThrottle.keyHash, keyHash));
}

export async function deleteStaleThrottles(db: ParleyDb, olderThan: number): Promise<void> {
  await db.delete(attemptThrottle).where(lt(attemptThrottle.lastFailureAt, olderThan));
}

export async function intakeThisMinute(db: ParleyDb, minute: number): Promise<number> {
  return (await db.select().from(intakeCounters).where(eq(intakeCounters.minute, minute)).get())?.count ?? 0;
}

/** Adds one to this minute's count of new reports and returns the new count. */
export async function countIntake(db: ParleyDb, minute: number): Promise<number> {
  const [row] = await db
    .insert(intakeCounters)
    .values({ minute, count: 1 })
    .onConflictDoUpdate({ target: intakeCounters.minute, set: { count: sql`${intakeCounters.count} + 1` } })
    .returning({ count: intakeCounters.count });
  // Old minutes are pruned once, by the first report of each new minute.
  if (row?.count === 1) await db.delete(intakeCounters).where(lt(intakeCounters.minute, minute - 60));
  return row?.count ?? 1;
}
