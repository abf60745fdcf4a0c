// Files on the server (docs/PROTOCOL.md, "Files"): declaring a message's files, and the three
// transfer actions — store a part, say which parts are missing, stream the whole ciphertext —
// shared by the mailbox routes (the reporter) and the investigator's case routes. The caller's
// route has already established the case (mailbox proof, or a session holding the case key;
// a part's upload reads the file and whether the part is held in one trip with the proof, or
// with the unit's hold on the case); here a file of another case is
// the same 404 as a file that does not exist, so file ids found elsewhere reveal nothing.
import type { Context } from 'hono';
import { FILE_PART_BYTES, filePartCount, filePartLength } from '../web/protocol/file-lengths.js';
import { findFile, heldParts, recordPart, declareFilesSteps, type FileRow, type PartUpload } from '../db/repo/files.js';
import type { WriteStep } from '../db/atomic.js';
import { ApiError } from './errors.js';
import { requestBody } from './request-body.js';
import type { AppDeps } from './deps.js';
import type { FileDeclarations } from './wire.js';

export type Side = FileRow['role'];

const noSuchFile = () => new ApiError('not_found', 'No such file in this case.');
const caseTooFull = () => new ApiError('file_too_large', 'These files would take the case past the space it may use. Send fewer or smaller files.');

/** The stored bytes of the declared files (what their extra proof of work is reckoned on). */
export const declaredBytes = (declared: FileDeclarations | undefined) => (declared ?? []).reduce((sum, file) => sum + file.bytes, 0);

/**
 * The rows for a message's files, in the message's own write (with a guard that the case stays
 * within its limit). Each file within the operator's per-file limit, or 413.
 */
export function declareFiles(deps: AppDeps, declared: FileDeclarations | undefined, message: { caseId: string; messageId: string; role: Side; day: string }): WriteStep[] {
  if (!declared || declared.length === 0) return [];
  if (declared.some((file) => file.bytes > deps.config.maxFileBytes)) {
    throw new ApiError('file_too_large', `A file is larger than this service accepts (${deps.config.maxFileBytes} bytes once encrypted).`);
  }
  if (declaredBytes(declared) > deps.config.maxCaseFileBytes) throw caseTooFull();
  const rows: FileRow[] = declared.map((file) => ({
    id: file.id, caseId: message.caseId, messageId: message.messageId, role: message.role, bytes: file.bytes, partBytes: FILE_PART_BYTES, parts: filePartCount(file.bytes), complete: false, createdDay: message.day,
  }));
  return declareFilesSteps(deps.db, rows, deps.config.maxCaseFileBytes, caseTooFull());
}

function ofCase(file: FileRow | undefined, caseId: string): FileRow {
  if (!file || file.caseId !== caseId) throw noSuchFile();
  return file;
}

const fileOfCase = async (deps: AppDeps, caseId: string, fileId: string) => ofCase(await findFile(deps.db, fileId), caseId);

/**
 * One part, exactly its length; only the side whose message declared the file sends parts.
 * A part held already is not written again (204 all the same), so a resumed upload that sends
 * a part twice changes nothing. The bytes are stored before the part is recorded: a file whose
 * row went meanwhile (expired, case deleted) has this part removed again. `upload` is the file
 * and whether the part is held, read by the route in one trip with what it checks first (for the
 * reporter, before the body arrives): two uploads of the same part at once may both store it, the
 * later bytes kept. Only the side that holds the file's key can send them, and each chunk is
 * authenticated, so bytes other than the sender's own fail to decrypt on the device.
 */
export async function putFilePart(deps: AppDeps, c: Context, caseId: string, sender: Side, part: number, { file: found, partHeld }: PartUpload): Promise<Response> {
  if (!/^application\/octet-stream\s*(;|$)/i.test(c.req.header('content-type') ?? '')) throw new ApiError('unsupported_media_type', 'Send a file part as application/octet-stream.');
  const file = ofCase(found, caseId);
  if (file.role !== sender) throw new ApiError('forbidden', 'This file was attached by the other side; only its sender uploads it.');
  if (part >= file.parts) throw new ApiError('invalid_parameter', `part: this file has parts 0 to ${file.parts - 1}.`);
  // The one read of the body: the mailbox proof has hashed the same bytes (worker/request-body.ts).
  const bytes = await requestBody(c);
  const expected = filePartLength(file.bytes, part, file.partBytes);
  if (bytes.length !== expected) throw new ApiError('invalid_body', `body: part ${part} of this file is exactly ${expected} bytes.`);
  if (partHeld) return c.body(null, 204);
  await deps.files.putPart(file.id, part, bytes);
  const gone = noSuchFile();
  try {
    await recordPart(deps.db, file, part, gone);
  } catch (error) {
    if (error === gone) await deps.files.deleteFile(file.id);
    throw error;
  }
  return c.body(null, 204);
}

/** What a resuming upload asks first. */
export async function fileStatus(deps: AppDeps, c: Context, caseId: string, fileId: string): Promise<Response> {
  const file = await fileOfCase(deps, caseId, fileId);
  const held = new Set(await heldParts(deps.db, file.id));
  const missing = Array.from({ length: file.parts }, (_, part) => part).filter((part) => !held.has(part));
  return c.json({ id: file.id, bytes: file.bytes, partBytes: file.partBytes, parts: file.parts, missing, complete: file.complete });
}

/** The whole ciphertext, streamed part by part, once every part has arrived. */
export async function fileContent(deps: AppDeps, c: Context, caseId: string, fileId: string): Promise<Response> {
  const file = await fileOfCase(deps, caseId, fileId);
  if (!file.complete) throw new ApiError('file_incomplete', 'This file has not finished uploading yet.');
  return c.body(withLength(deps.files.readFile(file.id, file.parts), file.bytes), 200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes) });
}

type FixedLength = new (length: number) => { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };

/**
 * workerd sends a stream without its length unless the stream is a FixedLengthStream (which also
 * fails the response if the parts add up to anything else); Node's server sends the header given.
 */
function withLength(stream: ReadableStream<Uint8Array>, length: number): ReadableStream<Uint8Array> {
  const Fixed = (globalThis as { FixedLengthStream?: FixedLength }).FixedLengthStream;
  if (!Fixed) return stream;
  const fixed = new Fixed(length);
  // A failure (a part missing from the store) ends the response short: the client's decryption refuses it.
  stream.pipeTo(fixed.writable).catch(() => undefined);
  return fixed.readable;
}

/** For the thread responses: each message's files. */
export function fileSummaries(rows: readonly FileRow[]): Map<string, { id: string; bytes: number; complete: boolean }[]> {
  const byMessage = new Map<string, { id: string; bytes: number; complete: boolean }[]>();
  for (const row of rows) byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), { id: row.id, bytes: row.bytes, complete: row.complete }]);
  return byMessage;
}
