// CPU time of the workerd processes per request, by route of worker/route-table.ts: a fetch for
// ApiClient (and for pages) that reads each workerd process's CPU just before a request and just
// after its last byte, and files the difference under the route the request was for. Clients
// send one request at a time, so each window holds that request's work and nothing else of ours.
// CPU comes from /proc/<pid>/task/*/schedstat (nanoseconds, every thread), not /proc/<pid>/stat,
// whose 10 ms ticks would round most single requests to 0 or 10 ms.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Fetch } from '../web/client/api.js';
import { routeFor } from '../worker/route-table.js';

export interface WorkerdProcess {
  pid: number;
  /** The runtime holds the D1 file open (worker, local D1 and the assets); the other one is wrangler's proxy in front of it. */
  role: 'runtime' | 'proxy';
}

/** The workerd processes this process started (by their parent). */
export function childWorkerdPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8').trim())!;
        return comm === 'workerd' && Number(rest!.split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    });
}

/** Whether a process holds a file open under `prefix` (false if it has gone). */
function holdsFileUnder(pid: number, prefix: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(prefix);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** The workerd processes wrangler started for this process, told apart by which holds the D1 files under `persistTo`. */
export function childWorkerds(persistTo: string): WorkerdProcess[] {
  const found = childWorkerdPids().map((pid): WorkerdProcess => ({ pid, role: holdsFileUnder(pid, persistTo) ? 'runtime' : 'proxy' }));
  if (!found.some((p) => p.role === 'runtime')) throw new Error('could not find the workerd process holding D1');
  return found.sort((a, b) => a.role.localeCompare(b.role));
}

/** CPU time of every thread of a process so far, in ms (ns precision). */
export function processCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

/** Now, in microseconds on the machine's monotonic clock (Node's hrtime is CLOCK_MONOTONIC, as V8's profile timestamps are). */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** A stretch of work on the monotonic clock (µs), with readings of CPU taken just before and just after it. */
export interface Window<Reading, T> {
  fromUs: number;
  toUs: number;
  before: Reading;
  after: Reading;
  value: T;
}

/** Runs `work` between two readings of `cpu`: the one way requests are timed in these benches. */
export async function inWindow<Reading, T>(cpu: () => Reading, work: () => Promise<T>): Promise<Window<Reading, T>> {
  const before = cpu();
  const fromUs = monotonicUs();
  const value = await work();
  const toUs = monotonicUs();
  return { fromUs, toUs, before, after: cpu(), value };
}

export interface RequestSample {
  /** The route-table key ("GET /api/investigator/cases/:caseId"), or method and path for a request no route takes. */
  route: string;
  /** What the run was doing (e.g. "10,000 cases"); '' for the plain rows. */
  tag: string;
  status: number;
  wallMs: number;
  /** The window on the monotonic clock (µs), for bench/workers-isolate-cpu.ts. */
  fromUs: number;
  toUs: number;
  /** By process role. */
  cpuMs: Record<WorkerdProcess['role'], number>;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

export class RouteMeter {
  readonly samples: RequestSample[] = [];
  /** Filed with each sample; set around the calls of one kind of run. */
  tag = '';

  private readonly startCpu: number[];

  constructor(private readonly processes: readonly WorkerdProcess[]) {
    this.startCpu = this.cpuNow();
  }

  /**
   * How much of the runtime process's CPU since the meter began fell inside the request windows:
   * what ran after a request's last byte (or between requests) is in no sample.
   */
  coverage(): { windowsMs: number; totalMs: number } {
    const i = this.processes.findIndex((p) => p.role === 'runtime');
    return { windowsMs: this.samples.reduce((sum, s) => sum + s.cpuMs.runtime, 0), totalMs: this.cpuNow()[i]! - this.startCpu[i]! };
  }

  private cpuNow(): number[] {
    return this.processes.map((p) => processCpuMs(p.pid));
  }

  /** For `new ApiClient(url, meter.fetch)`: sends, reads the whole answer inside the window, then hands the client an equal Response. */
  readonly fetch: Fetch = async (input, init) => {
    const method = init.method ?? 'GET';
    const path = new URL(input).pathname;
    const { fromUs, toUs, before, after, value: { res, body } } = await inWindow(() => this.cpuNow(), async () => {
      const res = await fetch(input, init);
      return { res, body: await res.arrayBuffer() };
    });
    const cpuMs = Object.fromEntries(this.processes.map((p, i) => [p.role, after[i]! - before[i]!])) as RequestSample['cpuMs'];
    this.samples.push({ route: routeFor(method, path)?.key ?? `${method} ${path}`, tag: this.tag, status: res.status, wallMs: (toUs - fromUs) / 1000, fromUs, toUs, cpuMs });
    return new Response(NULL_BODY.has(res.status) ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };

  /** Runs `calls` with every sample tagged. */
  async tagged<T>(tag: string, calls: () => Promise<T>): Promise<T> {
    const previous = this.tag;
    this.tag = tag;
    try {
      return await calls();
    } finally {
      this.tag = previous;
    }
  }
}
