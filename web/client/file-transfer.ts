// Moving a file's ciphertext to and from the server, part by part, knowing nothing of its
// encryption (web/client/files.ts adds that): ask which parts are missing, send each, retry a
// part after a network failure or a 5xx with a growing wait, and so resume an upload that was
// cut off — on a bad mobile link or over Tor nobody starts again from zero. Each request is
// authorised on its own: a fresh mailbox proof (challenge, work, signature over the part's
// bytes) for the reporter, the session's bearer for an investigator.
import { mailboxProofHeaders, type MailboxKeys } from '../protocol/index.js';
import { ApiRequestError, routeRequest, type ApiClient, type ApiRequest } from './api.js';
import { withFreshWork } from './proof-of-work.js';
import { sessionHeaders, type InvestigatorSession } from './investigator.js';

/** Who transfers, and how each of their requests is authorised. */
export interface FileAccess {
  /** The file routes' side: the reporter's mailbox, or a case of the investigator's organisation. */
  readonly routes: { kind: 'mailbox' } | { kind: 'case'; caseId: string };
  /** Sends one request with its authorisation (a request is never sent twice with the same proof). */
  send<T>(api: ApiClient, request: ApiRequest, answer: 'json' | 'stream'): Promise<T>;
}

const sendAs = <T>(api: ApiClient, request: ApiRequest, answer: 'json' | 'stream'): Promise<T> =>
  (answer === 'stream' ? api.stream(request) : api.request(request)) as Promise<T>;

/** The reporter: each request with a fresh challenge, its work and the mailbox key's signature over it. */
export function mailboxFileAccess(keys: MailboxKeys): FileAccess {
  return {
    routes: { kind: 'mailbox' },
    send: (api, request, answer) =>
      withFreshWork(api, ({ challenge, headers }) =>
        sendAs(api, { ...request, headers: { ...headers, ...mailboxProofHeaders(keys, challenge, request.method, request.path, request.bodyBytes ?? new Uint8Array(0)) } }, answer),
      ),
  };
}

/** An investigator, on a case their organisation holds. */
export function caseFileAccess(session: InvestigatorSession, caseId: string): FileAccess {
  return { routes: { kind: 'case', caseId }, send: (api, request, answer) => sendAs(api, { ...request, headers: sessionHeaders(session) }, answer) };
}

export interface FileStatus {
  id: string;
  bytes: number;
  partBytes: number;
  parts: number;
  missing: number[];
  complete: boolean;
}

function statusRequest(access: FileAccess, fileId: string): ApiRequest {
  return access.routes.kind === 'mailbox'
    ? routeRequest('GET /api/mailbox/files/:fileId', { params: { fileId } })
    : routeRequest('GET /api/investigator/cases/:caseId/files/:fileId', { params: { caseId: access.routes.caseId, fileId } });
}

function partRequest(access: FileAccess, fileId: string, part: number, bytes: Uint8Array): ApiRequest {
  const unsigned = access.routes.kind === 'mailbox'
    ? routeRequest('PUT /api/mailbox/files/:fileId/parts/:part', { params: { fileId, part: String(part) } })
    : routeRequest('PUT /api/investigator/cases/:caseId/files/:fileId/parts/:part', { params: { caseId: access.routes.caseId, fileId, part: String(part) } });
  return { ...unsigned, bodyBytes: bytes, contentType: 'application/octet-stream' };
}

function contentRequest(access: FileAccess, fileId: string): ApiRequest {
  return access.routes.kind === 'mailbox'
    ? routeRequest('GET /api/mailbox/files/:fileId/content', { params: { fileId } })
    : routeRequest('GET /api/investigator/cases/:caseId/files/:fileId/content', { params: { caseId: access.routes.caseId, fileId } });
}

export interface RetryPolicy {
  /** Tries per request before giving up (the upload can be resumed later all the same). */
  attempts: number;
  /** The first wait; each further one doubles, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, firstDelayMs: 1000, maxDelayMs: 30_000 };

/** A failure worth trying again: the network (fetch threw a TypeError) or the server (5xx). A 4xx would only repeat. */
function transient(error: unknown): boolean {
  if (error instanceof ApiRequestError) return error.status >= 500;
  return error instanceof TypeError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withRetries<T>(policy: RetryPolicy, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!transient(error) || attempt >= policy.attempts) throw error;
      const retryAfter = error instanceof ApiRequestError && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
      await sleep(Math.max(retryAfter, Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1))));
    }
  }
}

/** Which parts the server holds: what a resumed upload, or a page showing progress, asks first. */
export function fileStatusOf(api: ApiClient, access: FileAccess, fileId: string, retry: RetryPolicy = DEFAULT_RETRY): Promise<FileStatus> {
  return withRetries(retry, () => access.send<FileStatus>(api, statusRequest(access, fileId), 'json'));
}

/** Progress: stored bytes the server holds of the file, out of its whole length. */
export type Progress = (done: number, total: number) => void;

/**
 * Sends the parts the server is missing, one at a time, each made by `partBytes(part)` only when
 * it is about to go (memory holds one part). Already-held parts are skipped, so calling this
 * again after any interruption finishes the upload.
 */
export async function uploadParts(api: ApiClient, access: FileAccess, fileId: string, partBytes: (part: number) => Promise<Uint8Array>, onProgress: Progress = () => {}, retry: RetryPolicy = DEFAULT_RETRY): Promise<void> {
  const status = await fileStatusOf(api, access, fileId, retry);
  const missing = new Set(status.missing);
  let done = status.bytes - status.missing.reduce((sum, part) => sum + partLength(status, part), 0);
  onProgress(done, status.bytes);
  for (let part = 0; part < status.parts; part++) {
    if (!missing.has(part)) continue;
    const bytes = await partBytes(part);
    await withRetries(retry, () => access.send<undefined>(api, partRequest(access, fileId, part, bytes), 'json'));
    done += bytes.length;
    onProgress(done, status.bytes);
  }
}

const partLength = (status: FileStatus, part: number) => Math.min(status.partBytes, status.bytes - part * status.partBytes);

/** The whole ciphertext, piece by piece as it arrives (the caller decrypts as it goes: memory flat). */
export async function downloadParts(api: ApiClient, access: FileAccess, fileId: string, sink: (piece: Uint8Array) => void, onProgress: Progress = () => {}, total = 0, retry: RetryPolicy = DEFAULT_RETRY): Promise<void> {
  const stream = await withRetries(retry, () => access.send<ReadableStream<Uint8Array>>(api, contentRequest(access, fileId), 'stream'));
  const reader = stream.getReader();
  let done = 0;
  for (;;) {
    const { value, done: finished } = await reader.read();
    if (finished) return;
    sink(value);
    done += value.length;
    onProgress(done, total);
  }
}
