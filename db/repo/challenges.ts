// Single-use proof challenges: issued, then consumed exactly once before they expire.
import { and, eq, gt, lte } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { challenges } from '../schema.js';

export async function insertChallenge(db: ParleyDb, challengeHash: string, expiresAt: number, now: number): Promise<void> {
  await deleteExpiredChallenges(db, now);
  await db.insert(challenges).values({ challengeHash, expiresAt });
}

export async function deleteExpiredChallenges(db: ParleyDb, now: number): Promise<void> {
  await db.delete(challenges).where(lte(challenges.expiresAt, now));
}

/** True only the first time a live challenge is presented. */
export async function consumeChallenge(db: ParleyDb, challengeHash: string, now: number): Promise<boolean> {
  const deleted = await db
    .delete(challenges)
    .where(and(eq(challenges.challengeHash, challengeHash), gt(challenges.expiresAt, now)))
    .returning({ challengeHash: challenges.challengeHash })
    .all();
  return deleted.length === 1;
}
