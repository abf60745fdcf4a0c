// The part of a thread response both sides share: the messages as sent on the wire, and
// every organisation that signed one with all its signing keys by version, so a message
// signed before a key rotation still verifies against the key it was signed with (from the
// organisation's key chain; pending versions sign nothing and are not in it), and each
// message's files with whether they have finished uploading.
import type { CaseKeyRow, MessageRow } from '../db/repo/cases.js';
import type { FileRow } from '../db/repo/files.js';
import { fileSummaries } from './file-transfer.js';

/** A sealed case key as sent: null `sealedBy`, sealed by the reporter's mailbox key; otherwise by that organisation's signing key of that version. */
export function wireCaseKey(k: CaseKeyRow) {
  return { keyVersion: k.keyVersion, sealedCaseKey: k.sealedCaseKey, sealSignature: k.sealSignature, sealedBy: k.sealedByOrg ? { orgId: k.sealedByOrg, keyVersion: k.sealedByVersion } : null };
}

export function wireMessage(m: MessageRow) {
  return { id: m.id, role: m.role, orgId: m.orgId, keyVersion: m.keyVersion, day: m.day, envelope: m.envelope, signature: m.signature };
}

/** The same from rows already read: the thread's files, and its organisations as clients receive them. */
export function threadResponseFrom<Org>(thread: readonly MessageRow[], fileRows: readonly FileRow[], organisations: Org[]) {
  const files = fileSummaries(fileRows);
  return { organisations, messages: thread.map((m) => ({ ...wireMessage(m), files: files.get(m.id) ?? [] })) };
}
