// Runs `npm start`'s entry point as a real child process on 127.0.0.1 with a port the OS
// picks, and collects everything it prints. Tests stop it themselves.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const ROOT = join(import.meta.dirname, '..', '..');

/** A script of this repository under tsx, as npm runs it, with the test's database and an OS-chosen port. */
function spawnRepoScript(script: string, dbPath: string, extraEnv: Record<string, string>, as: { uid?: number; gid?: number } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, PARLEY_HOST: '127.0.0.1', PARLEY_PORT: '0', PARLEY_DB: dbPath, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...as,
  });
}

export async function startServerProcess(dbPath: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawnRepoScript(join('worker', 'entry-node.ts'), dbPath, extraEnv);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000);
    const onData = () => {
      const match = /running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => reject(new Error(`server exited: ${output}`)));
  });
  return {
    url,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface FinishedProcess {
  /** null when it was stopped: the server started after all, or 30 s passed. */
  code: number | null;
  output: string;
}

/**
 * Runs a script expected to exit by itself — the entry point refusing to start, or
 * scripts/doctor.ts — and returns what it printed. A server that starts instead is stopped
 * at once (code null), so a test sees the output rather than a timeout. `as`: another user.
 */
export async function runToExit(script: string, dbPath: string, extraEnv: Record<string, string> = {}, as: { uid?: number; gid?: number } = {}): Promise<FinishedProcess> {
  const child = spawnRepoScript(script, dbPath, extraEnv, as);
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
