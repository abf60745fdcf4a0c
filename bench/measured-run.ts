// One load run with the server's own cost alongside: CPU time per request (from
// process.cpuUsage deltas) and the peak RSS sampled during the run.
import type { BenchServer } from './bench-server-process.js';
import type { LoadGenerator, LoadJob, LoadResult, LoadVariant } from './load-client.js';

export interface MeasuredRun extends LoadResult {
  cpuMsPerRequest: number;
  peakRssBytes: number;
  maxRssBytes: number;
}

export async function measuredRun(server: BenchServer, load: LoadGenerator, job: LoadJob, variants?: LoadVariant[]): Promise<MeasuredRun> {
  const before = await server.stats(true);
  const result = await load.run(job, variants);
  const after = await server.stats();
  const cpuMicros = after.cpuUserMicros - before.cpuUserMicros + (after.cpuSystemMicros - before.cpuSystemMicros);
  const requests = result.ok + result.non2xx;
  return { ...result, cpuMsPerRequest: requests > 0 ? cpuMicros / 1000 / requests : Number.NaN, peakRssBytes: after.windowPeakRssBytes, maxRssBytes: after.maxRssBytes };
}

/** A run that should have only 2xx answers; anything else is worth saying in the results. */
export function problems(run: LoadResult): string | null {
  const bad = Object.entries(run.statusCounts).filter(([code]) => !code.startsWith('2'));
  const parts = [
    ...bad.map(([code, count]) => `${count}× HTTP ${code}`),
    ...(run.errors ? [`${run.errors} connection errors`] : []),
    ...(run.timeouts ? [`${run.timeouts} timeouts`] : []),
    ...(run.variantsShort ? [`${run.variantsShort} requests without a fresh body`] : []),
  ];
  return parts.length ? parts.join(', ') : null;
}
