// The Node server as `npm start` runs it, as a child process on 127.0.0.1 that the soak
// can SIGKILL. Unlike test/support/server-process.ts it also kills a child that failed to
// start, and it keeps every live child in one set that an exit handler empties, so no
// server outlives the soak, whatever way it ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const START_TIMEOUT_MS = 60_000;

export interface ServerChild {
  url: string;
  pid: number;
  output(): string;
  /** Sends the signal at once (synchronously), then resolves when the process has exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kills every server still running; safe to call from a process 'exit' handler. */
export function killAllServers(): void {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  live.clear();
}
process.once('exit', killAllServers);

export async function startServerChild(dbPath: string): Promise<ServerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'worker', 'entry-node.ts')], {
    cwd: ROOT,
    env: { ...process.env, PARLEY_HOST: '127.0.0.1', PARLEY_PORT: '0', PARLEY_DB: dbPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => { live.delete(child); resolve(); }));
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms: ${output}`)), START_TIMEOUT_MS);
      child.stdout!.on('data', () => {
        const match = /running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited on start (${signal ?? code}): ${output}`));
      });
    });
    return { url, pid: child.pid!, output: () => output, stop };
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
}
