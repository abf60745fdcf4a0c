// Node configuration from the environment, validated at start with a clear message.
import { z } from 'zod';
import { parseEnvironment } from './config-vars.js';

export { PRODUCTION_CONFIG } from './config-vars.js';

const nodeEnv = z.object({
  PARLEY_HOST: z.string().default('127.0.0.1'),
  PARLEY_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  PARLEY_DB: z.string().default('./data/parley.sqlite'),
});

export type NodeEnv = z.infer<typeof nodeEnv>;

export function readNodeEnv(env: NodeJS.ProcessEnv): NodeEnv {
  return parseEnvironment(nodeEnv, env);
}
