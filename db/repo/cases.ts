// Cases, their mailboxes, sealed case keys and messages.
import { and, desc, eq, asc, gt, gte, isNull, lt, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { guardStatement, preparedWrite, requireBound, requireThat, runAtomically, type WriteStep } from '../atomic.js';
import { placeholdersFor, preparedOnce } from '../prepared.js';
import { prefixedColumns, readAll, readOne, readTogether } from '../read-together.js';
import { organisationReads } from './organisations.js';
import { auditReads } from './audit.js';
import { CLOSED_STATUSES } from '../../web/casework/retention.js';
import { addDays } from '../../web/casework/calendar.js';
import { caseKeys, caseReads as readMarkers, cases, caseTransfers, mailboxes, messages, organisations, type CaseStatus } from '../schema.js';

export type CaseRow = typeof cases.$inferSelect;
export type MailboxRow = typeof mailboxes.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type CaseKeyRow = typeof caseKeys.$inferSelect;

/** The columns a new report's case sets (the rest take their defaults). */
const NEW_CASE_COLUMNS = ['id', 'reference', 'orgId', 'status', 'receivedDay', 'lastReporterDay', 'updatedAt', 'ackDueDay', 'feedbackDueDay'] as const;

export interface NewReport {
  case: Pick<CaseRow, (typeof NEW_CASE_COLUMNS)[number]>;
  mailbox: MailboxRow;
  /** Its list keys (receivedDay, dueDay) are the case's, set by the database (migration 0009). */
  orgCaseKey: Omit<CaseKeyRow, 'receivedDay' | 'dueDay'>;
  firstMessage: Omit<MessageRow, 'seq'>;
}

// A report's rows, compiled once (the busiest write there is: issue 16).
const reportWrites = preparedOnce((db) => ({
  case: db.insert(cases).values(placeholdersFor(NEW_CASE_COLUMNS)).prepare(),
  mailbox: db.insert(mailboxes).values(placeholdersFor(['locatorHash', 'caseId', 'signPublicKey', 'boxPublicKey', 'sealedCaseKey', 'sealSignature'])).prepare(),
  caseKey: db.insert(caseKeys).values(placeholdersFor(['caseId', 'orgId', 'keyVersion', 'sealedCaseKey', 'sealSignature', 'sealedByOrg', 'sealedByVersion'])).prepare(),
  firstMessage: db.insert(messages).values({ ...placeholdersFor(['id', 'caseId', 'role', 'orgId', 'keyVersion', 'envelope', 'signature', 'day', 'link']), seq: 1 }).prepare(),
  /** The organisation's current key is still the one the report was sealed to. */
  keyCurrent: guardStatement(db, sql`(SELECT ${organisations.keyVersion} FROM ${organisations} WHERE ${organisations.id} = ${sql.placeholder('orgId')}) = ${sql.placeholder('keyVersion')}`),
}));

/**
 * A report, its mailbox, the organisation's sealed key and the report message: all or
 * nothing, and only while the key it was sealed to is still the organisation's current one.
 * That check is part of the write, so a key rotation cannot land between check and insert.
 * The spend of the request's challenge (one commit per report) and the rows of the report's
 * files land in the same write.
 */
export async function insertReport(db: ParleyDb, report: NewReport, keyChanged: Error, spendChallenge: readonly WriteStep[] = [], files: readonly WriteStep[] = []): Promise<void> {
  const writes = reportWrites(db);
  await runAtomically(db, [
    ...spendChallenge,
    requireBound(writes.keyCurrent, { orgId: report.orgCaseKey.orgId, keyVersion: report.orgCaseKey.keyVersion }, keyChanged),
    preparedWrite(writes.case, report.case),
    preparedWrite(writes.mailbox, report.mailbox),
    preparedWrite(writes.caseKey, report.orgCaseKey),
    preparedWrite(writes.firstMessage, report.firstMessage),
    preparedWrite(reporterActivity(db), { caseId: report.case.id }),
    // The report's files (db/repo/files.ts), declared in the same write.
    ...files,
  ]);
}

// The mailbox fetch's reads, compiled once (read together on D1: db/repo/mailbox-open.ts).
export const caseReads = preparedOnce((db) => ({
  mailbox: db.select().from(mailboxes).where(eq(mailboxes.locatorHash, sql.placeholder('locatorHash'))).prepare(),
  case: db.select().from(cases).where(eq(cases.id, sql.placeholder('caseId'))).prepare(),
  thread: db.select().from(messages).where(eq(messages.caseId, sql.placeholder('caseId'))).orderBy(asc(messages.seq)).prepare(),
}));

export async function findMailbox(db: ParleyDb, locatorHash: string): Promise<MailboxRow | undefined> {
  return caseReads(db).mailbox.get({ locatorHash });
}

export const heldCaseReads = preparedOnce((db) => ({
  /**
   * A case with the organisation's key to it and its reporter's signing key, in one read:
   * none unless the organisation holds a key (the reporter's key: null once deletion began).
   * Each table under column names of its own, so it can be one read of a batch.
   */
  held: db
    .select({ caseRow: prefixedColumns(cases, 'c'), caseKey: prefixedColumns(caseKeys, 'k'), reporterSignPublicKey: sql<string | null>`${mailboxes.signPublicKey}`.as('reporter_sign_public_key') })
    .from(caseKeys)
    .innerJoin(cases, eq(cases.id, caseKeys.caseId))
    .leftJoin(mailboxes, eq(mailboxes.caseId, caseKeys.caseId))
    .where(and(eq(caseKeys.caseId, sql.placeholder('caseId')), eq(caseKeys.orgId, sql.placeholder('orgId'))))
    .prepare(),
}));

export type HeldCaseRow = { caseRow: CaseRow; caseKey: CaseKeyRow; reporterSignPublicKey: string | null };

export async function findHeldCase(db: ParleyDb, caseId: string, orgId: string): Promise<HeldCaseRow | undefined> {
  return heldCaseReads(db).held.get({ caseId, orgId });
}

/** A held case and the head of its unit's audit chain, in one trip (audited() starts from it). */
export async function findHeldCaseWithHead(db: ParleyDb, caseId: string, orgId: string) {
  const [held, head] = await readTogether(db, [readOne(heldCaseReads(db).held, { caseId, orgId }), readOne(auditReads(db).head, { orgId })]);
  return { held, auditHead: { orgId, last: head } };
}

const sharingReads = preparedOnce((db) => ({
  caseKey: db.select().from(caseKeys).where(and(eq(caseKeys.caseId, sql.placeholder('caseId')), eq(caseKeys.orgId, sql.placeholder('orgId')))).prepare(),
  transfer: db.select().from(caseTransfers).where(and(eq(caseTransfers.caseId, sql.placeholder('caseId')), eq(caseTransfers.toOrgId, sql.placeholder('orgId')))).prepare(),
}));

export async function findCaseKey(db: ParleyDb, caseId: string, orgId: string): Promise<CaseKeyRow | undefined> {
  return sharingReads(db).caseKey.get({ caseId, orgId });
}

/**
 * What offering a case to another organisation checks, in one trip: the receiver, whether it
 * holds a key to the case or has been offered it already, and the heads of both organisations'
 * audit chains (the offer is audited in each; audited() starts from them).
 */
export async function passOnChecks(db: ParleyDb, caseId: string, fromOrgId: string, toOrgId: string) {
  const [receiver, heldKey, offer, fromHead, toHead] = await readTogether(db, [
    readOne(organisationReads(db).byId, { id: toOrgId }),
    readOne(sharingReads(db).caseKey, { caseId, orgId: toOrgId }),
    readOne(sharingReads(db).transfer, { caseId, orgId: toOrgId }),
    readOne(auditReads(db).head, { orgId: fromOrgId }),
    readOne(auditReads(db).head, { orgId: toOrgId }),
  ]);
  return { receiver, alreadyShared: heldKey !== undefined || offer !== undefined, auditHeads: [{ orgId: fromOrgId, last: fromHead }, { orgId: toOrgId, last: toHead }] };
}

/** How the case list is ordered: newest received first, or the nearest open deadline first. */
export type CaseSort = 'received' | 'due';

export interface CasePage {
  sort: CaseSort;
  status?: CaseStatus;
  /** `overdue`: the next open deadline has passed; `week`: it falls within seven days from today, today included. */
  due?: 'overdue' | 'week';
  /** A member's id; null: cases assigned to nobody. */
  assignee?: string | null;
  reference?: string;
  /** The organisation's day, which the due filters count from. */
  today: string;
  /** Cases after this one in list order (its sort key, then id). */
  after?: { day: string; id: string };
  limit: number;
  /** The member reading the list: each case says whether the reporter wrote since they last opened it. */
  reader: string;
}

/**
 * The day that stands for "no open deadline" in the due order: after every real day. Each case
 * key carries its case's next open deadline (web/casework/deadlines.ts nextDueDay) as `due_day`,
 * this when none is open; the database keeps it so on every write to the case (migration 0009).
 */
export const NO_DEADLINE_DAY = '9999-12-31';

/** On the list keys: NO_DEADLINE_DAY is after every real day, so it is never overdue nor due this week. */
function dueConditions(due: 'overdue' | 'week', days: { today: string | Placeholder; weekEnd: string | Placeholder }) {
  return due === 'overdue' ? lt(caseKeys.dueDay, days.today) : and(gte(caseKeys.dueDay, days.today), lt(caseKeys.dueDay, days.weekEnd))!;
}

/**
 * One page of the cases an organisation holds a key for, each with its report (message 1) and
 * its sort key (`sortDay`, for the cursor). By received day, newest first (within a day by id,
 * which is random: the order says nothing finer than the day); or by the next open deadline,
 * nearest first, cases with none last. Keyset paging: every case is reachable however many arrive.
 */
function caseListRead(db: ParleyDb, orgId: string, page: CasePage) {
  const byDue = page.sort === 'due';
  const sortDay = byDue ? caseKeys.dueDay : caseKeys.receivedDay;
  const conditions = [eq(caseKeys.orgId, orgId)];
  if (page.status) conditions.push(eq(cases.status, page.status));
  if (page.due) conditions.push(dueConditions(page.due, { today: page.today, weekEnd: addDays(page.today, 7) }));
  if (page.assignee !== undefined) conditions.push(page.assignee === null ? isNull(cases.assignedTo) : eq(cases.assignedTo, page.assignee));
  if (page.reference) conditions.push(eq(cases.reference, page.reference));
  if (page.after) {
    const { day, id } = page.after;
    conditions.push(byDue
      ? or(gt(sortDay, day), and(eq(sortDay, day), gt(caseKeys.caseId, id)))!
      : or(lt(sortDay, day), and(eq(sortDay, day), lt(caseKeys.caseId, id)))!);
  }
  // Ordered by the index (org, key, case): a page reads its own rows, not the unit's every case.
  return heldCasesRead(db, and(...conditions)!, byDue ? [asc(sortDay), asc(caseKeys.caseId)] : [desc(sortDay), desc(caseKeys.caseId)], page.limit, sortDay, page.reader);
}

/**
 * A page of the case list and what the list reads beside it, in one trip: the deadline summary
 * and the head of the unit's audit chain (the listing is audited; audited() starts from it).
 */
export async function caseListWithSideReads(db: ParleyDb, orgId: string, page: CasePage) {
  const [rows, deadlines, head] = await readTogether(db, [
    caseListRead(db, orgId, page),
    readOne(summaryReads(db).deadlines, summaryValues(orgId, page.today)),
    readOne(auditReads(db).head, { orgId }),
  ]);
  return { rows: heldCases(rows), summary: summaryOf(deadlines), auditHead: { orgId, last: head } };
}

export interface HeldCase {
  case: CaseRow;
  caseKey: CaseKeyRow;
  reporterSignPublicKey: string;
  report: MessageRow | null;
  sortDay: string;
  unread: boolean;
}

/**
 * One page of the cases an organisation holds a key for (`where` says which), each with its
 * sealed key, its reporter's signing key and its report (message 1): what a device needs to
 * verify and open each report. The case list and the figures both read through it, as one read
 * of a batch (its rows go through heldCases). With a `reader`, `unread` says whether the reporter
 * wrote since that member last opened the case (never opened: unread), in the same read.
 */
export function heldCasesRead(db: ParleyDb, where: SQL, orderBy: SQL[], limit: number, sortDay: typeof caseKeys.receivedDay | typeof caseKeys.dueDay = caseKeys.receivedDay, reader?: string) {
  const unread = reader === undefined ? sql<number>`0` : sql<number>`(${readMarkers.seenSeq} IS NULL OR ${cases.lastReporterSeq} > ${readMarkers.seenSeq})`;
  const query = db
    // Each table under column names of its own: they share some (id, case_id, org_id), and a batch keys rows by name.
    .select({
      case: prefixedColumns(cases, 'c'), caseKey: prefixedColumns(caseKeys, 'k'), reporterSignPublicKey: sql<string>`${mailboxes.signPublicKey}`.as('reporter_sign_public_key'),
      report: prefixedColumns(messages, 'm'), sortDay: sql<string>`${sortDay}`.as('sort_day'), unread: unread.as('unread'),
    })
    .from(caseKeys)
    .innerJoin(cases, eq(cases.id, caseKeys.caseId))
    .innerJoin(mailboxes, eq(mailboxes.caseId, caseKeys.caseId))
    .leftJoin(messages, and(eq(messages.caseId, caseKeys.caseId), eq(messages.seq, 1)))
    // No reader: the join finds nothing ('' is no member's id), and `unread` is 0.
    .leftJoin(readMarkers, and(eq(readMarkers.caseId, caseKeys.caseId), eq(readMarkers.memberId, reader ?? '')))
    .where(where)
    .orderBy(...orderBy)
    .limit(limit)
    .prepare();
  return readAll(query, {});
}

/** heldCasesRead's rows as cases: a report the left join did not find is null. */
export function heldCases(rows: readonly { case: CaseRow; caseKey: CaseKeyRow; reporterSignPublicKey: string; report: MessageRow; sortDay: string; unread: number }[]): HeldCase[] {
  return rows.map((row) => ({ ...row, report: (row.report.id as string | null) === null ? null : row.report, unread: Boolean(row.unread) }));
}

/**
 * Over all the cases an organisation holds a key for (not one page): how many are overdue, and
 * how many due within the week. Two ranges of the due index: the work grows with the cases that
 * have a deadline in them, not with the unit's closed and answered ones.
 */
const summaryReads = preparedOnce((db) => {
  const count = (due: 'overdue' | 'week', name: string) =>
    sql<number>`(SELECT COUNT(*) FROM ${caseKeys} WHERE ${and(eq(caseKeys.orgId, sql.placeholder('orgId')), dueConditions(due, { today: sql.placeholder('today'), weekEnd: sql.placeholder('weekEnd') }))})`.mapWith(Number).as(name);
  return { deadlines: db.select({ overdue: count('overdue', 'overdue'), dueThisWeek: count('week', 'due_this_week') }).from(sql`(SELECT 1)`).prepare() };
});

const summaryValues = (orgId: string, today: string) => ({ orgId, today, weekEnd: addDays(today, 7) });
const summaryOf = (row: { overdue: number; dueThisWeek: number } | undefined) => ({ overdue: row?.overdue ?? 0, dueThisWeek: row?.dueThisWeek ?? 0 });

/**
 * One more reporter message (a report or an answer) to the organisation leading the case: staff
 * notices (worker/notices.ts) compare this counter with what each member was last told. One
 * UPDATE inside the message's own write, so it costs no commit of its own; compiled once and
 * bound to the case's id, since every report and reporter reply runs it.
 */
const reporterActivity = preparedOnce((db) =>
  db
    .update(organisations)
    .set({ reporterActivity: sql`${organisations.reporterActivity} + 1` })
    .where(eq(organisations.id, sql`(SELECT ${cases.orgId} FROM ${cases} WHERE ${cases.id} = ${sql.placeholder('caseId')})`))
    .prepare(),
);

function appendMessageStatement(db: ParleyDb, message: Omit<MessageRow, 'seq'>) {
  // The next sequence number is computed inside the INSERT, so concurrent appends cannot
  // take the same number (the unique index on (case_id, seq) backs this up).
  return db.insert(messages).values({
    ...message,
    seq: sql`(SELECT COALESCE(MAX(${messages.seq}), 0) + 1 FROM ${messages} WHERE ${messages.caseId} = ${message.caseId})`,
  });
}

/**
 * What a message changes on its case, in the message's own write. From the organisation: the
 * status it carries (and the day it closed, or no longer closed); with words (a reply, not a
 * wordless status change) the acknowledgement's day, the first time; marked as feedback, the
 * feedback's day, the first time. From the reporter: the day of their activity (no finer) and
 * their last message's seq. `day` is the UTC day of the message, as on every case column.
 */
export type CaseUpdate =
  | { from: 'organisation'; day: string; updatedAt: number; status?: CaseStatus; words: boolean; feedback: boolean }
  | { from: 'reporter'; day: string };

/**
 * A message and the case update it brings (status, reporter activity), to run together,
 * only if it follows the thread's last message (`prev` is that message's link): of two
 * replies written at once, one lands and the other is told the thread moved on.
 */
export function appendMessageSteps(db: ParleyDb, message: Omit<MessageRow, 'seq'>, prev: string, update: CaseUpdate, threadMoved: Error): WriteStep[] {
  const lastLink = sql`(SELECT ${messages.link} FROM ${messages} WHERE ${messages.caseId} = ${message.caseId} ORDER BY ${messages.seq} DESC LIMIT 1)`;
  return [
    requireThat(sql`${lastLink} = ${prev}`, threadMoved), appendMessageStatement(db, message), updateCaseStatement(db, message.caseId, update),
    ...(message.role === 'reporter' ? [preparedWrite(reporterActivity(db), { caseId: message.caseId })] : []),
  ];
}

export async function appendMessage(db: ParleyDb, message: Omit<MessageRow, 'seq'>, prev: string, update: CaseUpdate, threadMoved: Error, files: readonly WriteStep[] = []): Promise<void> {
  await runAtomically(db, [...appendMessageSteps(db, message, prev, update, threadMoved), ...files]);
}

function updateCaseStatement(db: ParleyDb, caseId: string, update: CaseUpdate) {
  if (update.from === 'reporter') {
    // Runs after the message's INSERT in the same write: the thread's last seq is the reporter's new message.
    const lastSeq = sql`(SELECT MAX(${messages.seq}) FROM ${messages} WHERE ${messages.caseId} = ${caseId})`;
    return db.update(cases).set({ lastReporterDay: update.day, lastReporterSeq: lastSeq }).where(eq(cases.id, caseId));
  }
  const closes = update.status !== undefined && (CLOSED_STATUSES as readonly string[]).includes(update.status);
  return db.update(cases).set({
    updatedAt: update.updatedAt,
    ...(update.status ? { status: update.status, closedDay: closes ? update.day : null } : {}),
    // The first counts: a later reply does not move the day a deadline was met.
    ...(update.words ? { ackDay: sql`COALESCE(${cases.ackDay}, ${update.day})` } : {}),
    ...(update.feedback ? { feedbackDay: sql`COALESCE(${cases.feedbackDay}, ${update.day})` } : {}),
  }).where(eq(cases.id, caseId));
}

export type TransferRow = typeof caseTransfers.$inferSelect;

/** An offer of a case to another organisation; the case itself does not move yet. */
export function offerTransferStatements(db: ParleyDb, transfer: TransferRow, keyChanged: Error, alreadyOffered: Error): WriteStep[] {
  return [
    // Sealed to the receiving organisation's current key, checked as the offer lands.
    requireThat(sql`(SELECT ${organisations.keyVersion} FROM ${organisations} WHERE ${organisations.id} = ${transfer.toOrgId}) = ${transfer.keyVersion}`, keyChanged),
    // One open offer per case: a case is never on its way to two places at once.
    requireThat(sql`NOT EXISTS (SELECT 1 FROM ${caseTransfers} WHERE ${caseTransfers.caseId} = ${transfer.caseId})`, alreadyOffered),
    db.insert(caseTransfers).values(transfer),
  ];
}

export async function findTransfer(db: ParleyDb, caseId: string, toOrgId: string): Promise<TransferRow | undefined> {
  return sharingReads(db).transfer.get({ caseId, orgId: toOrgId });
}

/** Offers made to an organisation, each with what its device needs to check the key opens the report. */
export async function transfersTo(db: ParleyDb, orgId: string): Promise<{ transfer: TransferRow; case: CaseRow; reporterSignPublicKey: string; report: MessageRow | null }[]> {
  return await db
    .select({ transfer: caseTransfers, case: cases, reporterSignPublicKey: mailboxes.signPublicKey, report: messages })
    .from(caseTransfers)
    .innerJoin(cases, eq(cases.id, caseTransfers.caseId))
    .innerJoin(mailboxes, eq(mailboxes.caseId, caseTransfers.caseId))
    .leftJoin(messages, and(eq(messages.caseId, caseTransfers.caseId), eq(messages.seq, 1)))
    .where(eq(caseTransfers.toOrgId, orgId))
    .orderBy(asc(caseTransfers.offeredAt))
    .all();
}

/**
 * The receiving organisation accepted (its device opened the key): it gets the key and the
 * lead; the sender keeps its key or drops it as it chose. Guarded: the offer is still there.
 */
export function acceptTransferSteps(db: ParleyDb, t: TransferRow, now: number, gone: Error): WriteStep[] {
  return [
    requireThat(sql`EXISTS (SELECT 1 FROM ${caseTransfers} WHERE ${caseTransfers.caseId} = ${t.caseId} AND ${caseTransfers.toOrgId} = ${t.toOrgId})`, gone),
    db.delete(caseTransfers).where(and(eq(caseTransfers.caseId, t.caseId), eq(caseTransfers.toOrgId, t.toOrgId))),
    db.insert(caseKeys).values({ caseId: t.caseId, orgId: t.toOrgId, keyVersion: t.keyVersion, sealedCaseKey: t.sealedCaseKey, sealSignature: t.sealSignature, sealedByOrg: t.fromOrgId, sealedByVersion: t.sealedByVersion }),
    // Its assignee was a member of the unit that passed it on: the receiving unit assigns it afresh.
    db.update(cases).set({ orgId: t.toOrgId, status: 'passed_on', updatedAt: now, assignedTo: null }).where(eq(cases.id, t.caseId)),
    ...(t.keepAccess ? [] : [db.delete(caseKeys).where(and(eq(caseKeys.caseId, t.caseId), eq(caseKeys.orgId, t.fromOrgId)))]),
  ];
}

export function declineTransferStatements(db: ParleyDb, t: TransferRow): WriteStep[] {
  return [db.delete(caseTransfers).where(and(eq(caseTransfers.caseId, t.caseId), eq(caseTransfers.toOrgId, t.toOrgId)))];
}
