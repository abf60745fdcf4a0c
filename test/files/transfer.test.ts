// Files on the server, on Node (SQLite table) and on workerd (D1 + R2): declared with their
// message, uploaded in parts through the client's transfer module, resumed, downloaded, and
// every refusal. The server never decrypts, so the files here are random bytes of lengths real
// files have (fileCipherLength): exactly what a correct client sends.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FILE_PART_BYTES, FILE_PART_BYTES_BEFORE_0011, fileCipherLength, filePartCount, MAX_FILE_PART_BYTES } from '../../web/protocol/file-lengths.js';
import { bytesToB64 } from '../../web/protocol/index.js';
import { ApiRequestError } from '../../web/client/api.js';
import { caseFileAccess, downloadParts, fileStatusOf, mailboxFileAccess, uploadParts, type FileAccess } from '../../web/client/file-transfer.js';
import { openCase, replyToCase } from '../../web/client/investigator.js';
import { openMailbox } from '../../web/client/reporter.js';
import { sealThreadMessage } from '../../web/client/thread.js';
import { submitReport } from '../../web/client/reporter.js';
import { draftReport, type DraftReport } from '../support/reports.js';
import { declared, partOf, replyingWithFiles, testFile, type TestFile } from '../support/files.js';
import { scheduledTargets, useTarget, type ApiTarget } from '../support/targets.js';

/** Two parts: a little over one part of ciphertext. */
const TWO_PARTS = FILE_PART_BYTES + 5000;
const FAST_RETRY = { attempts: 3, firstDelayMs: 10, maxDelayMs: 50 };

async function reportWithFiles(t: ApiTarget, files: TestFile[], text = 'Evidence attached.'): Promise<DraftReport & { caseId: string }> {
  const draft = await draftReport(t.api, text);
  draft.submission.report.files = declared(...files);
  await submitReport(t.api, draft.submission);
  return { ...draft, caseId: draft.submission.caseId };
}

async function download(t: ApiTarget, access: FileAccess, fileId: string): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  await downloadParts(t.api, access, fileId, (piece) => pieces.push(piece), undefined, 0, FAST_RETRY);
  return new Uint8Array(Buffer.concat(pieces));
}

