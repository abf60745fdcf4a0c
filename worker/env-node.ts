// Node configuration from the environment, validated at start with a clear message.
import { z } from 'zod';
import { appConfigFrom, configVars, parseEnvironment } from './config-vars.js';
import type { AppConfig } from './deps.js';

export { PRODUCTION_CONFIG } from './config-vars.js';

// The same PARLEY_* tuning settings as Workers (config-vars.ts), plus where to listen and store.
export const nodeEnv = configVars.extend({
  PARLEY_HOST: z.string().default('127.0.0.1'),
  PARLEY_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  PARLEY_DB: z.string().default('./data/parley.sqlite'),
  // Unset: derived from the open-file limit (worker/node-connection-limits.ts).
  PARLEY_MAX_CONNECTIONS: z.coerce.number().int().min(1).optional(),
});

export type NodeEnv = z.infer<typeof nodeEnv>;

export function readNodeEnv(env: NodeJS.ProcessEnv): NodeEnv {
  return parseEnvironment(nodeEnv, env);
}

/** The app's configuration from the same environment: unset settings take their production values. */
export function nodeAppConfig(env: NodeEnv): AppConfig {
  return appConfigFrom(env);
}
