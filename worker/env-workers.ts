// Workers bindings and vars, validated with zod: a missing binding or a bad var is named
// in the error instead of surfacing later as "cannot read properties of undefined".
import type { D1Database, Fetcher, R2Bucket, SendEmail } from '@cloudflare/workers-types/latest';
import { z } from 'zod';
import { parseServerSecret } from './server-secret.js';
import { appConfigFrom, configVars, EnvironmentError, parseEnvironment } from './config-vars.js';
import type { AppConfig } from './deps.js';

const hasMethods = (value: unknown, ...names: string[]) =>
  typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

export const workersEnv = configVars.extend({
  DB: z.custom<D1Database>((v) => hasMethods(v, 'prepare', 'batch'), 'binding missing or not a D1 database (wrangler.toml: [[d1_databases]] binding = "DB")'),
  FILES: z.custom<R2Bucket>((v) => hasMethods(v, 'put', 'get', 'delete', 'list'), 'binding missing or not an R2 bucket (wrangler.toml: [[r2_buckets]] binding = "FILES")'),
  ASSETS: z.custom<Fetcher>((v) => hasMethods(v, 'fetch'), 'binding missing or not an assets binding (wrangler.toml: [assets] binding = "ASSETS")'),
  // Staff notices (worker/notices.ts): inert until PARLEY_NOTICE_FROM is set.
  NOTICES: z.custom<SendEmail>((v) => v === undefined || hasMethods(v, 'send'), 'not a send_email binding (wrangler.toml: [[send_email]] name = "NOTICES")').optional(),
  // A secret, not a var: `wrangler secret put PARLEY_SERVER_SECRET` (docs/DEPLOY.md).
  PARLEY_SERVER_SECRET: z
    .string()
    .transform((text) => parseServerSecret(text))
    .refine((bytes) => bytes !== null, 'must be base64url of 32 random bytes (wrangler secret put PARLEY_SERVER_SECRET)'),
});

export interface WorkersEnv {
  db: D1Database;
  assets: Fetcher;
  /** Attached files' parts (worker/file-store.ts). */
  files: R2Bucket;
  config: AppConfig;
  /** Encrypts TOTP secrets at rest (AppDeps.serverSecret). */
  serverSecret: Uint8Array;
  /**
   * Staff notices through the NOTICES binding; absent: notices are off. The entry makes the
   * mailer (worker/mailer-workers.ts), so this module, which Node's tests read too, never loads
   * the Workers-only 'cloudflare:email'.
   */
  noticeBinding?: { binding: SendEmail; from: string; consoleUrl?: string };
}

export function readWorkersEnv(env: unknown): WorkersEnv {
  const vars = parseEnvironment(workersEnv, env);
  if (vars.PARLEY_NOTICE_FROM !== undefined && vars.NOTICES === undefined) {
    throw new EnvironmentError('Bad environment: PARLEY_NOTICE_FROM is set but the NOTICES send_email binding is missing (wrangler.toml: [[send_email]] name = "NOTICES")');
  }
  const notices = vars.NOTICES && vars.PARLEY_NOTICE_FROM
    ? { noticeBinding: { binding: vars.NOTICES, from: vars.PARLEY_NOTICE_FROM, ...(vars.PARLEY_CONSOLE_URL ? { consoleUrl: vars.PARLEY_CONSOLE_URL } : {}) } }
    : {};
  return { db: vars.DB, assets: vars.ASSETS, files: vars.FILES, config: appConfigFrom(vars), serverSecret: vars.PARLEY_SERVER_SECRET!, ...notices };
}
