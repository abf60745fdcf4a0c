// Spent challenges. Challenges are issued without a write (worker/challenge-token.ts); one is
// remembered here only once its proof of work has checked out, until the end of the day it
// expires in, so it cannot be spent twice. The row holds a hash of random bytes and an expiry: nothing about who spent it.
import { eq, lte, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { guardStatement, preparedWrite, requireBound, type WriteStep } from '../atomic.js';
import { readAll, readOne, type Read } from '../read-together.js';
import { preparedOnce } from '../prepared.js';
import { challenges } from '../schema.js';

/** A challenge whose work checked out, as it is remembered. */
export interface SpentChallenge {
  challengeHash: string;
  /** The end of its expiry's day. */
  keepUntil: number;
  workBits: number;
}

/** A spent challenge's row, bound to a SpentChallenge. */
const spentRow = { challengeHash: sql.placeholder('challengeHash'), expiresAt: sql.placeholder('keepUntil'), workBits: sql.placeholder('workBits') };

// Every mailbox request and report runs one of these: compiled once.
const statements = preparedOnce((db) => ({
  record: db
    .insert(challenges)
    .values(spentRow)
    .onConflictDoNothing()
    .returning({ challengeHash: challenges.challengeHash })
    .prepare(),
  spent: db.select({ one: sql`1` }).from(challenges).where(eq(challenges.challengeHash, sql.placeholder('challengeHash'))).prepare(),
  // The spend inside a report's write: a guard that it was not spent meanwhile, then the row.
  notSpent: guardStatement(db, sql`NOT EXISTS (SELECT 1 FROM ${challenges} WHERE ${challenges.challengeHash} = ${sql.placeholder('challengeHash')})`),
  insert: db.insert(challenges).values(spentRow).prepare(),
}));

/** The spend as a statement that answers a row the first time a challenge is spent, none if it was spent before (writeThenRead). */
export const spendChallenge = (db: ParleyDb, spent: SpentChallenge): Read<{ challengeHash: string }[]> => readAll(statements(db).record, { ...spent });

/** A row if the challenge was spent before: a read to make in one trip with the request's own (readTogether). */
export const challengeSpent = (db: ParleyDb, challengeHash: string): Read<{ one: unknown } | undefined> => readOne(statements(db).spent, { challengeHash });

/** The spend as part of another write: refused with `alreadySpent` if the challenge was spent meanwhile. */
export function spendChallengeSteps(db: ParleyDb, spent: SpentChallenge, alreadySpent: Error): WriteStep[] {
  const compiled = statements(db);
  return [requireBound(compiled.notSpent, { challengeHash: spent.challengeHash }, alreadySpent), preparedWrite(compiled.insert, { ...spent })];
}

export async function deleteExpiredChallenges(db: ParleyDb, now: number): Promise<void> {
  await db.delete(challenges).where(lte(challenges.expiresAt, now));
}
