// The retention queries (worker/retention.ts decides, web/casework/retention.ts counts): the
// cases that may be due for deletion, found in SQL so a run never loads every case, the cases
// whose deletion a crash interrupted, and the guard that a case is still as it was judged.
import { and, asc, eq, gt, inArray, isNull, notExists, or, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { requireThat, type WriteStep } from '../atomic.js';
import { caseKeys, cases, mailboxes, organisations } from '../schema.js';
import { CLOSED_STATUSES, RECENT_REPORTER_DAYS } from '../../web/casework/retention.js';

export interface RetentionCandidate {
  id: string;
  orgId: string;
  status: (typeof cases.$inferSelect)['status'];
  closedDay: string | null;
  lastReporterDay: string;
  updatedAt: number;
  keepClosedDays: number;
  keepInactiveDays: number;
  timeZone: string;
}

/**
 * Cases that may be due on `latestToday` (no organisation's "today" is later), in id order
 * after `afterId`: the rules of web/casework/retention.ts in SQL, so the caller checks only
 * these with deletionDay in the organisation's own time zone. Only cases with their mailbox:
 * the others are being deleted already (casesBeingDeleted).
 */
export async function retentionCandidates(db: ParleyDb, latestToday: string, afterId: string, limit: number): Promise<RetentionCandidate[]> {
  const daysBefore = (days: unknown) => sql`date(${latestToday}, '-' || ${days} || ' days')`;
  const lastUnitDay = sql`date(${cases.updatedAt} / 1000, 'unixepoch')`;
  return await db
    .select({
      id: cases.id, orgId: cases.orgId, status: cases.status, closedDay: cases.closedDay, lastReporterDay: cases.lastReporterDay, updatedAt: cases.updatedAt,
      keepClosedDays: organisations.keepClosedDays, keepInactiveDays: organisations.keepInactiveDays, timeZone: organisations.timeZone,
    })
    .from(cases)
    .innerJoin(organisations, eq(organisations.id, cases.orgId))
    .where(and(
      gt(cases.id, afterId),
      sql`${cases.lastReporterDay} <= ${daysBefore(RECENT_REPORTER_DAYS)}`,
      or(
        and(inArray(cases.status, [...CLOSED_STATUSES]), sql`${cases.closedDay} <= ${daysBefore(organisations.keepClosedDays)}`),
        and(sql`${cases.lastReporterDay} <= ${daysBefore(organisations.keepInactiveDays)}`, sql`${lastUnitDay} <= ${daysBefore(organisations.keepInactiveDays)}`),
      ),
      sql`EXISTS (SELECT 1 FROM ${mailboxes} WHERE ${mailboxes.caseId} = ${cases.id})`,
    ))
    .orderBy(asc(cases.id))
    .limit(limit)
    .all();
}

/** Cases cut off (no mailbox) whose rows and files a crash left behind. */
export async function casesBeingDeleted(db: ParleyDb, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: cases.id })
    .from(cases)
    .where(notExists(db.select({ one: sql`1` }).from(mailboxes).where(eq(mailboxes.caseId, cases.id))))
    .limit(limit)
    .all();
  return rows.map((row) => row.id);
}

/** The organisations holding a key to the case (the lead among them, unless a pass-on took it away). */
export async function caseKeyHolders(db: ParleyDb, caseId: string): Promise<string[]> {
  return (await db.select({ orgId: caseKeys.orgId }).from(caseKeys).where(eq(caseKeys.caseId, caseId)).all()).map((row) => row.orgId);
}

/**
 * The case and its organisation's retention settings are still as they were judged, and its
 * mailbox is there: a reporter who writes, a status change or longer retention meanwhile keeps it.
 */
export function stillAsJudged(c: RetentionCandidate, changed: Error): WriteStep {
  return requireThat(sql`EXISTS (SELECT 1 FROM ${cases} JOIN ${organisations} ON ${organisations.id} = ${cases.orgId} WHERE ${and(
    eq(cases.id, c.id), eq(cases.orgId, c.orgId), eq(cases.status, c.status), c.closedDay === null ? isNull(cases.closedDay) : eq(cases.closedDay, c.closedDay),
    eq(cases.lastReporterDay, c.lastReporterDay), eq(cases.updatedAt, c.updatedAt),
    eq(organisations.keepClosedDays, c.keepClosedDays), eq(organisations.keepInactiveDays, c.keepInactiveDays),
  )}) AND EXISTS (SELECT 1 FROM ${mailboxes} WHERE ${mailboxes.caseId} = ${c.id})`, changed);
}
