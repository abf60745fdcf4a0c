// Single-use challenges (for mailbox proofs and proofs of work): issued, then consumed
// exactly once before they expire.
import { and, eq, gt, lte } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { challenges } from '../schema.js';

export async function insertChallenge(db: ParleyDb, challengeHash: string, expiresAt: number, now: number, workBits: number): Promise<void> {
  await deleteExpiredChallenges(db, now);
  await db.insert(challenges).values({ challengeHash, expiresAt, workBits });
}

export async function deleteExpiredChallenges(db: ParleyDb, now: number): Promise<void> {
  await db.delete(challenges).where(lte(challenges.expiresAt, now));
}

/** The challenge's terms the first time a live challenge is presented; null after that or once expired. */
export async function consumeChallenge(db: ParleyDb, challengeHash: string, now: number): Promise<{ workBits: number } | null> {
  const deleted = await db
    .delete(challenges)
    .where(and(eq(challenges.challengeHash, challengeHash), gt(challenges.expiresAt, now)))
    .returning({ workBits: challenges.workBits })
    .all();
  return deleted[0] ?? null;
}
