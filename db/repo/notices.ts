// Staff notices' bookkeeping: who wants them and where, what each was last told, and whether a
// unit has a deadline near. Nothing here says which case: notices carry no reference.
import { and, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { caseKeys, cases, members, organisations, staffNotices } from '../schema.js';

export interface NoticeRecipient {
  memberId: string;
  email: string;
  orgId: string;
  timeZone: string;
  /** The organisation's counter now, and its value when the member was last told. */
  reporterActivity: number;
  activitySeen: number;
  noticeDay: string | null;
}

/** Current members with a notice address, with their unit's counter and what they were last told. */
export async function noticeRecipients(db: ParleyDb): Promise<NoticeRecipient[]> {
  return await db
    .select({
      memberId: members.id,
      email: sql<string>`${members.noticeEmail}`,
      orgId: organisations.id,
      timeZone: organisations.timeZone,
      reporterActivity: organisations.reporterActivity,
      activitySeen: sql<number>`coalesce(${staffNotices.activitySeen}, 0)`,
      noticeDay: staffNotices.noticeDay,
    })
    .from(members)
    .innerJoin(organisations, eq(organisations.id, members.orgId))
    .leftJoin(staffNotices, eq(staffNotices.memberId, members.id))
    .where(and(isNotNull(members.noticeEmail), isNull(members.removedAt)))
    .all();
}

/**
 * Whether a case the organisation leads has its next open deadline (web/casework/deadlines.ts
 * nextDueDay, kept on the case's keys as `due_day`) on or before `lastDay`: a range of the due index.
 */
export async function hasDeadlineBy(db: ParleyDb, orgId: string, lastDay: string): Promise<boolean> {
  const found = await db
    .select({ id: caseKeys.caseId })
    .from(caseKeys)
    .innerJoin(cases, eq(cases.id, caseKeys.caseId))
    .where(and(eq(caseKeys.orgId, orgId), lte(caseKeys.dueDay, lastDay), eq(cases.orgId, orgId)))
    .limit(1)
    .all();
  return found.length > 0;
}

/** What the member has now been told: the counter they have seen, the day of the last deadline notice. */
export async function recordNotice(db: ParleyDb, memberId: string, told: { activitySeen: number; noticeDay: string | null }): Promise<void> {
  await db.insert(staffNotices).values({ memberId, ...told }).onConflictDoUpdate({ target: staffNotices.memberId, set: told });
}

/**
 * A member's notice address, set, changed or cleared. A first address starts their counter at
 * the unit's current activity, so they are told of what comes after, not of everything before;
 * a changed one keeps it.
 */
export function setNoticeAddressSteps(db: ParleyDb, memberId: string, email: string | null) {
  const current = sql`(SELECT ${organisations.reporterActivity} FROM ${organisations} JOIN ${members} ON ${members.orgId} = ${organisations.id} WHERE ${members.id} = ${memberId})`;
  return [
    db.update(members).set({ noticeEmail: email }).where(eq(members.id, memberId)),
    ...(email === null
      ? [db.delete(staffNotices).where(eq(staffNotices.memberId, memberId))]
      : [db.insert(staffNotices).values({ memberId, activitySeen: current }).onConflictDoNothing()]),
  ];
}
