// What the figures read: an organisation's cases received within a span of days, with what its
// device needs to open each report's category (web/casework/figures.ts counts on the device);
// and, for the instance, the day-only bookkeeping the server can count without decrypting.
import { and, asc, eq, gt, gte, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { caseKeys, cases } from '../schema.js';
import { preparedOnce } from '../prepared.js';
import { readAll, readOne, readTogether } from '../read-together.js';
import { auditReads, type AuditRow } from './audit.js';
import { organisationReads } from './organisations.js';
import { OUTCOME_STATUSES, type OutcomeStatus } from '../../web/casework/figures.js';
import { heldCases, heldCasesRead, type HeldCase } from './cases.js';

export interface FiguresPage {
  from: string;
  to: string;
  /** Cases after this one in received order (day, then id). */
  after?: { day: string; id: string };
  limit: number;
}

/**
 * The cases an organisation holds a key for, received from `from` to `to` (both included), oldest
 * first, each with its report; and, in the same trip, the head of the organisation's audit chain
 * (reading them is audited; audited() starts from it).
 */
export async function casesReceivedBetween(db: ParleyDb, orgId: string, page: FiguresPage): Promise<{ rows: HeldCase[]; auditHead: { orgId: string; last: AuditRow | undefined } }> {
  // On the case keys' copy of the received day: one range of their (org, day, case) index.
  const conditions = [eq(caseKeys.orgId, orgId), gte(caseKeys.receivedDay, page.from), lte(caseKeys.receivedDay, page.to)];
  if (page.after) conditions.push(or(gt(caseKeys.receivedDay, page.after.day), and(eq(caseKeys.receivedDay, page.after.day), gt(caseKeys.caseId, page.after.id)))!);
  const [rows, head] = await readTogether(db, [
    heldCasesRead(db, and(...conditions)!, [asc(caseKeys.receivedDay), asc(caseKeys.caseId)], page.limit),
    readOne(auditReads(db).head, { orgId }),
  ]);
  return { rows: heldCases(rows), auditHead: { orgId, last: head } };
}

/**
 * What the server can count without decrypting, for every case received from `from` to `to`
 * (both included), per organisation leading it and month of receipt: counted by SQLite, so what
 * comes back grows with organisations and months, not with cases (issue 16). The rules are those
 * of `computeFigures` (web/casework/figures.ts); test/casework/server-counted-figures.test.ts holds
 * the two equal. With every organisation, by name, in the same trip.
 */
export async function serverTallies(db: ParleyDb, from: string, to: string) {
  const reads = figuresReads(db);
  const [months, responseDays, organisations] = await readTogether(db, [
    readAll(reads.months, { from, to }), readAll(reads.responseDays, { from, to }), readAll(organisationReads(db).all, {}),
  ]);
  return { months, responseDays, organisations };
}

// Each expression named: D1 gives a batch's rows as objects keyed by column name, so two unnamed
// expressions that read alike (the outcomes differ only in a bound value) would collide.
const month = sql<string>`substr(${cases.receivedDay}, 1, 7)`;
// julianday of a date alone is its midnight, so the difference is whole (rounded as daysBetween does).
const daysToFirstResponse = sql<number>`CAST(round(julianday(${cases.ackDay}) - julianday(${cases.receivedDay})) AS INTEGER)`.mapWith(Number);
/** Cases where the condition holds (count() skips the NULL of an unmatched CASE, and a comparison with NULL). */
const countWhere = (condition: SQL, name: string) => sql<number>`count(CASE WHEN ${condition} THEN 1 END)`.mapWith(Number).as(name);
const inSpan = and(gte(cases.receivedDay, sql.placeholder('from')), lte(cases.receivedDay, sql.placeholder('to')));

const figuresReads = preparedOnce((db) => ({
  months: db
    .select({
      orgId: cases.orgId, period: month.as('period'),
      received: sql<number>`count(*)`.mapWith(Number).as('received'),
      acknowledgedWithin: countWhere(sql`${cases.ackDay} <= ${cases.ackDueDay}`, 'acknowledged_within'),
      feedbackWithin: countWhere(sql`${cases.feedbackDay} <= ${cases.feedbackDueDay}`, 'feedback_within'),
      outcomes: Object.fromEntries(OUTCOME_STATUSES.map((status) => [status, countWhere(eq(cases.status, status), `outcome_${status}`)])) as Record<OutcomeStatus, SQL.Aliased<number>>,
    })
    .from(cases).where(inSpan).groupBy(cases.orgId, month).prepare(),
  // Whole days from receipt to the first response, and how many cases took each.
  responseDays: db
    .select({ orgId: cases.orgId, period: month.as('period'), days: daysToFirstResponse.as('days'), cases: sql<number>`count(*)`.mapWith(Number).as('cases') })
    .from(cases).where(and(inSpan, isNotNull(cases.ackDay))).groupBy(cases.orgId, month, daysToFirstResponse).prepare(),
}));
