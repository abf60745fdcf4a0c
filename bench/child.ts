// Starting and stopping the benchmark's helper processes (server, load generator, body
// feeder): TypeScript through tsx, an IPC channel, and a stop that cannot hang.
import { fork, type ChildProcess } from 'node:child_process';

/** Extra Node flags for children, e.g. BENCH_NODE_ARGS="--cpu-prof" to profile the server. */
function extraNodeArgs(envName: string | undefined): string[] {
  const value = envName ? process.env[envName] : undefined;
  return value ? value.split(/\s+/).filter(Boolean) : [];
}

export function forkTs(file: string, args: string[] = [], nodeArgsEnv?: string): ChildProcess {
  return fork(file, args, {
    execArgv: ['--import', 'tsx', ...extraNodeArgs(nodeArgsEnv)],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The first IPC message of a type, or an error if the child exits or is silent too long. */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: T['type'], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: unknown) => {
      const m = message as { type?: string; error?: string };
      if (m.type === 'error') {
        cleanup();
        reject(new Error(`child ${child.pid}: ${m.error}`));
      } else if (m.type === type) {
        cleanup();
        resolve(message as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child ${child.pid} exited (${code}) before sending ${type}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child ${child.pid} sent no ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
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

/**
 * In a child: exit when the parent goes away (IPC closes), on SIGTERM/SIGINT, on an
 * uncaught error, or after `maxSeconds` at the latest, running `cleanup` first.
 */
export function stopWithParent(name: string, maxSeconds: number, cleanup: () => void | Promise<void>): void {
  let stopping = false;
  const stop = (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    if (code !== 0) console.error(`${name}: stopping: ${why}`);
    const force = setTimeout(() => process.exit(code), 5000);
    force.unref();
    void Promise.resolve()
      .then(cleanup)
      .catch(() => undefined)
      .finally(() => process.exit(code));
  };
  process.on('disconnect', () => stop(0, 'parent disconnected'));
  process.on('SIGTERM', () => stop(0, 'SIGTERM'));
  process.on('SIGINT', () => stop(0, 'SIGINT'));
  const fail = (error: unknown) => {
    const text = String((error as Error)?.stack ?? error);
    if (process.connected) process.send?.({ type: 'error', error: text });
    stop(1, text);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  setTimeout(() => stop(1, `ran longer than ${maxSeconds} s`), maxSeconds * 1000).unref();
}
