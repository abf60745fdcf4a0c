// Where files live on Node, and what happens to them: a really encrypted upload whose server is
// killed half-way resumes from the missing parts only, decrypts right, and leaves no content, name
// or type in the database or the server's output; `npm run backup` copies the parts; deleting a case takes
// its files and parts with it; the same part twice at once is stored once; and a message's
// files cost proof of work by their size.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CHUNK_BYTES, FILE_PART_BYTES, FILE_PART_CHUNKS, fileCipherLength } from '../../web/protocol/file-lengths.js';
import { attachmentFor, encryptFilePart, newFileSecret } from '../../web/protocol/file-crypto.js';
import { bytesToB64, leadingZeroBits, PROOF_HEADERS, sodiumReady, WORK_HEADER } from '../../web/protocol/index.js';
import { workInput } from '../../web/protocol/work-puzzle.js';
import { ApiClient } from '../../web/client/api.js';
import { downloadParts, fileStatusOf, mailboxFileAccess, uploadParts } from '../../web/client/file-transfer.js';
import { downloadFile, uploadFile } from '../../web/client/files.js';
import { databaseFilesBytes, markersFound } from '../support/bytes-search.js';
import { submitReport, openMailbox } from '../../web/client/reporter.js';
import { openNodeDatabase } from '../../db/open-node.js';
import { deleteCase } from '../../db/repo/files.js';
import { databaseFileStore } from '../../worker/file-store.js';
import { fileExtraWorkBits, workBitsWithFiles } from '../../web/protocol/file-work.js';
import { backupDatabase } from '../../scripts/backup.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { loadNodeServerSecret } from '../../worker/server-secret-node.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { addOrganisation, makeTestApp, TEST_CONFIG, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { draftReport } from '../support/reports.js';
import { contentWithMarker, declared, declaredSecrets, partOf, testFile } from '../support/files.js';

const FAST_RETRY = { attempts: 3, firstDelayMs: 10, maxDelayMs: 50 };
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

async function download(api: ApiClient, keys: Parameters<typeof mailboxFileAccess>[0], fileId: string): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  await downloadParts(api, mailboxFileAccess(keys), fileId, (piece) => pieces.push(piece), undefined, 0, FAST_RETRY);
  return new Uint8Array(Buffer.concat(pieces));
}

beforeAll(sodiumReady);

