// Retention, run by the scheduled work (worker/scheduled.ts): each case whose deletion day
// (web/casework/retention.ts, in its organisation's time zone) has come is deleted with all it
// holds, leaving one audit entry per organisation that held it, with no content: the case id
// and which rule applied. Bounded work per run; a run that stops half-way (a crash, a limit)
// is finished by the next.
import { cutOffCaseSteps, finishCaseDeletion } from '../db/repo/files.js';
import { caseKeyHolders, casesBeingDeleted, retentionCandidates, stillAsJudged, type RetentionCandidate } from '../db/repo/retention.js';
import type { CaseRow } from '../db/repo/cases.js';
import { listOrganisations } from '../db/repo/organisations.js';
import { dayIn } from '../web/casework/calendar.js';
import { CLOSED_STATUSES, deletionDay, deletionReason, isDueForDeletion, type RetentionFacts, type RetentionSettings } from '../web/casework/retention.js';
import { audited } from './audit.js';
import { dayOf, type AppDeps } from './deps.js';

/** Cases deleted per run at most: a Workers cron invocation has a bounded number of subrequests. */
export const DELETIONS_PER_RUN = 25;

/** What the retention rules need of a case: its unit's last change is dated to the day, like the reporter's. */
export function retentionFacts(c: Pick<CaseRow, 'status' | 'closedDay' | 'lastReporterDay' | 'updatedAt'>): RetentionFacts {
  return { status: c.status, closedDay: c.closedDay, lastReporterDay: c.lastReporterDay, lastUnitDay: dayOf(c.updatedAt) };
}

/** The day a case is to be deleted under its leading organisation's settings. */
export function caseDeletionDay(c: Pick<CaseRow, 'status' | 'closedDay' | 'lastReporterDay' | 'updatedAt'>, settings: RetentionSettings): string {
  return deletionDay(retentionFacts(c), settings);
}

/**
 * For the reporter's mailbox: the day a closed case will be deleted, null while it is open (an
 * open case's day moves with every message, and telling the reporter would only alarm them).
 * `lead` is the leading organisation as the mailbox's own read loaded it: no read of its own.
 */
export function closedCaseDeletionDay(c: CaseRow, lead: RetentionSettings | undefined): string | null {
  if (!(CLOSED_STATUSES as readonly string[]).includes(c.status)) return null;
  return lead ? caseDeletionDay(c, lead) : null;
}

const changedMeanwhile = new Error('the case changed since it was judged');

/** Deletes one due case: cut off with its audit entries in one write (only if unchanged), then the rest. */
async function deleteDueCase(deps: Pick<AppDeps, 'db' | 'files'>, c: RetentionCandidate, now: number): Promise<boolean> {
  const reason = deletionReason(retentionFacts(c), c);
  const holders = new Set([c.orgId, ...(await caseKeyHolders(deps.db, c.id))]);
  const events = [...holders].map((orgId) => ({ orgId, actorId: null, action: 'case_delete' as const, subject: c.id, detail: { reason } }));
  try {
    await audited(deps.db, now, events, () => [stillAsJudged(c, changedMeanwhile), ...cutOffCaseSteps(deps.db, c.id)]);
  } catch (error) {
    if (error === changedMeanwhile) return false;
    throw error;
  }
  await finishCaseDeletion(deps.db, deps.files, c.id);
  return true;
}

/** Finishes deletions a crash interrupted, then deletes the cases now due, up to `limit` in all. Returns how many it deleted. */
export async function deleteDueCases(deps: Pick<AppDeps, 'db' | 'files'>, now: number, limit: number = DELETIONS_PER_RUN): Promise<number> {
  let done = 0;
  for (const caseId of await casesBeingDeleted(deps.db, limit)) {
    await finishCaseDeletion(deps.db, deps.files, caseId);
    done++;
  }
  // Each organisation by its own day: the SQL finds exactly the due cases; the shared rules check each again.
  for (const unit of await listOrganisations(deps.db)) {
    if (done >= limit) break;
    const today = dayIn(now, unit.timeZone);
    for (const c of await retentionCandidates(deps.db, unit, today, limit - done)) {
      if (isDueForDeletion(retentionFacts(c), c, today) && (await deleteDueCase(deps, c, now))) done++;
    }
  }
  return done;
}
