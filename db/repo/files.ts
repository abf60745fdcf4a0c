// Files attached to messages: their rows (declared with the message), the parts held, expiry of
// unfinished uploads, and deleting a case with everything it holds. An expired upload's rows
// are removed before its stored parts: a part that lands meanwhile finds its file gone and
// removes itself (worker/file-transfer.ts), so no part outlives its row. A deleted case is cut
// off first (nobody can upload to it), then its parts go before its rows (finishCaseDeletion).
import { and, eq, lt, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { requireThat, runAtomically, type WriteStep } from '../atomic.js';
import { preparedOnce } from '../prepared.js';
import { readOne, readTogether, type Results } from '../read-together.js';
import { heldCaseReads } from './cases.js';
import { caseKeys, caseNotes, caseReads, cases, caseTransfers, fileParts, files, mailboxes, messages } from '../schema.js';
import type { FileStore } from '../../worker/file-store.js';

export type FileRow = typeof files.$inferSelect;

/** The rows for the files a message declares, and a guard that the case stays within its limit. */
export function declareFilesSteps(db: ParleyDb, rows: readonly FileRow[], caseFileLimit: number, tooLarge: Error): WriteStep[] {
  if (rows.length === 0) return [];
  const caseId = rows[0]!.caseId;
  const adding = rows.reduce((sum, row) => sum + row.bytes, 0);
  return [
    requireThat(sql`(SELECT COALESCE(SUM(${files.bytes}), 0) FROM ${files} WHERE ${files.caseId} = ${caseId}) + ${adding} <= ${caseFileLimit}`, tooLarge),
    db.insert(files).values([...rows]),
  ];
}

// Every part's upload runs these: compiled once.
const fileReads = preparedOnce((db) => ({
  file: db.select().from(files).where(eq(files.id, sql.placeholder('fileId'))).prepare(),
  part: db.select({ part: fileParts.part }).from(fileParts).where(and(eq(fileParts.fileId, sql.placeholder('fileId')), eq(fileParts.part, sql.placeholder('part')))).prepare(),
}));

export async function findFile(db: ParleyDb, fileId: string): Promise<FileRow | undefined> {
  return fileReads(db).file.get({ fileId });
}

export async function heldParts(db: ParleyDb, fileId: string): Promise<number[]> {
  const rows = await db.select({ part: fileParts.part }).from(fileParts).where(eq(fileParts.fileId, fileId)).orderBy(fileParts.part).all();
  return rows.map((row) => row.part);
}

/**
 * What storing a part reads: the file and whether the part is held already. In one trip with
 * what else the route reads first (issue 16): the reporter's mailbox proof, or the unit's hold
 * on the case (partUploadForUnit).
 */
export function partUploadReads(db: ParleyDb, fileId: string, part: number) {
  const reads = fileReads(db);
  return [readOne(reads.file, { fileId }), readOne(reads.part, { fileId, part })] as const;
}

/** The part upload's reads as putFilePart takes them. */
export type PartUpload = { file: FileRow | undefined; partHeld: boolean };
export const partUploadOf = ([file, held]: Results<ReturnType<typeof partUploadReads>>): PartUpload => ({ file, partHeld: held !== undefined });

/** A unit's part upload: its hold on the case (loadCaseForOrg's read) with the file, in one trip. */
export async function partUploadForUnit(db: ParleyDb, fileId: string, part: number, holder: { caseId: string; orgId: string }) {
  const [file, held, heldCase] = await readTogether(db, [...partUploadReads(db, fileId, part), readOne(heldCaseReads(db).held, holder)]);
  return { upload: partUploadOf([file, held]), heldCase };
}

/**
 * Records a stored part and marks the file complete once every part is held; refused with
 * `gone` if the file was removed meanwhile (expired, or its case deleted).
 */
export async function recordPart(db: ParleyDb, file: FileRow, part: number, gone: Error): Promise<void> {
  const count = sql`(SELECT COUNT(*) FROM ${fileParts} WHERE ${fileParts.fileId} = ${file.id})`;
  await runAtomically(db, [
    requireThat(sql`EXISTS (SELECT 1 FROM ${files} WHERE ${files.id} = ${file.id})`, gone),
    db.insert(fileParts).values({ fileId: file.id, part }).onConflictDoNothing(),
    db.update(files).set({ complete: sql`${count} = ${files.parts}` }).where(eq(files.id, file.id)),
  ]);
}


async function removeFiles(store: FileStore, ids: readonly string[]): Promise<void> {
  for (const id of ids) await store.deleteFile(id);
}

/** Unfinished uploads declared before `beforeDay` (YYYY-MM-DD), removed with their stored parts. */
export async function expireIncompleteFiles(db: ParleyDb, store: FileStore, beforeDay: string): Promise<number> {
  const stale = and(eq(files.complete, false), lt(files.createdDay, beforeDay));
  const ids = (await db.select({ id: files.id }).from(files).where(stale).all()).map((row) => row.id);
  const removed: string[] = [];
  for (const id of ids) {
    // Each file in a write of its own that asks again: one completed since the look is kept.
    const completed = new Error('completed meanwhile');
    try {
      await runAtomically(db, [
        requireThat(sql`EXISTS (SELECT 1 FROM ${files} WHERE ${files.id} = ${id} AND ${stale})`, completed),
        db.delete(fileParts).where(eq(fileParts.fileId, id)),
        db.delete(files).where(eq(files.id, id)),
      ]);
      removed.push(id);
    } catch (error) {
      if (error !== completed) throw error;
    }
  }
  await removeFiles(store, removed);
  return removed.length;
}

/**
 * Deleting a case, step one: nobody can reach it any more. Its mailbox, sealed keys, offers,
 * internal notes and read markers go in one write (with the audit entry, for retention); the
 * case row, its messages and its files stay as the mark that the rest must follow. A case
 * without a mailbox is one being deleted: every case is made with one (db/repo/cases.ts).
 */
export function cutOffCaseSteps(db: ParleyDb, caseId: string): WriteStep[] {
  return [
    db.delete(caseReads).where(eq(caseReads.caseId, caseId)),
    db.delete(caseNotes).where(eq(caseNotes.caseId, caseId)),
    db.delete(caseTransfers).where(eq(caseTransfers.caseId, caseId)),
    db.delete(caseKeys).where(eq(caseKeys.caseId, caseId)),
    db.delete(mailboxes).where(eq(mailboxes.caseId, caseId)),
    // Marked, so the next run finds a deletion a crash interrupted without looking at every case.
    db.update(cases).set({ cutOff: true }).where(eq(cases.id, caseId)),
  ];
}

/**
 * Step two, for a case cut off by step one: its files' stored parts, then its rows (files,
 * messages, the case), then the parts again. Stored parts go before the rows that name them,
 * so a crash at any point leaves the case row behind and the next run finishes the work
 * (casesBeingDeleted): no part is left without a row that leads to it. The second pass takes
 * a part whose upload began before the cut and landed during the first; one landing after the
 * rows are gone finds its file gone and removes itself (worker/file-transfer.ts).
 */
export async function finishCaseDeletion(db: ParleyDb, store: FileStore, caseId: string): Promise<void> {
  const ids = (await db.select({ id: files.id }).from(files).where(eq(files.caseId, caseId)).all()).map((row) => row.id);
  await removeFiles(store, ids);
  const ofCase = sql`(SELECT ${files.id} FROM ${files} WHERE ${files.caseId} = ${caseId})`;
  await runAtomically(db, [
    // Only a case already cut off: this never takes a live case's rows.
    requireThat(sql`NOT EXISTS (SELECT 1 FROM ${mailboxes} WHERE ${mailboxes.caseId} = ${caseId})`, new Error(`case ${caseId} still has its mailbox`)),
    db.delete(fileParts).where(sql`${fileParts.fileId} IN ${ofCase}`),
    db.delete(files).where(eq(files.caseId, caseId)),
    db.delete(messages).where(eq(messages.caseId, caseId)),
    db.delete(cases).where(eq(cases.id, caseId)),
  ]);
  await removeFiles(store, ids);
}

/**
 * A case and all it holds: messages, sealed keys, offers, notes, read markers, its mailbox,
 * its files and every stored part, then the case row (retention, worker/retention.ts, runs the
 * two steps itself, the first with its audit entry). The audit log keeps its entries: they
 * name the case id and never its content.
 */
export async function deleteCase(db: ParleyDb, store: FileStore, caseId: string): Promise<void> {
  await runAtomically(db, cutOffCaseSteps(db, caseId));
  await finishCaseDeletion(db, store, caseId);
}
