// Cases, their mailboxes, sealed case keys and messages.
import { and, desc, eq, asc, lt, or, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { requireThat, runAtomically, type WriteStep } from '../atomic.js';
import { preparedOnce } from '../prepared.js';
import { caseKeys, cases, caseTransfers, mailboxes, messages, organisations, type CaseStatus } from '../schema.js';

export type CaseRow = typeof cases.$inferSelect;
export type MailboxRow = typeof mailboxes.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type CaseKeyRow = typeof caseKeys.$inferSelect;

export interface NewReport {
  case: typeof cases.$inferInsert;
  mailbox: MailboxRow;
  orgCaseKey: CaseKeyRow;
  firstMessage: Omit<MessageRow, 'seq'>;
}

/**
 * A report, its mailbox, the organisation's sealed key and the report message: all or
 * nothing, and only while the key it was sealed to is still the organisation's current one.
 * That check is part of the write, so a key rotation cannot land between check and insert.
 * The spend of the request's challenge (one commit per report) and the rows of the report's
 * files land in the same write.
 */
export async function insertReport(db: ParleyDb, report: NewReport, keyChanged: Error, spendChallenge: readonly WriteStep[] = [], files: readonly WriteStep[] = []): Promise<void> {
  await runAtomically(db, [
    ...spendChallenge,
    requireThat(sql`(SELECT ${organisations.keyVersion} FROM ${organisations} WHERE ${organisations.id} = ${report.orgCaseKey.orgId}) = ${report.orgCaseKey.keyVersion}`, keyChanged),
    db.insert(cases).values(report.case),
    db.insert(mailboxes).values(report.mailbox),
    db.insert(caseKeys).values(report.orgCaseKey),
    db.insert(messages).values({ ...report.firstMessage, seq: 1 }),
    // The report's files (db/repo/files.ts), declared in the same write.
    ...files,
  ]);
}

// The mailbox fetch's reads, compiled once.
const reads = preparedOnce((db) => ({
  mailbox: db.select().from(mailboxes).where(eq(mailboxes.locatorHash, sql.placeholder('locatorHash'))).prepare(),
  case: db.select().from(cases).where(eq(cases.id, sql.placeholder('caseId'))).prepare(),
  thread: db.select().from(messages).where(eq(messages.caseId, sql.placeholder('caseId'))).orderBy(asc(messages.seq)).prepare(),
}));

export async function findMailbox(db: ParleyDb, locatorHash: string): Promise<MailboxRow | undefined> {
  return reads(db).mailbox.get({ locatorHash });
}

export async function findMailboxByCase(db: ParleyDb, caseId: string): Promise<MailboxRow | undefined> {
  return db.select().from(mailboxes).where(eq(mailboxes.caseId, caseId)).get();
}

export async function findCase(db: ParleyDb, caseId: string): Promise<CaseRow | undefined> {
  return reads(db).case.get({ caseId });
}

export async function findCaseKey(db: ParleyDb, caseId: string, orgId: string): Promise<CaseKeyRow | undefined> {
  return db.select().from(caseKeys).where(and(eq(caseKeys.caseId, caseId), eq(caseKeys.orgId, orgId))).get();
}

export interface CasePage {
  status?: CaseStatus;
  /** Cases older than this one in list order (received day, then id). */
  after?: { day: string; id: string };
  limit: number;
}

/**
 * One page of the cases an organisation holds a key for, newest day first (within a day by
 * id, which is random: the order says nothing finer than the day), each with its report
 * (message 1). Keyset paging: every case is reachable however many arrive.
 */
export async function listCasesForOrg(db: ParleyDb, orgId: string, page: CasePage): Promise<{ case: CaseRow; caseKey: CaseKeyRow; reporterSignPublicKey: string; report: MessageRow | null }[]> {
  const conditions = [eq(caseKeys.orgId, orgId)];
  if (page.status) conditions.push(eq(cases.status, page.status));
  if (page.after) conditions.push(or(lt(cases.receivedDay, page.after.day), and(eq(cases.receivedDay, page.after.day), lt(cases.id, page.after.id)))!);
  return await db
    .select({ case: cases, caseKey: caseKeys, reporterSignPublicKey: mailboxes.signPublicKey, report: messages })
    .from(caseKeys)
    .innerJoin(cases, eq(cases.id, caseKeys.caseId))
    .innerJoin(mailboxes, eq(mailboxes.caseId, caseKeys.caseId))
    .leftJoin(messages, and(eq(messages.caseId, caseKeys.caseId), eq(messages.seq, 1)))
    .where(and(...conditions))
    .orderBy(desc(cases.receivedDay), desc(cases.id))
    .limit(page.limit);
}

export async function listMessages(db: ParleyDb, caseId: string): Promise<MessageRow[]> {
  return await reads(db).thread.all({ caseId });
}

function appendMessageStatement(db: ParleyDb, message: Omit<MessageRow, 'seq'>) {
  // The next sequence number is computed inside the INSERT, so concurrent appends cannot
  // take the same number (the unique index on (case_id, seq) backs this up).
  return db.insert(messages).values({
    ...message,
    seq: sql`(SELECT COALESCE(MAX(${messages.seq}), 0) + 1 FROM ${messages} WHERE ${messages.caseId} = ${message.caseId})`,
  });
}

/** Investigator changes carry updatedAt; reporter activity carries only the day. */
export type CaseUpdate = { status?: CaseStatus; updatedAt: number } | { lastReporterDay: string };

/**
 * A message and the case update it brings (status, reporter activity), to run together,
 * only if it follows the thread's last message (`prev` is that message's link): of two
 * replies written at once, one lands and the other is told the thread moved on.
 */
export function appendMessageSteps(db: ParleyDb, message: Omit<MessageRow, 'seq'>, prev: string, update: CaseUpdate, threadMoved: Error): WriteStep[] {
  const lastLink = sql`(SELECT ${messages.link} FROM ${messages} WHERE ${messages.caseId} = ${message.caseId} ORDER BY ${messages.seq} DESC LIMIT 1)`;
  return [requireThat(sql`${lastLink} = ${prev}`, threadMoved), appendMessageStatement(db, message), updateCaseStatement(db, message.caseId, update)];
}

export async function appendMessage(db: ParleyDb, message: Omit<MessageRow, 'seq'>, prev: string, update: CaseUpdate, threadMoved: Error, files: readonly WriteStep[] = []): Promise<void> {
  await runAtomically(db, [...appendMessageSteps(db, message, prev, update, threadMoved), ...files]);
}

export function updateCaseStatement(db: ParleyDb, caseId: string, update: CaseUpdate) {
  // A reporter's message: its seq (the thread's last, written just before in the same write) is what members have news of.
  const news = 'lastReporterDay' in update ? { lastReporterSeq: sql`(SELECT MAX(${messages.seq}) FROM ${messages} WHERE ${messages.caseId} = ${caseId})` } : {};
  return db.update(cases).set({ ...update, ...news }).where(eq(cases.id, caseId));
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
  return db.select().from(caseTransfers).where(and(eq(caseTransfers.caseId, caseId), eq(caseTransfers.toOrgId, toOrgId))).get();
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
