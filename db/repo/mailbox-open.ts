// What a mailbox open reads, in two trips to the database (issue 16): the mailbox and its
// throttle counter by what the request carries, with the challenge's spend, then, once
// the proof holds, the case and everything its answer needs, by the case's id alone. The
// unit's case view reads the same thread in one trip with its hold on the case (heldCaseThread).
import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { preparedOnce } from '../prepared.js';
import { readAll, readOne, readTogether } from '../read-together.js';
import { cases, files, messages, organisations, orgKeyVersions } from '../schema.js';
import { caseReads, heldCaseReads } from './cases.js';
import { auditReads } from './audit.js';
import { throttleByKey } from './throttle.js';

const caseId = sql.placeholder('caseId');
// The case's organisation and every organisation that signed a message in its thread.
const orgsOfCase = or(
  inArray(organisations.id, sql`(SELECT ${cases.orgId} FROM ${cases} WHERE ${cases.id} = ${caseId})`),
  inArray(organisations.id, sql`(SELECT ${messages.orgId} FROM ${messages} WHERE ${messages.caseId} = ${caseId})`),
);

const threadReads = preparedOnce((db) => ({
  files: db.select().from(files).where(eq(files.caseId, caseId)).prepare(),
  organisations: db.select().from(organisations).where(orgsOfCase).orderBy(asc(organisations.id)).prepare(),
  keyVersions: db
    .select()
    .from(orgKeyVersions)
    .where(inArray(orgKeyVersions.orgId, db.select({ id: organisations.id }).from(organisations).where(orgsOfCase)))
    .orderBy(asc(orgKeyVersions.orgId), asc(orgKeyVersions.keyVersion))
    .prepare(),
}));

/** The mailbox a locator's hash names and the throttle counter kept for it (either may be absent). */
export function mailboxAndThrottle(db: ParleyDb, locatorHash: string, throttleKeyHash: string) {
  return [readOne(caseReads(db).mailbox, { locatorHash }), readOne(throttleByKey(db), { keyHash: throttleKeyHash })] as const;
}

/** What a case's answer shows beside the case: its thread, its files, and the organisations (with their key versions) it names. */
function threadOf(db: ParleyDb, values: { caseId: string }) {
  const reads = threadReads(db);
  return [readAll(caseReads(db).thread, values), readAll(reads.files, values), readAll(reads.organisations, values), readAll(reads.keyVersions, values)] as const;
}

/** A case with its thread, its files and the organisations (with their key versions) the answer names. */
export async function caseThread(db: ParleyDb, id: string) {
  const values = { caseId: id };
  const [caseRow, thread, fileRows, orgs, keyVersions] = await readTogether(db, [readOne(caseReads(db).case, values), ...threadOf(db, values)]);
  return { caseRow, thread, files: fileRows, organisations: orgs, keyVersions };
}

/**
 * A case as its unit opens it, in one trip: the case with the unit's key to it (none: not the
 * unit's, and nothing else read is shown), its thread, files and organisations, and the head of
 * the unit's audit chain (the view is audited; audited() starts from it).
 */
export async function heldCaseThread(db: ParleyDb, id: string, orgId: string) {
  const values = { caseId: id };
  const [held, thread, fileRows, orgs, keyVersions, head] = await readTogether(db, [
    readOne(heldCaseReads(db).held, { caseId: id, orgId }), ...threadOf(db, values), readOne(auditReads(db).head, { orgId }),
  ]);
  return { held, thread, files: fileRows, organisations: orgs, keyVersions, auditHead: { orgId, last: head } };
}
