// What the figures read: an organisation's cases received within a span of days, with what its
// device needs to open each report's category (web/casework/figures.ts counts on the device);
// and, for the instance, the day-only bookkeeping the server can count without decrypting.
import { and, asc, eq, gt, gte, lte, or } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { caseKeys, cases } from '../schema.js';
import { heldCasesPage, type CaseKeyRow, type CaseRow, type MessageRow } from './cases.js';

export interface FiguresPage {
  from: string;
  to: string;
  /** Cases after this one in received order (day, then id). */
  after?: { day: string; id: string };
  limit: number;
}

/** The cases an organisation holds a key for, received from `from` to `to` (both included), oldest first, each with its report. */
export async function casesReceivedBetween(db: ParleyDb, orgId: string, page: FiguresPage): Promise<{ case: CaseRow; caseKey: CaseKeyRow; reporterSignPublicKey: string; report: MessageRow | null }[]> {
  // On the case keys' copy of the received day: one range of their (org, day, case) index.
  const conditions = [eq(caseKeys.orgId, orgId), gte(caseKeys.receivedDay, page.from), lte(caseKeys.receivedDay, page.to)];
  if (page.after) conditions.push(or(gt(caseKeys.receivedDay, page.after.day), and(eq(caseKeys.receivedDay, page.after.day), gt(caseKeys.caseId, page.after.id)))!);
  return await heldCasesPage(db, and(...conditions)!, [asc(caseKeys.receivedDay), asc(caseKeys.caseId)], page.limit);
}

/** Every case received from `from` to `to`, by the organisation that leads it: days and status only, nothing sealed. */
export async function caseDaysBetween(db: ParleyDb, from: string, to: string) {
  return await db
    .select({
      orgId: cases.orgId, receivedDay: cases.receivedDay, status: cases.status,
      ackDueDay: cases.ackDueDay, ackDay: cases.ackDay, feedbackDueDay: cases.feedbackDueDay, feedbackDay: cases.feedbackDay,
    })
    .from(cases)
    .where(and(gte(cases.receivedDay, from), lte(cases.receivedDay, to)))
    .all();
}
