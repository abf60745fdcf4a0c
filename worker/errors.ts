// The one error type and the one error shape: { error: { code, message } }.
// Codes are a closed set; clients branch on the code, people read the message.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { storageFault } from './storage-faults.js';

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_parameter: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  work_required: 400,
  unauthorised: 401,
  mailbox_proof_failed: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  /** The organisation's current key is not the one the request sealed to: fetch the keys and seal again. */
  org_key_changed: 409,
  /** A one-time link (setup, invitation) that is unknown, used, expired or revoked: all alike. */
  token_invalid: 404,
  username_taken: 409,
  /** A client-chosen id (case, message, member, organisation) that exists already. */
  duplicate_id: 409,
  cannot_remove_self: 409,
  /** A key rotation waits for a member to confirm the new keys; start no other until it ends. */
  rotation_pending: 409,
  /** The members changed while a rotation's keyrings were being sealed. */
  members_changed: 409,
  /** A message must follow the thread's last one; another arrived first: open the thread again and re-sign. */
  thread_moved: 409,
  /** The case is with that organisation already, or offered to it. */
  already_shared: 409,
  /** A file larger than the operator allows, or one that would take its case past its limit (PARLEY_MAX_FILE_BYTES, PARLEY_MAX_CASE_FILE_BYTES). */
  file_too_large: 413,
  /** A file's content is asked for before every part has arrived: finish the upload (its status says which parts are missing). */
  file_incomplete: 409,
  rate_limited: 429,
  /** The device's clock and the server's differ too much for a TOTP code to match. */
  clock_skew: 400,
  /** The password is right and the code was right, but it has been accepted once already (e.g. it just confirmed the account). */
  code_used: 401,
  internal: 500,
  /** The disk is full: nothing was kept (worker/storage-faults.ts). */
  storage_full: 503,
  /** The database is held by another process (a backup, a migration): try again shortly. */
  storage_busy: 503,
  /** The database cannot be written (read-only file, I/O error). */
  storage_unwritable: 503,
  /** A binding, setting or the server secret is missing or wrong: the operator must act (the message says what). */
  server_misconfigured: 503,
  /** The database holds data this protocol version does not serve (protocol 1): the operator must act. */
  unsupported_data: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const threadMoved = () => new ApiError('thread_moved', 'Another message arrived first. Open the case again and send yours after it.');

export class ApiError extends Error {
  readonly code: ErrorCode;
  /** For rate_limited and storage faults: when to try again (sent as Retry-After). */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, retryAfterSeconds?: number) {
    // A refusal is answered, never logged with a stack. Capturing one costs 3–5 µs, paid twice by
    // every report (refusals made ready before they are known to be needed) and once by every junk request.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'ApiError';
    this.code = code;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

export function errorResponse(c: Context, error: ApiError): Response {
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  return c.json({ error: { code: error.code, message: error.message } }, error.status);
}

/** app.onError: ApiErrors become their response; anything else is a bug, answered without detail. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof ApiError) return errorResponse(c, error);
  const fault = storageFault(error);
  if (fault) {
    // The condition and the route, for the operator; never anything about the caller.
    console.error(`storage: ${fault.code} on ${c.req.method} ${c.req.routePath}`);
    return errorResponse(c, fault);
  }
  // Log the error kind and route only: never headers, bodies or anything about the caller.
  // First line only: database errors carry the query's bound values (ciphertext, hashes) after it.
  console.error(`internal error on ${c.req.method} ${c.req.routePath}: ${error.name}: ${error.message.split(/\n|params:/)[0]!.slice(0, 200)}`);
  return errorResponse(c, new ApiError('internal', 'Something went wrong on our side. Nothing you sent was kept.'));
}
