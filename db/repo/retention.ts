// The retention queries (worker/retention.ts decides, web/casework/retention.ts counts): the
// cases that may be due for deletion, found in SQL so a run never loads every case, the cases
// whose deletion a crash interrupted, and the guard that a case is still as it was judged.
import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { requireThat, type WriteStep } from '../atomic.js';
import { caseKeys, cases, mailboxes, organisations } from '../schema.js';
import { CLOSED_STATUSES, RECENT_REPORTER_DAYS } from '../../web/casework/retention.js';
import { addDays } from '../../web/casework/calendar.js';

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

/** An organisation's retention settings and its day, which the rules count from. */
export interface RetentionUnit {
  id: string;
  keepClosedDays: number;
  keepInactiveDays: number;
  timeZone: string;
}

/**
 * The cases of one organisation due for deletion on its `today`: the rules of
 * web/casework/retention.ts in SQL, one query per rule, each a range of its index
 * (cases_org_closed, cases_org_reporter), so a run reads the due cases, not every case. Only
 * cases not cut off already (casesBeingDeleted finishes those).
 */
export async function retentionCandidates(db: ParleyDb, unit: RetentionUnit, today: string, limit: number): Promise<RetentionCandidate[]> {
  const recentReporterBound = addDays(today, -RECENT_REPORTER_DAYS);
  const inactiveBound = addDays(today, -unit.keepInactiveDays);
  const select = {
    id: cases.id, orgId: cases.orgId, status: cases.status, closedDay: cases.closedDay, lastReporterDay: cases.lastReporterDay, updatedAt: cases.updatedAt,
    keepClosedDays: sql<number>`${unit.keepClosedDays}`, keepInactiveDays: sql<number>`${unit.keepInactiveDays}`, timeZone: sql<string>`${unit.timeZone}`,
  };
  const live = sql`${cases.cutOff} = 0`;
  const closed = await db.select(select).from(cases).where(and(
    eq(cases.orgId, unit.id), lte(cases.closedDay, addDays(today, -unit.keepClosedDays)), inArray(cases.status, [...CLOSED_STATUSES]),
    // Unary + keeps SQLite from reading this rule by the reporter-day index, where nearly every case is in range.
    sql`+${cases.lastReporterDay} <= ${recentReporterBound}`, live,
  )).limit(limit).all();
  if (closed.length >= limit) return closed;
  // The ceiling: no message from either side for keepInactiveDays (always longer than RECENT_REPORTER_DAYS).
  const inactive = await db.select(select).from(cases).where(and(
    eq(cases.orgId, unit.id), lte(cases.lastReporterDay, inactiveBound), sql`date(${cases.updatedAt} / 1000, 'unixepoch') <= ${inactiveBound}`, live,
  )).limit(limit).all();
  const seen = new Set(closed.map((c) => c.id));
  return [...closed, ...inactive.filter((c) => !seen.has(c.id))].slice(0, limit);
}

/** Cases cut off (cases.cut_off, with no mailbox) whose rows and files a crash left behind. */
export async function casesBeingDeleted(db: ParleyDb, limit: number): Promise<string[]> {
  // The literal 1 lets SQLite use the partial index cases_cut_off (a bound parameter would not).
  const rows = await db.select({ id: cases.id }).from(cases).where(sql`${cases.cutOff} = 1`).limit(limit).all();
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
