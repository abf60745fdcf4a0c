// Instance settings from the environment: process.env on Node, vars on Workers. One parser
// for both runtimes; anything unset gets its production value.
import { z } from 'zod';
import { PRODUCTION_KDF } from '../web/protocol/labels.js';
import { DEFAULT_CONFIG, type AppConfig } from './deps.js';

/** A bad or missing setting or binding, named; entry points refuse to run with one. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** "notices@unit.example" or "Parley <notices@unit.example>": one line, so it cannot add a header. */
export const noticeFrom = z
  .string()
  .max(254)
  .regex(/^(?:[^\r\n<>@"]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'must be an e-mail address, or a name and <address>');

// The bounds are Argon2id's own (libsodium: at least 1 pass and 8 KiB). A cost below
// production is for tests only: clients refuse it unless their caller lowers the floor.
export const configVars = z.object({
  PARLEY_KDF_OPS_LIMIT: z.coerce.number().int().min(1).max(64).default(PRODUCTION_KDF.opsLimit),
  PARLEY_KDF_MEMORY_BYTES: z.coerce.number().int().min(8 * 1024).max(4 * 1024 ** 3).default(PRODUCTION_KDF.memLimitBytes),
  PARLEY_CHALLENGE_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(DEFAULT_CONFIG.challengeTtlMs / 1000),
  PARLEY_WORK_BITS: z.coerce.number().int().min(0).max(28).default(DEFAULT_CONFIG.workBits),
  PARLEY_INTAKE_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULT_CONFIG.intakePerMinute),
  PARLEY_MAILBOX_FREE_FAILURES: z.coerce.number().int().min(0).default(DEFAULT_CONFIG.mailboxThrottle.freeFailures),
  // Stored (ciphertext) bytes: a file of n bytes is stored as fileCipherLength(n), a little more.
  PARLEY_MAX_FILE_BYTES: z.coerce.number().int().min(0).max(2 ** 40).default(DEFAULT_CONFIG.maxFileBytes),
  PARLEY_MAX_CASE_FILE_BYTES: z.coerce.number().int().min(0).max(2 ** 50).default(DEFAULT_CONFIG.maxCaseFileBytes),
  // Staff notices (worker/notices.ts): the sender's address, and where the notice says to sign in.
  PARLEY_NOTICE_FROM: noticeFrom.optional(),
  PARLEY_CONSOLE_URL: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) address, e.g. https://report.example.org/console').optional(),
  // Off unless an operator turns it on: publishing figures is the unit's decision, not a default.
  PARLEY_PUBLIC_FIGURES: z.enum(['on', 'off']).default('off'),
});

export type ConfigVars = z.infer<typeof configVars>;

/** Parses an environment against a schema, or throws an EnvironmentError naming every bad entry. */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: unknown): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new EnvironmentError(`Bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export function appConfigFrom(vars: ConfigVars): AppConfig {
  const kdf = { opsLimit: vars.PARLEY_KDF_OPS_LIMIT, memLimitBytes: vars.PARLEY_KDF_MEMORY_BYTES };
  return {
    ...DEFAULT_CONFIG,
    challengeTtlMs: vars.PARLEY_CHALLENGE_TTL_SECONDS * 1000,
    mailboxKdf: kdf,
    investigatorKdf: kdf,
    workBits: vars.PARLEY_WORK_BITS,
    intakePerMinute: vars.PARLEY_INTAKE_PER_MINUTE,
    mailboxThrottle: { ...DEFAULT_CONFIG.mailboxThrottle, freeFailures: vars.PARLEY_MAILBOX_FREE_FAILURES },
    maxFileBytes: vars.PARLEY_MAX_FILE_BYTES,
    maxCaseFileBytes: vars.PARLEY_MAX_CASE_FILE_BYTES,
    publicFigures: vars.PARLEY_PUBLIC_FIGURES === 'on',
  };
}

/** Production cost everywhere; only tests build a config with cheaper KDF parameters. */
export const PRODUCTION_CONFIG: AppConfig = appConfigFrom(configVars.parse({}));
