// The benchmark's helper processes, driver side: TypeScript children through tsx with an IPC
// channel and a stop that cannot hang; the load generator (load-worker.ts) started in one of
// them and sent jobs; and one load run measured together with the bench server's own cost.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchServer } from './instance.js';
import type { LoadJob, LoadResult, LoadVariant } from './load-worker.js';

export type { LoadJob, LoadResult, LoadVariant };

export function forkTs(file: string, args: string[] = []): ChildProcess {
  return fork(file, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The first IPC message of a type, or an error if the child reports one, exits or is silent too long. */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: T['type'], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const settle = (done: () => void) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      done();
    };
    const onMessage = (message: { type?: string; error?: string }) => {
      if (message.type === 'error') settle(() => reject(new Error(`child ${child.pid}: ${message.error}`)));
      else if (message.type === type) settle(() => resolve(message as T));
    };
    const onExit = (code: number | null) => settle(() => reject(new Error(`child ${child.pid} exited (${code}) before sending ${type}`)));
    const timer = setTimeout(() => settle(() => reject(new Error(`child ${child.pid} sent no ${type} within ${timeoutMs} ms`))), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** In a child: exit when the parent goes away (IPC closes), on SIGTERM/SIGINT, on an uncaught error (reported to the parent), or after `maxSeconds`. */
export function stopWithParent(name: string, maxSeconds: number): void {
  const stop = (code: number, why: string) => {
    if (code !== 0) console.error(`${name}: stopping: ${why}`);
    process.exit(code);
  };
  process.on('disconnect', () => stop(0, 'parent disconnected'));
  process.on('SIGTERM', () => stop(0, 'SIGTERM'));
  process.on('SIGINT', () => stop(0, 'SIGINT'));
  const fail = (error: unknown) => {
    const text = String((error as Error)?.stack ?? error);
    if (process.connected) process.send?.({ type: 'error', error: text }, () => stop(1, text));
    else stop(1, text);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  setTimeout(() => stop(1, `ran longer than ${maxSeconds} s`), maxSeconds * 1000).unref();
}

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
      // A file, not IPC: tens of megabytes of pre-built bodies.
      const variantsFile = variants ? join(dir, `variants-${jobs++}.json`) : undefined;
      if (variantsFile) writeFileSync(variantsFile, JSON.stringify(variants));
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

export interface MeasuredRun extends LoadResult {
  cpuMsPerRequest: number;
  /** The app's writes per group commit during the run (NaN if it made none). */
  writesPerCommit: number;
  peakRssBytes: number;
  maxRssBytes: number;
}

/** One load run with the server's own cost alongside: CPU time per request (process.cpuUsage deltas) and the peak RSS sampled during the run. */
export async function measuredRun(server: BenchServer, load: LoadGenerator, job: LoadJob, variants?: LoadVariant[]): Promise<MeasuredRun> {
  const before = await server.stats(true);
  const result = await load.run(job, variants);
  const after = await server.stats();
  const cpuMicros = after.cpuUserMicros - before.cpuUserMicros + (after.cpuSystemMicros - before.cpuSystemMicros);
  const requests = result.ok + result.non2xx;
  const commits = after.groupCommits.commits - before.groupCommits.commits;
  const writesPerCommit = commits > 0 ? (after.groupCommits.writes - before.groupCommits.writes) / commits : Number.NaN;
  return { ...result, cpuMsPerRequest: requests > 0 ? cpuMicros / 1000 / requests : Number.NaN, writesPerCommit, peakRssBytes: after.windowPeakRssBytes, maxRssBytes: after.maxRssBytes };
}

/** A run that should have only 2xx answers; anything else is worth saying in the results. */
export function problems(run: LoadResult): string | null {
  const parts = [
    ...Object.entries(run.statusCounts).filter(([code]) => !code.startsWith('2')).map(([code, count]) => `${count}× HTTP ${code}`),
    ...(run.errors ? [`${run.errors} connection errors`] : []),
    ...(run.timeouts ? [`${run.timeouts} timeouts`] : []),
    ...(run.variantsShort ? [`${run.variantsShort} requests without a fresh body`] : []),
  ];
  return parts.length ? parts.join(', ') : null;
}
