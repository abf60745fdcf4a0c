// Scheduled work, run by the Workers cron (wrangler.toml [triggers]): deletes challenges
// and sessions that can no longer be used, so the tables hold only live entries.
import { deleteExpiredChallenges } from '../db/repo/challenges.js';
import { deleteExpiredSessions } from '../db/repo/sessions.js';
import type { AppDeps } from './deps.js';

export async function runScheduledWork(deps: Pick<AppDeps, 'db' | 'config'>, now: number): Promise<void> {
  await deleteExpiredChallenges(deps.db, now);
  await deleteExpiredSessions(deps.db, now, deps.config.sessionIdleMs);
}
