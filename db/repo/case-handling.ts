// Handling cases together (issue 15): who a case is assigned to, the unit's internal notes, and
// what each member has seen of each case (for "new message" markers).
// Each change is a list of write steps for audited(), with its checks as guards, so nothing can
// change between check and write.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { requireThat, type WriteStep } from '../atomic.js';
import { currentMembersOf } from './member-guards.js';
import { caseNotes, caseReads, cases, members } from '../schema.js';

export type NoteRow = typeof caseNotes.$inferSelect;

/**
 * Assigns a case to a current member of the organisation that leads it, or to nobody (null).
 * Guarded in the write: a member removed, or a case passed on, meanwhile refuses it.
 */
export function assignCaseSteps(db: ParleyDb, caseId: string, orgId: string, memberId: string | null, refusals: { notMember: Error; notLead: Error }): WriteStep[] {
  return [
    requireThat(sql`EXISTS (SELECT 1 FROM ${cases} WHERE ${cases.id} = ${caseId} AND ${cases.orgId} = ${orgId})`, refusals.notLead),
    ...(memberId === null
      ? []
      : [requireThat(currentMembersOf(orgId, [memberId]), refusals.notMember)]),
    db.update(cases).set({ assignedTo: memberId }).where(eq(cases.id, caseId)),
  ];
}


/** A note, stored as it came: ciphertext under the case key and its signature (web/protocol/notes.ts). */
export function insertNoteSteps(db: ParleyDb, note: NoteRow): WriteStep[] {
  return [db.insert(caseNotes).values(note)];
}

/** An organisation's notes on a case, oldest first, each with its author's username. Another unit's notes are not its business. */
export async function listNotes(db: ParleyDb, caseId: string, orgId: string): Promise<(NoteRow & { authorName: string })[]> {
  const rows = await db
    .select({ note: caseNotes, authorName: members.username })
    .from(caseNotes)
    .innerJoin(members, eq(members.id, caseNotes.authorId))
    .where(and(eq(caseNotes.caseId, caseId), eq(caseNotes.orgId, orgId)))
    // Within one millisecond, in the order they were written (rowid), not by their random ids.
    .orderBy(asc(caseNotes.createdAt), sql`${caseNotes}.rowid`);
  return rows.map((row) => ({ ...row.note, authorName: row.authorName }));
}

/** The member has seen the case's thread up to `seenSeq`: never moves back (an older view landing late changes nothing). */
export function markSeenSteps(db: ParleyDb, memberId: string, caseId: string, seenSeq: number): WriteStep[] {
  return [
    db.insert(caseReads).values({ memberId, caseId, seenSeq })
      .onConflictDoUpdate({ target: [caseReads.memberId, caseReads.caseId], set: { seenSeq: sql`max(${caseReads.seenSeq}, excluded.seen_seq)` } }),
  ];
}

