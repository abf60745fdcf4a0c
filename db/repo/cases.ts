// Cases, their mailboxes, sealed case keys and messages.
import { and, desc, eq, asc, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { runAtomically } from '../atomic.js';
import { caseKeys, cases, mailboxes, messages, type CaseStatus } from '../schema.js';

export type CaseRow = typeof cases.$inferSelect;
export type MailboxRow = typeof mailboxes.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type CaseKeyRow = typeof caseKeys.$inferSelect;

export interface NewReport {
  case: CaseRow;
  mailbox: MailboxRow;
  orgCaseKey: CaseKeyRow;
  firstMessage: Omit<MessageRow, 'seq'>;
}

/** A report, its mailbox, the organisation's sealed key and the report message: all or nothing. */
export async function insertReport(db: ParleyDb, report: NewReport): Promise<void> {
  await runAtomically(db, [
    db.insert(cases).values(report.case),
    db.insert(mailboxes).values(report.mailbox),
    db.insert(caseKeys).values(report.orgCaseKey),
    db.insert(messages).values({ ...report.firstMessage, seq: 1 }),
  ]);
}

export async function findMailbox(db: ParleyDb, locatorHash: string): Promise<MailboxRow | undefined> {
  return db.select().from(mailboxes).where(eq(mailboxes.locatorHash, locatorHash)).get();
}

export async function findMailboxByCase(db: ParleyDb, caseId: string): Promise<MailboxRow | undefined> {
  return db.select().from(mailboxes).where(eq(mailboxes.caseId, caseId)).get();
}

export async function findCase(db: ParleyDb, caseId: string): Promise<CaseRow | undefined> {
  return db.select().from(cases).where(eq(cases.id, caseId)).get();
}

export async function findCaseKey(db: ParleyDb, caseId: string, orgId: string): Promise<CaseKeyRow | undefined> {
  return db.select().from(caseKeys).where(and(eq(caseKeys.caseId, caseId), eq(caseKeys.orgId, orgId))).get();
}

/** Cases an organisation holds a key for, newest first, each with its report (message 1). */
export async function listCasesForOrg(db: ParleyDb, orgId: string, limit: number): Promise<{ case: CaseRow; caseKey: CaseKeyRow; reporterSignPublicKey: string; report: MessageRow | null }[]> {
  return await db
    .select({ case: cases, caseKey: caseKeys, reporterSignPublicKey: mailboxes.signPublicKey, report: messages })
    .from(caseKeys)
    .innerJoin(cases, eq(cases.id, caseKeys.caseId))
    .innerJoin(mailboxes, eq(mailboxes.caseId, caseKeys.caseId))
    .leftJoin(messages, and(eq(messages.caseId, caseKeys.caseId), eq(messages.seq, 1)))
    .where(eq(caseKeys.orgId, orgId))
    .orderBy(desc(cases.receivedDay), desc(sql`${cases}.rowid`))
    .limit(limit);
}

export async function listMessages(db: ParleyDb, caseId: string): Promise<MessageRow[]> {
  return await db.select().from(messages).where(eq(messages.caseId, caseId)).orderBy(asc(messages.seq)).all();
}

export async function findMessage(db: ParleyDb, messageId: string): Promise<MessageRow | undefined> {
  return db.select().from(messages).where(eq(messages.id, messageId)).get();
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

/** A message and the case update it brings (status, reporter activity), to run together. */
export function appendMessageStatements(db: ParleyDb, message: Omit<MessageRow, 'seq'>, update: CaseUpdate) {
  return [appendMessageStatement(db, message), updateCaseStatement(db, message.caseId, update)];
}

export async function appendMessage(db: ParleyDb, message: Omit<MessageRow, 'seq'>, update: CaseUpdate): Promise<void> {
  await runAtomically(db, appendMessageStatements(db, message, update));
}

export function updateCaseStatement(db: ParleyDb, caseId: string, update: CaseUpdate) {
  return db.update(cases).set(update).where(eq(cases.id, caseId));
}

export interface PassOn {
  caseId: string;
  fromOrgId: string;
  toOrgId: string;
  keyVersion: number;
  sealedCaseKey: string;
  keepAccess: boolean;
  now: number;
}

/**
 * Passing a case on: the receiving organisation gets the case key (sealed by the sender's
 * browser to its key) and becomes the lead; the sender keeps its own key or drops it.
 */
export async function passOnCase(db: ParleyDb, p: PassOn): Promise<void> {
  await runAtomically(db, [
    db.insert(caseKeys).values({ caseId: p.caseId, orgId: p.toOrgId, keyVersion: p.keyVersion, sealedCaseKey: p.sealedCaseKey }),
    db.update(cases).set({ orgId: p.toOrgId, status: 'passed_on', updatedAt: p.now }).where(eq(cases.id, p.caseId)),
    ...(p.keepAccess ? [] : [db.delete(caseKeys).where(and(eq(caseKeys.caseId, p.caseId), eq(caseKeys.orgId, p.fromOrgId)))]),
  ]);
}
