// Investigator sessions, looked up by the hash of their bearer token.
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { members, organisations, sessions } from '../schema.js';
import type { Member } from './members.js';
import type { Organisation } from './organisations.js';
import type { WriteStep } from '../atomic.js';
import { preparedOnce } from '../prepared.js';

export type Session = typeof sessions.$inferSelect;

/** Signing in is audited: the session goes into the write that records it. */
export function insertSessionStatements(db: ParleyDb, session: Session): WriteStep[] {
  return [db.insert(sessions).values(session)];
}

export function deleteSessionStatements(db: ParleyDb, tokenHash: string): WriteStep[] {
  return [db.delete(sessions).where(eq(sessions.tokenHash, tokenHash))];
}

// Every console request reads its session: compiled once (db/prepared.ts).
export const sessionReads = preparedOnce((db) => ({
  withMember: db
    .select({ session: sessions, member: members, organisation: organisations })
    .from(sessions)
    .leftJoin(members, and(eq(members.id, sessions.memberId), isNull(members.removedAt)))
    .leftJoin(organisations, eq(organisations.id, members.orgId))
    .where(eq(sessions.tokenHash, sql.placeholder('tokenHash')))
    .prepare(),
}));

/**
 * A session with its member and the member's organisation, in one read (on Workers, one D1
 * round trip for every console request, which most routes then need no other for the unit's
 * keys and settings): `member` and `organisation` are null when the member has been removed since.
 */
export async function findSession(db: ParleyDb, tokenHash: string): Promise<{ session: Session; member: Member | null; organisation: Organisation | null } | undefined> {
  return sessionReads(db).withMember.get({ tokenHash });
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
