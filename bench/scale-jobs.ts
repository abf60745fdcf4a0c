// Work that is not a request, run once inside the bench server (server.ts) as the Node server
// runs it, timed with the longest event-loop delay it caused: audit verification
// (`npm run audit:verify`'s verifyAuditChain), one retention run and one staff-notices run of
// the scheduled work. The driver asks for a run with runJob.
import { Hono } from 'hono';
import type { LocalApp } from '../scripts/lib/local-app.js';
import { verifyAuditChain } from '../worker/audit.js';
import { dayOf } from '../worker/deps.js';
import { sendStaffNotices } from '../worker/notices.js';
import { deleteDueCases } from '../worker/retention.js';

/** The bench server's event-loop monitor's timer (server.ts): a delay shows as this much plus the time the loop was blocked. */
export const LOOP_DELAY_RESOLUTION_MS = 10;

export type JobName = 'audit' | 'retention' | 'notices';

export interface JobResult {
  job: JobName;
  ms: number;
  /** The longest the event loop went without a turn during the run (ms, to 1 ms): the longest synchronous block. */
  eventLoopMaxDelayMs: number;
  /** Turns of the loop seen (a 1 ms timer's runs): few means the run held the loop nearly throughout. */
  eventLoopTurns: number;
  /** Audit entries verified, cases deleted, notices sent. */
  count: number;
}

/**
 * Watches the event loop with a 1 ms timer until stopped; the stop returns the longest gap
 * between its runs (counting to the stop itself, so a block at the very end counts) and how
 * many runs it saw. Exact for one job, where the interval histogram's reset can lose the block
 * that spans it.
 */
function watchLoop(): () => { maxGapMs: number; turns: number } {
  let last = performance.now();
  let maxGapMs = 0;
  let turns = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    turns++;
  }, 1);
  return () => {
    clearInterval(timer);
    return { maxGapMs: Math.max(maxGapMs, performance.now() - last), turns };
  };
}

export function jobRoutes(local: LocalApp) {
  // Notices go nowhere: what is timed is deciding who is told (the queries), not SMTP.
  const notices = { mailer: { send: async () => {} } };
  const jobs: Record<JobName, (orgId: string) => Promise<number>> = {
    async audit(orgId) {
      const verdict = await verifyAuditChain(local.database.db, orgId);
      if (!verdict.ok) throw new Error(`audit chain broken at ${verdict.brokenAtSeq}: ${verdict.reason}`);
      return verdict.entries;
    },
    retention: () => deleteDueCases({ db: local.database.db, files: local.files }, Date.now()),
    // At noon UTC today, after the notice hour wherever the unit is.
    notices: () => sendStaffNotices({ db: local.database.db, notices }, Date.parse(`${dayOf(Date.now())}T12:00:00Z`)),
  };
  return new Hono().post('/bench/job/:job', async (c) => {
    const job = c.req.param('job') as JobName;
    if (!(job in jobs)) return c.json({ error: { code: 'not_found', message: `no job ${job}` } }, 404);
    const stop = watchLoop();
    const started = performance.now();
    const count = await jobs[job](c.req.query('org') ?? '');
    const ms = performance.now() - started;
    const loop = stop();
    const result: JobResult = { job, ms, eventLoopMaxDelayMs: loop.maxGapMs, eventLoopTurns: loop.turns, count };
    return c.json(result);
  });
}

/** One run of a job in the bench server at `serverUrl`. */
export async function runJob(serverUrl: string, job: JobName, orgId = ''): Promise<JobResult> {
  const response = await fetch(`${serverUrl}/bench/job/${job}?org=${encodeURIComponent(orgId)}`, { method: 'POST', headers: { connection: 'close' } });
  if (!response.ok) throw new Error(`job ${job}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as JobResult;
}
