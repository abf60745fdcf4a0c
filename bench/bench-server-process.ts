// Driver side of bench-server.ts: start it in its own process, read its stats, stop it.
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { forkTs, nextMessage, stopChild } from './child.js';
import type { ServerStats } from './bench-server.js';

export type { ServerStats };

export interface BenchServer {
  url: string;
  pid: number;
  /** Stats now; with reset, the RSS peak window starts again. */
  stats(reset?: boolean): Promise<ServerStats>;
  stop(): Promise<void>;
}

export async function startBenchServer(dbPath: string, maxSeconds = 3600): Promise<BenchServer> {
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") passes Node flags to the server only.
  const child: ChildProcess = forkTs(join(import.meta.dirname, 'bench-server.ts'), ['--db', dbPath, '--max-seconds', String(maxSeconds)], 'BENCH_SERVER_NODE_ARGS');
  try {
    const { url } = await nextMessage<{ type: 'listening'; url: string }>(child, 'listening', 60_000);
    return {
      url,
      pid: child.pid!,
      async stats(reset = false) {
        // A fresh connection each time: a pooled one may have been closed by the server as idle.
        const response = await fetch(`${url}/bench/stats${reset ? '?reset=1' : ''}`, { headers: { connection: 'close' } });
        return (await response.json()) as ServerStats;
      },
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
