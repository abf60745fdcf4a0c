// Node configuration from the environment, validated at start with a clear message.
import { z } from 'zod';
import { PRODUCTION_KDF } from '../web/protocol/labels.js';
import { DEFAULT_CONFIG, type AppConfig } from './deps.js';

const nodeEnv = z.object({
  PARLEY_HOST: z.string().default('127.0.0.1'),
  PARLEY_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  PARLEY_DB: z.string().default('./data/parley.sqlite'),
});

export type NodeEnv = z.infer<typeof nodeEnv>;

export function readNodeEnv(env: NodeJS.ProcessEnv): NodeEnv {
  const parsed = nodeEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Production cost everywhere; only tests build a config with cheaper KDF parameters. */
export const PRODUCTION_CONFIG: AppConfig = { ...DEFAULT_CONFIG, mailboxKdf: PRODUCTION_KDF, investigatorKdf: PRODUCTION_KDF };
