// Scheduled work, run by the Workers cron (wrangler.toml [triggers]) and hourly by the Node
// server: deletes challenges and sessions that can no longer be used, failure counters older
// than a day, and file uploads left unfinished since before yesterday with their stored parts,
// so the tables and the file store hold only live entries; and deletes the cases whose
// retention has ended (worker/retention.ts).
import { deleteExpiredChallenges } from '../db/repo/challenges.js';
import { deleteExpiredSessions } from '../db/repo/sessions.js';
import { deleteStaleThrottles } from '../db/repo/throttle.js';
import { expireIncompleteFiles } from '../db/repo/files.js';
import { dayOf, type AppDeps } from './deps.js';
import { sendStaffNotices, type NoticeSender } from './notices.js';
import { deleteDueCases } from './retention.js';

/** A failure counter idle this long is forgotten: by then every delay it imposed has ended. */
const STALE_THROTTLE_MS = 24 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

export async function runScheduledWork(deps: Pick<AppDeps, 'db' | 'config' | 'files'> & { notices?: NoticeSender | undefined }, now: number): Promise<void> {
  await deleteExpiredChallenges(deps.db, now);
  await deleteExpiredSessions(deps.db, now, deps.config.sessionIdleMs);
  await deleteStaleThrottles(deps.db, now - STALE_THROTTLE_MS);
  // Declared before yesterday (UTC): a whole day at least to finish, whatever the hour it began.
  await expireIncompleteFiles(deps.db, deps.files, dayOf(now - DAY_MS));
  await sendStaffNotices(deps, now);
  await deleteDueCases(deps, now);
}
