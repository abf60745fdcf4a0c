// Reading input: JSON bodies and path parameters, validated by a zod schema, or an ApiError.
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors.js';
import { requestBody } from './request-body.js';

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `${where}: ${issue.message}`;
}

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiError('unsupported_media_type', 'Send the body as application/json.');
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(await requestBody(c)));
  } catch {
    throw new ApiError('invalid_json', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('invalid_body', parsed.error.issues.slice(0, 3).map(describeIssue).join('; '));
  return parsed.data;
}

export function readParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.param());
  if (!parsed.success) throw new ApiError('invalid_parameter', parsed.error.issues.slice(0, 3).map(describeIssue).join('; '));
  return parsed.data;
}

/** Unique-key violations from better-sqlite3 or D1 (possibly wrapped by drizzle) become 409s. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)/.test(`${e.message} ${(e as { code?: string }).code ?? ''}`)) return true;
  }
  return false;
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new ApiError('invalid_parameter', parsed.error.issues.slice(0, 3).map(describeIssue).join('; '));
  return parsed.data;
}
