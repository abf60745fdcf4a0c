// Evidence end to end, with real encryption, on Node (SQLite) and on workerd (D1 + R2): a report
// carries an attachment descriptor in its sealed document and declares the file; the reporter's
// client encrypts and uploads it; the investigator opens the case, takes the file's key from the
// decrypted report and downloads the same bytes; the unit replies with a file of its own, which
// the reporter downloads. Nothing the service stores holds the content, the name or the type.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachmentFor, encryptFilePart, fileSecretOf, newFileSecret, type FileSecret } from '../../web/protocol/file-crypto.js';
import { FILE_CHUNK_BYTES, FILE_PART_CHUNKS } from '../../web/protocol/file-lengths.js';
import { sodiumReady, type ThreadDocument } from '../../web/protocol/index.js';
import { downloadFile, uploadFile, caseFileAccess, mailboxFileAccess, type FileAccess } from '../../web/client/files.js';
import type { ApiClient } from '../../web/client/api.js';
import { openCase, replyToCase } from '../../web/client/investigator.js';
import { openMailbox, submitReport } from '../../web/client/reporter.js';
import { markersFound } from '../support/bytes-search.js';
import { contentWithMarker, declaredSecrets } from '../support/files.js';
import { draftReport } from '../support/reports.js';
import { nodeTarget, useTarget, workerdTarget, type ApiTarget } from '../support/targets.js';

const FAST_RETRY = { attempts: 3, firstDelayMs: 10, maxDelayMs: 50 };
/** Content of two upload parts and a bit: the second part starts mid-file. */
const SIZE = FILE_PART_CHUNKS * FILE_CHUNK_BYTES + 70_000;

const readerOf = (content: Uint8Array) => async (start: number, end: number) => content.subarray(start, end);

async function downloaded(api: ApiClient, access: FileAccess, file: FileSecret): Promise<Buffer> {
  const pieces: Uint8Array[] = [];
  await downloadFile(api, access, file, (piece) => pieces.push(piece.slice()), undefined, FAST_RETRY);
  return Buffer.concat(pieces);
}

/** The one attachment of a decrypted thread document. */
function onlyAttachment(document: ThreadDocument) {
  const attachments = document.kind === 'status' ? undefined : document.attachments;
  expect(attachments).toHaveLength(1);
  return attachments![0]!;
}

beforeAll(sodiumReady);

describe.each([nodeTarget, workerdTarget])('a file end to end on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  it('goes from the reporter to the unit and back encrypted, and leaves no content, name or type on the server', async () => {
    const tag = randomBytes(6).toString('hex');
    const secrets = { marker: `REPORTER-EVIDENCE-${tag}`, name: `payroll-${tag}.pdf`, type: `application/x-parley-${tag}`, replyMarker: `UNIT-FORM-${tag}`, replyName: `form-${tag}.odt`, replyType: `application/x-unit-${tag}` };
    const content = contentWithMarker(SIZE, secrets.marker);
    const file = newFileSecret(SIZE);

    const draft = await draftReport(t.api, 'The payroll file is attached.', { attachments: [attachmentFor(file, secrets.name, secrets.type)] });
    draft.submission.report.files = declaredSecrets(file);
    await submitReport(t.api, draft.submission);
    const progress: number[] = [];
    await uploadFile(t.api, mailboxFileAccess(draft.keys), file, readerOf(content), (done) => progress.push(done), FAST_RETRY);
    expect(progress).toHaveLength(3);

    // The investigator finds the file's key in the decrypted report, not anywhere the server gave it.
    const session = await t.signIn('alice');
    const caseId = draft.submission.caseId;
    const opened = await openCase(t.api, session, caseId);
    const descriptor = onlyAttachment(opened.entries[0]!.document);
    expect(descriptor).toMatchObject({ name: secrets.name, type: secrets.type, size: SIZE });
    expect((await downloaded(t.api, caseFileAccess(session, caseId), fileSecretOf(descriptor))).equals(content)).toBe(true);

    // The unit answers with a file; the reporter's client opens it from the reply.
    const reply = newFileSecret(10_000);
    const replyContent = contentWithMarker(reply.size, secrets.replyMarker);
    await replyToCase(t.api, session, opened, 'Please fill this in.', undefined, [attachmentFor(reply, secrets.replyName, secrets.replyType)]);
    await uploadFile(t.api, caseFileAccess(session, caseId), reply, readerOf(replyContent), undefined, FAST_RETRY);
    const mailbox = await openMailbox(t.api, draft.keys);
    expect(mailbox.entries).toHaveLength(2);
    const received = fileSecretOf(onlyAttachment((mailbox.entries[1] as { document: ThreadDocument }).document));
    expect((await downloaded(t.api, mailboxFileAccess(draft.keys), received)).equals(Buffer.from(replyContent))).toBe(true);

    // What is stored: the ciphertext is there (so the search reaches it), the secrets are not.
    if (t.name === 'node') t.sql('PRAGMA wal_checkpoint(PASSIVE)');
    const stored = t.storedBytes();
    const lastPart = await encryptFilePart(file, 1, readerOf(content));
    expect(stored.includes(Buffer.from(lastPart.subarray(0, 64)))).toBe(true);
    expect(markersFound(stored, Object.values(secrets))).toEqual([]);
    if (t.name === 'node') {
      const blobs = Buffer.concat(t.sql<{ bytes: Buffer }>('SELECT bytes FROM file_blobs').map((row) => row.bytes));
      expect(blobs.length).toBeGreaterThan(SIZE);
      expect(markersFound(blobs, Object.values(secrets))).toEqual([]);
    }
  });
});