let t: TestApp | undefined;
let dir: string | undefined;
const servers: ServerProcess[] = [];
afterEach(async () => {
  t?.close();
  t = undefined;
  for (const server of servers.splice(0)) await server.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('an upload whose server is killed half-way', () => {
  it('resumes with uploadFile after the restart from the parts the server is missing, decrypts to the same content, and leaves none of it on the server', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-files-'));
    const dbPath = join(dir, 'parley.sqlite');
    const database = openNodeDatabase(dbPath);
    await createOrganisation(database.db, { orgName: 'Unit', username: 'alice', password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret: loadNodeServerSecret(dbPath, undefined) });
    database.close();
    const env = { PARLEY_KDF_OPS_LIMIT: String(TEST_KDF.opsLimit), PARLEY_KDF_MEMORY_BYTES: String(TEST_KDF.memLimitBytes), PARLEY_WORK_BITS: '0' };
    const first = await startServerProcess(dbPath, env);
    servers.push(first);
    // Three parts of real ciphertext, with a marker in the content the server must never hold.
    const partContent = FILE_PART_CHUNKS * FILE_CHUNK_BYTES;
    const secrets = { marker: `BAD-LINK-EVIDENCE-${randomBytes(6).toString('hex')}`, name: `minutes-${randomBytes(4).toString('hex')}.docx`, type: 'application/x-parley-killed' };
    const content = contentWithMarker(2 * partContent + 1000, secrets.marker);
    const file = newFileSecret(content.length);
    const draft = await draftReport(new ApiClient(first.url), 'A file over a bad link.', { attachments: [attachmentFor(file, secrets.name, secrets.type)] });
    draft.submission.report.files = declaredSecrets(file);
    await submitReport(new ApiClient(first.url), draft.submission);

    // Part 0 lands; as part 1 is about to go, the server dies (SIGKILL: no clean shutdown).
    const sent: number[] = [];
    const read = async (start: number, end: number) => (sent.push(start / partContent), content.subarray(start, end));
    const upload = uploadFile(new ApiClient(first.url), mailboxFileAccess(draft.keys), file, async (start, end) => {
      if (start === partContent) await first.kill('SIGKILL');
      return read(start, end);
    }, undefined, FAST_RETRY);
    await expect(upload).rejects.toThrow(TypeError);
    expect(sent).toEqual([0, 1]);

    const second = await startServerProcess(dbPath, env);
    servers.push(second);
    const api = new ApiClient(second.url);
    const fileId = bytesToB64(file.id);
    expect((await fileStatusOf(api, mailboxFileAccess(draft.keys), fileId)).missing).toEqual([1, 2]);
    sent.length = 0;
    await uploadFile(api, mailboxFileAccess(draft.keys), file, read, undefined, FAST_RETRY);
    expect(sent).toEqual([1, 2]);
    const pieces: Uint8Array[] = [];
    await downloadFile(api, mailboxFileAccess(draft.keys), file, (piece) => pieces.push(piece.slice()), undefined, FAST_RETRY);
    expect(Buffer.concat(pieces).equals(content)).toBe(true);

    // The database file and its WAL, the stored parts, and both servers' output: ciphertext only.
    const stored = databaseFilesBytes(dbPath);
    expect(stored.includes(Buffer.from((await encryptFilePart(file, 2, read)).subarray(0, 64)))).toBe(true);
    expect(markersFound(stored, Object.values(secrets))).toEqual([]);
    const copy = new Database(dbPath, { readonly: true });
    try {
      const blobs = Buffer.concat((copy.prepare('SELECT bytes FROM file_blobs WHERE file_id = ?').all(fileId) as { bytes: Buffer }[]).map((row) => row.bytes));
      expect(blobs.length).toBe(fileCipherLength(file.size));
      expect(markersFound(blobs, Object.values(secrets))).toEqual([]);
    } finally {
      copy.close();
    }
    expect(markersFound(Buffer.from(first.output() + second.output()), Object.values(secrets))).toEqual([]);
  });
});

describe('files in the Node database', () => {
  /** A report declaring one file of `size` stored bytes, nothing of it uploaded yet. */
  async function reportWithFile(app: TestApp, size: number, text = 'With a file.') {
    const file = testFile(size);
    const draft = await draftReport(app.api, text);
    draft.submission.report.files = declared(file);
    await submitReport(app.api, draft.submission);
    return { file, draft };
  }

  async function reportWithUploadedFile(app: TestApp, size = FILE_PART_BYTES + 10) {
    const { file, draft } = await reportWithFile(app, size);
    await uploadParts(app.api, mailboxFileAccess(draft.keys), file.id, async (part) => partOf(file, part), undefined, FAST_RETRY);
    return { file, draft };
  }

  it('are in the backup `npm run backup` makes: every part, byte for byte', async () => {
    t = makeTestApp();
    await addOrganisation(t, 'Unit', 'alice');
    const { file } = await reportWithUploadedFile(t);
    dir = mkdtempSync(join(tmpdir(), 'parley-files-backup-'));
    const out = join(dir, 'backup.sqlite');
    backupDatabase(t.dbPath, out);
    const copy = new Database(out, { readonly: true });
    try {
      const parts = copy.prepare('SELECT part, bytes FROM file_blobs WHERE file_id = ? ORDER BY part').all(file.id) as { part: number; bytes: Buffer }[];
      expect(parts.map((p) => p.part)).toEqual([0, 1]);
      expect(sameBytes(Buffer.concat(parts.map((p) => p.bytes)), file.cipher)).toBe(true);
      expect(copy.prepare('SELECT complete FROM files WHERE id = ?').get(file.id)).toEqual({ complete: 1 });
    } finally {
      copy.close();
    }
  });

  it('go with their case: deleteCase removes messages, keys, mailbox, files and parts, and leaves other cases alone', async () => {
    t = makeTestApp();
    await addOrganisation(t, 'Unit', 'alice');
    const gone = await reportWithUploadedFile(t);
    const kept = await reportWithUploadedFile(t, 10);
    const caseId = gone.draft.submission.caseId;
    const count = (sql: string, ...params: unknown[]) => (t!.database.sqlite.prepare(sql).get(...params) as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM file_blobs WHERE file_id = ?', gone.file.id)).toBe(2);

    await deleteCase(t.database.db, t.files, caseId);
    for (const [table, column] of [['cases', 'id'], ['messages', 'case_id'], ['case_keys', 'case_id'], ['mailboxes', 'case_id'], ['files', 'case_id']] as const) {
      expect(count(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, caseId)).toBe(0);
    }
    expect(count('SELECT COUNT(*) AS n FROM file_parts WHERE file_id = ?', gone.file.id)).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM file_blobs WHERE file_id = ?', gone.file.id)).toBe(0);
    t.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseFilesBytes(t.dbPath).includes(Buffer.from(partOf(gone.file, 0).slice(500, 564)))).toBe(false);
    // The mailbox no longer opens; the other case is whole.
    await expect(openMailbox(t.api, gone.draft.keys)).rejects.toMatchObject({ code: 'mailbox_proof_failed' });
    expect(sameBytes(await download(t.api, kept.draft.keys, kept.file.id), kept.file.cipher)).toBe(true);
  });

  it('stores the same part sent twice at once once, and both senders are told it is held', async () => {
    t = makeTestApp();
    await addOrganisation(t, 'Unit', 'alice');
    const { file, draft } = await reportWithFile(t, 10, 'Twice at once.');
    const other = new Uint8Array(randomBytes(file.bytes));
    const access = mailboxFileAccess(draft.keys);
    const put = (bytes: Uint8Array) => access.send(t!.api, { method: 'PUT', path: `/api/mailbox/files/${file.id}/parts/0`, bodyBytes: bytes, contentType: 'application/octet-stream' }, 'json');
    await Promise.all([put(file.cipher), put(other)]);
    const rows = t.database.sqlite.prepare('SELECT bytes FROM file_blobs WHERE file_id = ?').all(file.id) as { bytes: Buffer }[];
    expect(rows).toHaveLength(1);
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM file_parts WHERE file_id = ?').get(file.id)).toEqual({ n: 1 });
    // What is served is what is stored, whichever came first.
    expect(sameBytes(await download(t.api, draft.keys, file.id), rows[0]!.bytes)).toBe(true);
  });

  it('removes a part that lands after its case was deleted', async () => {
    t = makeTestApp();
    await addOrganisation(t, 'Unit', 'alice');
    const { file, draft } = await reportWithFile(t, 10, 'Deleted under the upload.');
    // The case goes (rows and stored parts) between the route's look-up and its store write: the
    // part is stored after all, its record is refused, and the route takes it out again.
    const store = databaseFileStore(t.database.db);
    const original = t.files.putPart;
    t.files.putPart = async (...args) => {
      await deleteCase(t!.database.db, store, draft.submission.caseId);
      await original(...args);
    };
    const access = mailboxFileAccess(draft.keys);
    await expect(access.send(t.api, { method: 'PUT', path: `/api/mailbox/files/${file.id}/parts/0`, bodyBytes: file.cipher, contentType: 'application/octet-stream' }, 'json')).rejects.toMatchObject({ status: 404 });
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM file_blobs').get()).toEqual({ n: 0 });
  });
});

describe('proof of work for files', () => {
  it('grows with the files’ size: one more bit for every fourfold beyond 1 MiB, at most 28 in all', () => {
    expect(fileExtraWorkBits(1024 ** 2)).toBe(0);
    expect(fileExtraWorkBits(1024 ** 2 + 1)).toBe(1);
    expect(fileExtraWorkBits(4 * 1024 ** 2)).toBe(1);
    expect(fileExtraWorkBits(4 * 1024 ** 2 + 1)).toBe(2);
    expect(fileExtraWorkBits(1024 ** 3)).toBe(5);
    expect(workBitsWithFiles(16, 1024 ** 3)).toBe(21);
    expect(workBitsWithFiles(26, 1024 ** 3)).toBe(28);
    expect(workBitsWithFiles(0, 1024 ** 3)).toBe(0);
  });

  it('refuses a report whose work meets the challenge but not its files, against the same hash', async () => {
    t = makeTestApp({ ...TEST_CONFIG, workBits: 4 });
    await addOrganisation(t, 'Unit', 'alice');
    const files = [{ id: bytesToB64(randomBytes(16)), bytes: fileCipherLength(10 * 1024 ** 2) }];
    const needed = workBitsWithFiles(4, files[0]!.bytes);
    expect(needed).toBe(6);
    /** A challenge and a nonce whose hash has exactly `bits` leading zero bits. */
    const solvedTo = async (bits: number) => {
      const { challenge } = await t!.api.call('POST /api/mailbox/challenge');
      const bytes = Buffer.from(challenge, 'base64url');
      for (;;) {
        const nonce = randomBytes(8);
        const zeros = leadingZeroBits(createHash('sha256').update(workInput(bytes, nonce)).digest());
        if (zeros === bits) return { [PROOF_HEADERS.challenge]: challenge, [WORK_HEADER]: bytesToB64(nonce) };
      }
    };
    const send = async (bits: number) => {
      const draft = await draftReport(t!.api, 'Large evidence.');
      draft.submission.report.files = files.map((f) => ({ ...f, id: bytesToB64(randomBytes(16)) }));
      return t!.fetch(`${t!.api.baseUrl}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await solvedTo(bits)) }, body: JSON.stringify(draft.submission) });
    };
    const weak = await send(needed - 1);
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { error: { code: string } }).error.code).toBe('work_required');
    expect((await send(needed)).status).toBe(201);
  });
});
