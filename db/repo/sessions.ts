// Investigator sessions, looked up by the hash of their bearer token.
import { eq, lte, or } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { sessions } from '../schema.js';

export type Session = typeof sessions.$inferSelect;

export async function insertSession(db: ParleyDb, session: Session): Promise<void> {
  await db.insert(sessions).values(session);
}

export async function findSession(db: ParleyDb, tokenHash: string): Promise<Session | undefined> {
  return db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash)).get();
}

export async function touchSession(db: ParleyDb, tokenHash: string, now: number): Promise<void> {
  await db.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(db: ParleyDb, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Sessions past their absolute limit or idle too long: the ones the middleware refuses. */
export async function deleteExpiredSessions(db: ParleyDb, now: number, idleMs: number): Promise<void> {
  await db.delete(sessions).where(or(lte(sessions.expiresAt, now), lte(sessions.lastUsedAt, now - idleMs)));
}
