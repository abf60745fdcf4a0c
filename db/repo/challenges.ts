// Spent challenges. Challenges are issued without a write (worker/challenge-token.ts); one is
// remembered here only once its proof of work has checked out, until the end of the day it
// expires in, so it cannot be spent twice. The row holds a hash of random bytes and an expiry: nothing about who spent it.
import { lte } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { challenges } from '../schema.js';

/** True the first time a challenge is spent; false if it was spent before. */
export async function recordSpentChallenge(db: ParleyDb, challengeHash: string, keepUntil: number, workBits: number): Promise<boolean> {
  const inserted = await db.insert(challenges).values({ challengeHash, expiresAt: keepUntil, workBits }).onConflictDoNothing().returning({ challengeHash: challenges.challengeHash }).all();
  return inserted.length === 1;
}

export async function deleteExpiredChallenges(db: ParleyDb, now: number): Promise<void> {
  await db.delete(challenges).where(lte(challenges.expiresAt, now));
}
