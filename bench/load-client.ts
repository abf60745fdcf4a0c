// Driver side of load-worker.ts: start the load generator in its own process, send it jobs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkTs, nextMessage, stopChild } from './child.js';
import type { LoadJob, LoadResult, LoadVariant } from './load-worker.js';

export type { LoadJob, LoadResult, LoadVariant };

export interface LoadGenerator {
  run(job: LoadJob, variants?: LoadVariant[]): Promise<LoadResult>;
  stop(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child = forkTs(join(import.meta.dirname, 'load-worker.ts'));
  await nextMessage(child, 'ready', 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'parley-load-'));
  let jobs = 0;
  return {
    async run(job, variants) {
      let variantsFile: string | undefined;
      if (variants) {
        // A file, not IPC: tens of megabytes of pre-built bodies.
        variantsFile = join(dir, `variants-${jobs++}.json`);
        writeFileSync(variantsFile, JSON.stringify(variants));
      }
      const reply = nextMessage<{ type: 'result'; result: LoadResult }>(child, 'result', ((job.durationSeconds ?? 0) + 600) * 1000);
      child.send(variantsFile ? { ...job, variantsFile } : job);
      try {
        return (await reply).result;
      } finally {
        if (variantsFile) rmSync(variantsFile, { force: true });
      }
    },
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