/** Byte equality without vitest's element-by-element diff, which takes seconds for a megabyte. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(actual).equals(Buffer.from(expected))).toBe(true);
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof ApiRequestError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { status: error.status, code: error.code, message: error.message };
}

const { targets: TARGETS, runScheduled } = scheduledTargets();

describe.each(TARGETS)('files on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  it('takes a report’s files part by part, says what is missing, and gives back the same bytes', async () => {
    const big = testFile(TWO_PARTS);
    const small = testFile(10);
    const report = await reportWithFiles(t, [big, small]);
    const access = mailboxFileAccess(report.keys);
    expect(filePartCount(big.bytes)).toBe(2);

    const before = await fileStatusOf(t.api, access, big.id);
    expect(before).toEqual({ id: big.id, bytes: big.bytes, partBytes: FILE_PART_BYTES, parts: 2, missing: [0, 1], complete: false });
    const thread = await openMailbox(t.api, report.keys);
    expect(thread.entries).toHaveLength(1);
    const progress: number[] = [];
    await uploadParts(t.api, access, big.id, async (part) => partOf(big, part), (done) => progress.push(done), FAST_RETRY);
    expect(progress).toEqual([0, FILE_PART_BYTES, big.bytes]);
    await uploadParts(t.api, access, small.id, async (part) => partOf(small, part), undefined, FAST_RETRY);
    expect((await fileStatusOf(t.api, access, big.id)).missing).toEqual([]);

    expectSameBytes(await download(t, access, big.id), big.cipher);
    expectSameBytes(await download(t, access, small.id), small.cipher);

    // The investigator sees the files on the report and downloads the same bytes.
    const session = await t.signIn('alice');
    const detail = await t.api.call('GET /api/investigator/cases/:caseId', { params: { caseId: report.caseId }, headers: { authorization: `Bearer ${session.token}` } });
    expect(new Set<unknown>(detail.messages[0]!.files.map((f) => JSON.stringify(f)))).toEqual(new Set([big, small].map((f) => JSON.stringify({ id: f.id, bytes: f.bytes, complete: true }))));
    expect(await download(t, caseFileAccess(session, report.caseId), big.id)).toEqual(big.cipher);
  });

  it('keeps the part it holds: the same part again is 204 and nothing is rewritten', async () => {
    const file = testFile(TWO_PARTS);
    const report = await reportWithFiles(t, [file]);
    const access = mailboxFileAccess(report.keys);
    await uploadParts(t.api, access, file.id, async (part) => partOf(file, part), undefined, FAST_RETRY);
    const other = new Uint8Array(randomBytes(FILE_PART_BYTES));
    await access.send(t.api, { method: 'PUT', path: `/api/mailbox/files/${file.id}/parts/0`, bodyBytes: other, contentType: 'application/octet-stream' }, 'json');
    expectSameBytes(await download(t, access, file.id), file.cipher);
  });

  it('resumes: an upload cut off after its first part sends only the missing part', async () => {
    const file = testFile(2 * FILE_PART_BYTES);
    const report = await reportWithFiles(t, [file]);
    const access = mailboxFileAccess(report.keys);
    const cut = new Error('connection lost');
    await expect(uploadParts(t.api, access, file.id, async (part) => {
      if (part === 1) throw cut;
      return partOf(file, part);
    }, undefined, FAST_RETRY)).rejects.toBe(cut);
    expect((await fileStatusOf(t.api, access, file.id)).missing).toEqual([1, 2]);
    const sent: number[] = [];
    await uploadParts(t.api, access, file.id, async (part) => (sent.push(part), partOf(file, part)), undefined, FAST_RETRY);
    expect(sent).toEqual([1, 2]);
    expectSameBytes(await download(t, access, file.id), file.cipher);
  });

  it('finishes a file declared before migration 0011 in the 16-chunk parts it was declared with', async () => {
    const file = testFile(1_100_000);
    const [before, now] = [filePartCount(file.bytes, FILE_PART_BYTES_BEFORE_0011), filePartCount(file.bytes)];
    expect([before, now]).toEqual([2, 3]);
    const report = await reportWithFiles(t, [file]);
    // The row as an earlier server declared it: migration 0011 gives it the 16-chunk part size (test/files/migration-0011.test.ts).
    t.sql('UPDATE files SET part_bytes = ?, parts = ? WHERE id = ?', FILE_PART_BYTES_BEFORE_0011, before, file.id);
    const access = mailboxFileAccess(report.keys);
    expect(await fileStatusOf(t.api, access, file.id)).toEqual({ id: file.id, bytes: file.bytes, partBytes: FILE_PART_BYTES_BEFORE_0011, parts: 2, missing: [0, 1], complete: false });
    const olderPart = (part: number) => file.cipher.slice(part * FILE_PART_BYTES_BEFORE_0011, Math.min(file.bytes, (part + 1) * FILE_PART_BYTES_BEFORE_0011));
    // Its parts are refused at today's size, and taken at its own.
    expect(await refusal(uploadParts(t.api, access, file.id, async (part) => partOf(file, part), undefined, FAST_RETRY))).toMatchObject({ status: 400, code: 'invalid_body' });
    await uploadParts(t.api, access, file.id, async (part) => olderPart(part), undefined, FAST_RETRY);
    expectSameBytes(await download(t, access, file.id), file.cipher);
  });

  it('refuses a part of the wrong length, out of range or of the wrong type, and content before it is complete', async () => {
    const file = testFile(TWO_PARTS);
    const report = await reportWithFiles(t, [file]);
    const access = mailboxFileAccess(report.keys);
    const put = (part: string, body: Uint8Array, contentType = 'application/octet-stream') =>
      refusal(access.send(t.api, { method: 'PUT', path: `/api/mailbox/files/${file.id}/parts/${part}`, bodyBytes: body, contentType }, 'json'));
    expect(await put('0', partOf(file, 0).slice(1))).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(await put('1', partOf(file, 0))).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(await put('2', partOf(file, 1))).toMatchObject({ status: 400, code: 'invalid_parameter' });
    expect(await put('01', partOf(file, 1))).toMatchObject({ status: 400, code: 'invalid_parameter' });
    expect(await put('-1', partOf(file, 1))).toMatchObject({ status: 400, code: 'invalid_parameter' });
    expect(await put('0', partOf(file, 0), 'application/json')).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    // Over the part routes' own limit (the largest part a stored file may have), before anything is read.
    expect(await put('0', new Uint8Array(MAX_FILE_PART_BYTES + 1))).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(await refusal(access.send(t.api, { method: 'GET', path: `/api/mailbox/files/${file.id}/content` }, 'stream'))).toMatchObject({ status: 409, code: 'file_incomplete' });
    await uploadParts(t.api, access, file.id, async (part) => (part === 0 ? partOf(file, 0) : Promise.reject(new Error('stop'))), undefined, FAST_RETRY).catch(() => undefined);
    expect(await refusal(access.send(t.api, { method: 'GET', path: `/api/mailbox/files/${file.id}/content` }, 'stream'))).toMatchObject({ status: 409, code: 'file_incomplete' });
    // Still only what was sent; the refused parts left nothing.
    expect((await fileStatusOf(t.api, access, file.id)).missing).toEqual([1]);
    // The other routes keep the small limit.
    const big = await t.request('/api/mailbox/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(200 * 1024) });
    expect(big.status).toBe(413);
  });

  it('answers a file of another case exactly as a file that does not exist, on both sides', async () => {
    const mine = testFile(10);
    const theirs = testFile(10);
    const a = await reportWithFiles(t, [mine]);
    const b = await reportWithFiles(t, [theirs]);
    const access = mailboxFileAccess(a.keys);
    const unknown = bytesToB64(randomBytes(16));
    const other = await refusal(fileStatusOf(t.api, access, theirs.id, FAST_RETRY));
    expect(other).toEqual(await refusal(fileStatusOf(t.api, access, unknown, FAST_RETRY)));
    expect(other).toMatchObject({ status: 404, code: 'not_found' });
    expect(await refusal(access.send(t.api, { method: 'PUT', path: `/api/mailbox/files/${theirs.id}/parts/0`, bodyBytes: theirs.cipher, contentType: 'application/octet-stream' }, 'json'))).toEqual(other);
    expect(await refusal(access.send(t.api, { method: 'GET', path: `/api/mailbox/files/${theirs.id}/content` }, 'stream'))).toEqual(other);
    // An investigator: a file of another of the organisation's cases, under this case's path.
    const session = await t.signIn('alice');
    const viaCase = await refusal(fileStatusOf(t.api, caseFileAccess(session, a.caseId), theirs.id, FAST_RETRY));
    expect(viaCase).toEqual(await refusal(fileStatusOf(t.api, caseFileAccess(session, a.caseId), unknown, FAST_RETRY)));
    expect(viaCase.status).toBe(404);
    // Another organisation's investigator: the case itself is not found.
    await t.addOrganisation('Other Unit', 'olga');
    const olga = await t.signIn('olga');
    expect(await refusal(fileStatusOf(t.api, caseFileAccess(olga, b.caseId), theirs.id, FAST_RETRY))).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('refuses callers without a proof or a session', async () => {
    const file = testFile(10);
    const report = await reportWithFiles(t, [file]);
    for (const [method, path, body] of [
      ['PUT', `/api/mailbox/files/${file.id}/parts/0`, file.cipher],
      ['GET', `/api/mailbox/files/${file.id}`, undefined],
      ['GET', `/api/mailbox/files/${file.id}/content`, undefined],
    ] as const) {
      const res = await t.request(path, { method, headers: { 'content-type': 'application/octet-stream' }, ...(body ? { body } : {}) });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('mailbox_proof_failed');
    }
    for (const [method, path] of [['PUT', `/parts/0`], ['GET', ''], ['GET', '/content']] as const) {
      const res = await t.request(`/api/investigator/cases/${report.caseId}/files/${file.id}${path}`, { method, headers: { 'content-type': 'application/octet-stream' }, ...(method === 'PUT' ? { body: file.cipher } : {}) });
      expect(res.status).toBe(401);
    }
  });

  it('refuses bad declarations: a length no file has, more than 20 files, a file or a case over the limit, a repeated id', async () => {
    const tryReport = async (files: { id: string; bytes: number }[]) => {
      const draft = await draftReport(t.api, 'Declared files.');
      draft.submission.report.files = files;
      return refusal(submitReport(t.api, draft.submission));
    };
    const id = () => bytesToB64(randomBytes(16));
    expect(await tryReport([{ id: id(), bytes: fileCipherLength(10) + 1 }])).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(await tryReport(Array.from({ length: 21 }, () => ({ id: id(), bytes: fileCipherLength(10) })))).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(await tryReport([{ id: id(), bytes: fileCipherLength(110 * 1024 ** 2) }])).toMatchObject({ status: 413, code: 'file_too_large' });
    expect(await tryReport(Array.from({ length: 11 }, () => ({ id: id(), bytes: fileCipherLength(100 * 1024 ** 2) })))).toMatchObject({ status: 413, code: 'file_too_large' });
    const same = id();
    expect(await tryReport([{ id: same, bytes: fileCipherLength(10) }, { id: same, bytes: fileCipherLength(10) }])).toMatchObject({ status: 400, code: 'invalid_body' });
    // Nothing of the refused reports was kept.
    expect(t.sql('SELECT COUNT(*) AS n FROM files')).toEqual([{ n: 0 }]);
    expect(t.sql('SELECT COUNT(*) AS n FROM cases')).toEqual([{ n: 0 }]);
    // An id a file has already: the second message is refused whole.
    const taken = testFile(10);
    await reportWithFiles(t, [taken]);
    expect(await tryReport([{ id: taken.id, bytes: taken.bytes }])).toMatchObject({ status: 409, code: 'duplicate_id' });
    expect(t.sql('SELECT COUNT(*) AS n FROM cases')).toEqual([{ n: 1 }]);
  });

  it('holds the case’s limit across messages: a reply that would pass it is refused whole', async () => {
    // Ten files of 100 MiB fit the case's 1 GiB; an eleventh does not.
    const ten = Array.from({ length: 10 }, () => ({ id: bytesToB64(randomBytes(16)), bytes: fileCipherLength(100 * 1024 ** 2) }));
    const draft = await draftReport(t.api, 'Ten large files.');
    draft.submission.report.files = ten;
    await submitReport(t.api, draft.submission);
    const access = mailboxFileAccess(draft.keys);
    const mailbox = await openMailbox(t.api, draft.keys);
    const send = (files: { id: string; bytes: number }[]) => {
      const message = sealThreadMessage(mailbox.caseId, mailbox.caseKey, 'reporter', { kind: 'message', text: 'More.' }, draft.keys.sign.privateKey, mailbox.lastLink);
      const body = new TextEncoder().encode(JSON.stringify({ ...message, files }));
      return access.send(t.api, { method: 'POST', path: '/api/mailbox/messages', bodyBytes: body }, 'json');
    };
    expect(await refusal(send([{ id: bytesToB64(randomBytes(16)), bytes: fileCipherLength(100 * 1024 ** 2) }]))).toMatchObject({ status: 413, code: 'file_too_large' });
    expect(t.sql('SELECT COUNT(*) AS n FROM messages')).toEqual([{ n: 1 }]);
    // Within the limit, a reply's files are declared with it.
    t.sql('DELETE FROM files WHERE id = ?', ten[0]!.id);
    const small = testFile(10);
    await send(declared(small));
    await uploadParts(t.api, access, small.id, async () => small.cipher, undefined, FAST_RETRY);
    const reopened = await openMailbox(t.api, draft.keys);
    expect(reopened.entries).toHaveLength(2);
  });

  it('an investigator’s reply carries files only the organisation uploads, and the reporter downloads them', async () => {
    const report = await reportWithFiles(t, []);
    const session = await t.signIn('alice');
    const file = testFile(TWO_PARTS);
    const opened = await openCase(t.api, session, report.caseId);
    await replyToCase(replyingWithFiles(t.baseUrl, t.fetch, [file]), session, opened, 'A form for you to fill in.');
    const reporter = mailboxFileAccess(report.keys);
    expect(await refusal(reporter.send(t.api, { method: 'PUT', path: `/api/mailbox/files/${file.id}/parts/0`, bodyBytes: partOf(file, 0), contentType: 'application/octet-stream' }, 'json'))).toMatchObject({ status: 403, code: 'forbidden' });
    const investigator = caseFileAccess(session, report.caseId);
    // Another organisation's investigator, though it is an organisation's file: the case itself is not found, and nothing is stored.
    await t.addOrganisation('Other Unit', 'olga');
    const olga = caseFileAccess(await t.signIn('olga'), report.caseId);
    expect(await refusal(olga.send(t.api, { method: 'PUT', path: `/api/investigator/cases/${report.caseId}/files/${file.id}/parts/0`, bodyBytes: partOf(file, 0), contentType: 'application/octet-stream' }, 'json')))
      .toEqual({ status: 404, code: 'not_found', message: 'No such case for your organisation.' });
    expect((await fileStatusOf(t.api, investigator, file.id)).missing).toEqual([0, 1]);
    await uploadParts(t.api, investigator, file.id, async (part) => partOf(file, part), undefined, FAST_RETRY);
    expectSameBytes(await download(t, reporter, file.id), file.cipher);
    expectSameBytes(await download(t, investigator, file.id), file.cipher);
    const thread = await t.api.call('GET /api/investigator/cases/:caseId', { params: { caseId: report.caseId }, headers: { authorization: `Bearer ${session.token}` } });
    expect(thread.messages.map((m) => m.files)).toEqual([[], [{ id: file.id, bytes: file.bytes, complete: true }]]);
    // The download is a view of the case in the audit log.
    const views = t.sql<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'case_view' AND detail LIKE '%file%'");
    expect(views.map((v) => JSON.parse(v.detail) as unknown)).toEqual([{ file: file.id }]);
  });

  it('stores no time finer than the day, no network identifier, and removes unfinished uploads after a day', async () => {
    const done = testFile(10);
    const unfinished = testFile(TWO_PARTS);
    const report = await reportWithFiles(t, [done, unfinished]);
    const access = mailboxFileAccess(report.keys);
    await uploadParts(t.api, access, done.id, async () => done.cipher, undefined, FAST_RETRY);
    await uploadParts(t.api, access, unfinished.id, async (part) => (part === 0 ? partOf(unfinished, 0) : Promise.reject(new Error('stop'))), undefined, FAST_RETRY).catch(() => undefined);
    const columns = ['files', 'file_parts', 'file_blobs'].flatMap((table) => t.sql<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`).map((c) => c.name));
    expect(columns.filter((name) => /(_at|time|ip|agent|address|name|type)$/.test(name))).toEqual([]);
    for (const row of t.sql<{ created_day: string }>('SELECT created_day FROM files')) expect(row.created_day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const sample = Buffer.from(partOf(unfinished, 0).slice(1000, 1064));
    expect(t.storedBytes().includes(sample)).toBe(true);

    // Still there today: an upload has until the end of the next day.
    await runScheduled(t);
    expect(t.sql('SELECT COUNT(*) AS n FROM files')).toEqual([{ n: 2 }]);
    // Declared two days ago: the unfinished one goes, parts included; the finished one stays.
    const twoDaysAgo = new Date(t.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    t.sql('UPDATE files SET created_day = ?', twoDaysAgo);
    await runScheduled(t);
    expect(t.sql<{ id: string }>('SELECT id FROM files').map((r) => r.id)).toEqual([done.id]);
    expect(t.sql('SELECT COUNT(*) AS n FROM file_parts WHERE file_id = ?', unfinished.id)).toEqual([{ n: 0 }]);
    expect(await refusal(fileStatusOf(t.api, access, unfinished.id, FAST_RETRY))).toMatchObject({ status: 404 });
    if (t.name === 'node') t.sql('PRAGMA wal_checkpoint(TRUNCATE)');
    expect(t.storedBytes().includes(sample)).toBe(false);
    expectSameBytes(await download(t, access, done.id), done.cipher);
    // The thread no longer lists the expired upload.
    const session = await t.signIn('alice');
    const detail = await t.api.call('GET /api/investigator/cases/:caseId', { params: { caseId: report.caseId }, headers: { authorization: `Bearer ${session.token}` } });
    expect(detail.messages[0]!.files.map((f) => f.id)).toEqual([done.id]);
  });
});
