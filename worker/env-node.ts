// Node configuration from the environment, validated at start with a clear message.
import { z } from 'zod';
import type { AppConfig } from './deps.js';
import { appConfigFrom, configVars, EnvironmentError, parseEnvironment } from './config-vars.js';
import type { NoticeSender } from './notices.js';
import { smtpMailer } from './mailer-smtp.js';

export { PRODUCTION_CONFIG } from './config-vars.js';

// The same PARLEY_* tuning settings as Workers (config-vars.ts), plus where to listen and store.
export const nodeEnv = configVars.extend({
  PARLEY_HOST: z.string().default('127.0.0.1'),
  PARLEY_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  PARLEY_DB: z.string().default('./data/parley.sqlite'),
  // Unset: derived from the open-file limit (worker/node-connection-limits.ts).
  PARLEY_MAX_CONNECTIONS: z.coerce.number().int().min(1).optional(),
  // Staff notices go out over SMTP when this is set (with PARLEY_NOTICE_FROM), e.g. smtps://user:password@mail.example:465.
  PARLEY_SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://… or smtps://…').optional(),
});

export type NodeEnv = z.infer<typeof nodeEnv>;

export function readNodeEnv(env: NodeJS.ProcessEnv): NodeEnv {
  return parseEnvironment(nodeEnv, env);
}

/** The app's configuration from the same environment: unset settings take their production values. */
export function nodeAppConfig(env: NodeEnv): AppConfig {
  return appConfigFrom(env);
}

/** Where staff notices go over SMTP, or undefined when PARLEY_SMTP_URL is unset; one of the pair without the other is refused. */
export function nodeSmtpSettings(env: NodeEnv): { url: string; from: string } | undefined {
  if (env.PARLEY_SMTP_URL === undefined && env.PARLEY_NOTICE_FROM === undefined) return undefined;
  if (env.PARLEY_SMTP_URL === undefined || env.PARLEY_NOTICE_FROM === undefined) {
    throw new EnvironmentError(`Bad environment: staff notices need both PARLEY_SMTP_URL and PARLEY_NOTICE_FROM (only ${env.PARLEY_SMTP_URL ? 'PARLEY_SMTP_URL' : 'PARLEY_NOTICE_FROM'} is set)`);
  }
  return { url: env.PARLEY_SMTP_URL, from: env.PARLEY_NOTICE_FROM };
}

/** Staff notices over SMTP (worker/mailer-smtp.ts), or none: notices are off. */
export function nodeNoticeSender(env: NodeEnv): NoticeSender | undefined {
  const smtp = nodeSmtpSettings(env);
  if (!smtp) return undefined;
  return { mailer: smtpMailer(smtp.url, smtp.from), ...(env.PARLEY_CONSOLE_URL ? { consoleUrl: env.PARLEY_CONSOLE_URL } : {}) };
}
