// The one error type and the one error shape: { error: { code, message } }.
// Codes are a closed set; clients branch on the code, people read the message.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

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
  conflict: 409,
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For rate_limited: when to try again (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
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
  // Log the error kind and route only: never headers, bodies or anything about the caller.
  // First line only: database errors carry the query's bound values (ciphertext, hashes) after it.
  console.error(`internal error on ${c.req.method} ${c.req.routePath}: ${error.name}: ${error.message.split(/\n|params:/)[0]!.slice(0, 200)}`);
  return errorResponse(c, new ApiError('internal', 'Something went wrong on our side. Nothing you sent was kept.'));
}
