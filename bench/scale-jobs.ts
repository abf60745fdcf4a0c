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
  /** This process's CPU time over the run (all threads). */
  cpuMs: number;
  /** The event loop during the run, watched with a 1 ms timer. */
  loop: LoopBlocks;
  /** Audit entries verified, cases deleted, notices sent. */
  count: number;
}

export interface LoopBlocks {
  /** The longest the event loop went without a turn (ms, wall time): what a request arriving then waited. */
  maxGapMs: number;
  /**
   * Of that kind of gap, the most CPU time this process spent in one (ms, at most the gap's wall
   * time): work that held the loop. Unlike the wall gap it does not grow when another process
   * has the core, so it tells blocking apart from a busy machine.
   */
  maxGapCpuMs: number;
  /** Turns seen; few against the time watched means the loop was held nearly throughout. */
  turns: number;
}

/**
 * Watches the event loop with a timer every `intervalMs` until stopped: the longest gaps
 * between its runs, in wall time and in this process's CPU time, counted to the moment they
 * are read so a block at the very end counts too.
 */
export function watchLoop(intervalMs: number): { read(): LoopBlocks; reset(): void; stop(): void } {
  let last = { wall: performance.now(), cpu: process.cpuUsage() };
  let blocks: LoopBlocks = { maxGapMs: 0, maxGapCpuMs: 0, turns: 0 };
  const gapSince = (from: typeof last) => {
    const wall = performance.now() - from.wall;
    const cpu = process.cpuUsage(from.cpu);
    return { wall, cpu: Math.min(wall, (cpu.user + cpu.system) / 1000) };
  };
  const timer = setInterval(() => {
    const gap = gapSince(last);
    blocks = { maxGapMs: Math.max(blocks.maxGapMs, gap.wall), maxGapCpuMs: Math.max(blocks.maxGapCpuMs, gap.cpu), turns: blocks.turns + 1 };
    last = { wall: performance.now(), cpu: process.cpuUsage() };
  }, intervalMs);
  timer.unref();
  return {
    read() {
      const gap = gapSince(last);
      return { maxGapMs: Math.max(blocks.maxGapMs, gap.wall), maxGapCpuMs: Math.max(blocks.maxGapCpuMs, gap.cpu), turns: blocks.turns };
    },
    reset: () => (blocks = { maxGapMs: 0, maxGapCpuMs: 0, turns: 0 }),
    stop: () => clearInterval(timer),
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
    const watch = watchLoop(1);
    const started = { wall: performance.now(), cpu: process.cpuUsage() };
    const count = await jobs[job](c.req.query('org') ?? '');
    const ms = performance.now() - started.wall;
    const cpu = process.cpuUsage(started.cpu);
    const loop = watch.read();
    watch.stop();
    const result: JobResult = { job, ms, cpuMs: (cpu.user + cpu.system) / 1000, loop, count };
    return c.json(result);
  });
}

/** One run of a job in the bench server at `serverUrl`. */
export async function runJob(serverUrl: string, job: JobName, orgId = ''): Promise<JobResult> {
  const response = await fetch(`${serverUrl}/bench/job/${job}?org=${encodeURIComponent(orgId)}`, { method: 'POST', headers: { connection: 'close' } });
  if (!response.ok) throw new Error(`job ${job}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as JobResult;
}
