// Parley as a child process on 127.0.0.1 with a port the OS picks: `npm start`'s entry point
// under tsx, as npm runs it, or another server script that prints the same "running on <url>"
// line (bench/server.ts). Everything it prints is kept. Every child is remembered until it
// exits and killed when this process exits, also one that failed to start, so no server
// outlives its caller. Used by the tests (through test/support/server-process.ts), the crash
// soak and the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const ENTRY_NODE = join('worker', 'entry-node.ts');

export interface ServerOptions {
  /** The script to run, relative to the repository; default the entry point. */
  script?: string;
  args?: string[];
  /** Node flags before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Start under `ulimit -n` (soft and hard: Node raises its soft limit to the hard one). */
  openFileLimit?: number;
  startTimeoutMs?: number;
}

export interface ServerProcess {
  url: string;
  pid: number;
  output(): string;
  /** Sends the signal at once (SIGTERM by default; SIGKILL 10 s later if still there), then waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kills every server still running; safe in a process 'exit' handler. */
export function killAllServers(): void {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  live.clear();
}
process.once('exit', killAllServers);

/** A script of this repository under tsx with the given database, 127.0.0.1 and port 0. */
function spawnRepoScript(script: string, dbPath: string, env: Record<string, string>, options: ServerOptions & { uid?: number; gid?: number } = {}): ChildProcess {
  const node = [process.execPath, ...(options.nodeArgs ?? []), '--import', 'tsx', join(ROOT, script), ...(options.args ?? [])];
  const [command, ...args] = options.openFileLimit ? ['sh', '-c', `ulimit -n ${options.openFileLimit} && exec "$@"`, 'sh', ...node] : node;
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: { ...process.env, PARLEY_HOST: '127.0.0.1', PARLEY_PORT: '0', PARLEY_DB: dbPath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export async function startServerProcess(dbPath: string, env: Record<string, string> = {}, options: ServerOptions = {}): Promise<ServerProcess> {
  const child = spawnRepoScript(options.script ?? ENTRY_NODE, dbPath, env, options);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  };
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms: ${output}`)), timeoutMs);
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
    return { url, pid: child.pid!, output: () => output, kill };
  } catch (error) {
    await kill('SIGKILL');
    throw error;
  }
}

export interface FinishedProcess {
  /** null when it was stopped: the server started after all, or 30 s passed. */
  code: number | null;
  output: string;
}

/**
 * Runs a script expected to exit by itself — the entry point refusing to start, or
 * scripts/doctor.ts — and returns what it printed. A server that starts instead is stopped
 * at once (code null), so the caller sees the output rather than a timeout. `as`: another user.
 */
export async function runToExit(script: string, dbPath: string, env: Record<string, string> = {}, as: { uid?: number; gid?: number } = {}): Promise<FinishedProcess> {
  const child = spawnRepoScript(script, dbPath, env, as);
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
    if (/running on http/.test(output)) child.kill('SIGKILL');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}
