// Entry of the file-transfer benchmark page (bundled by bench/files.ts, served by the bench
// server from the API's own origin): the reporter's real client code in Chromium — a report
// declaring one file, uploadFile reading the content from a Blob part by part, then downloadFile
// into a Blob built from the pieces — while the driver samples the page's heap over CDP.
import { ApiClient } from '../web/client/api.js';
import { downloadFile, mailboxFileAccess, uploadFile } from '../web/client/files.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, submitReport } from '../web/client/reporter.js';
import { attachmentFor, encryptFilePart, FILE_CHUNK_BYTES, FILE_PART_BYTES, FILE_PART_CHUNKS, fileCipherLength, filePartCount, newFileSecret, type FileSecret } from '../web/protocol/file-crypto.js';
import { bytesToB64, generatePassphrase, sodiumReady, type MailboxKeys } from '../web/protocol/index.js';

/** Folding the download's pieces into the Blob every few MiB keeps no more than that in page memory. */
const FOLD_BYTES = 4 * 1024 ** 2;
const api = new ApiClient(location.origin);
let prepared: { keys: MailboxKeys; file: FileSecret; content: Blob } | undefined;
let downloaded: Blob | undefined;

/** Random content as a Blob, made 1 MiB at a time (the page never holds it whole). */
function randomBlob(size: number): Blob {
  let blob = new Blob([]);
  for (let at = 0; at < size; at += 1024 ** 2) {
    const piece = new Uint8Array(Math.min(1024 ** 2, size - at));
    for (let i = 0; i < piece.length; i += 65536) crypto.getRandomValues(piece.subarray(i, i + 65536));
    blob = new Blob([blob, piece]);
  }
  return blob;
}

async function prepare(size: number): Promise<void> {
  await sodiumReady();
  const config = await fetchInstanceConfig(api);
  const keys = deriveKeysForInstance(generatePassphrase(), config, config.mailboxKdf);
  const file = newFileSecret(size);
  const submission = buildReportSubmission(keys, config.organisations[0]!, { kind: 'report', category: 'other', whatHappened: 'Benchmark evidence.', attachments: [attachmentFor(file, 'evidence-1.bin', 'application/octet-stream')] });
  submission.report.files = [{ id: bytesToB64(file.id), bytes: fileCipherLength(size) }];
  await submitReport(api, submission);
  prepared = { keys, file, content: randomBlob(size) };
  downloaded = undefined;
}

/** Reads a stretch of the content Blob, adding the time it took to `spent.ms`. */
function blobReader(content: Blob, spent: { ms: number }) {
  return async (from: number, to: number) => {
    const start = performance.now();
    const bytes = new Uint8Array(await content.slice(from, to).arrayBuffer());
    spent.ms += performance.now() - start;
    return bytes;
  };
}

/** The whole upload's time, and how much of it went on reading the Blob. */
async function upload(): Promise<{ ms: number; readMs: number }> {
  const { keys, file, content } = prepared!;
  const reading = { ms: 0 };
  const start = performance.now();
  await uploadFile(api, mailboxFileAccess(keys), file, blobReader(content, reading));
  return { ms: performance.now() - start, readMs: reading.ms };
}

/** The same number of parts, of the same lengths, PUT from this page to the bench server's bare route: the reference for the upload. */
async function bareUpload(): Promise<number> {
  const { file, content } = prepared!;
  const cipherBytes = fileCipherLength(file.size);
  const id = crypto.randomUUID();
  const start = performance.now();
  for (let part = 0; part < filePartCount(cipherBytes); part++) {
    const from = part * FILE_PART_BYTES;
    const body = await content.slice(from % content.size, from % content.size + Math.min(FILE_PART_BYTES, cipherBytes - from)).arrayBuffer();
    await fetch(`/bench/parts/${id}/${part}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body });
  }
  const ms = performance.now() - start;
  await fetch(`/bench/parts/${id}`, { method: 'DELETE' });
  return ms;
}

/** Encryption alone in this page: the first `parts` parts of the file (read, then encrypted), MiB/s of content. */
async function encryptionRate(parts: number): Promise<number> {
  const { file, content } = prepared!;
  const reading = { ms: 0 };
  const start = performance.now();
  for (let part = 0; part < Math.min(parts, filePartCount(fileCipherLength(file.size))); part++) await encryptFilePart(file, part, blobReader(content, reading));
  return Math.min(content.size, parts * FILE_PART_CHUNKS * FILE_CHUNK_BYTES) / 1024 ** 2 / ((performance.now() - start - reading.ms) / 1000);
}

async function download(): Promise<number> {
  const { keys, file } = prepared!;
  const start = performance.now();
  let blob = new Blob([]);
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  await downloadFile(api, mailboxFileAccess(keys), file, (piece) => {
    pending.push(piece as Uint8Array<ArrayBuffer>);
    pendingBytes += piece.length;
    if (pendingBytes >= FOLD_BYTES) [blob, pending, pendingBytes] = [new Blob([blob, ...pending]), [], 0];
  });
  downloaded = new Blob([blob, ...pending]);
  return performance.now() - start;
}

/** The download equals the content: sizes, and 64 KiB at the start, the middle and the end. */
async function check(): Promise<boolean> {
  const { content } = prepared!;
  if (downloaded?.size !== content.size) return false;
  for (const at of [0, Math.floor(content.size / 2), Math.max(0, content.size - 65536)]) {
    const [a, b] = await Promise.all([content, downloaded].map(async (blob) => new Uint8Array(await blob.slice(at, at + 65536).arrayBuffer())));
    if (a!.length !== b!.length || a!.some((x, i) => x !== b![i])) return false;
  }
  return true;
}

(globalThis as unknown as { parleyFiles: unknown }).parleyFiles = { prepare, upload, bareUpload, download, check, encryptionRate };
