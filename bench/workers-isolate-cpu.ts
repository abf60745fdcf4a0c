// The worker's own CPU in workerd, apart from local D1's and R2's: V8's sampling profiler on the
// worker's isolate, through the DevTools protocol wrangler's dev server opens (startWorkerd's
// inspector option). Why: the runtime process's CPU (bench/workers-cpu.ts) also holds SQLite and
// the Durable Object that emulate D1 and the R2 emulation, which on Cloudflare run elsewhere and
// are not the Worker's CPU time. Local D1 runs in other isolates of the same thread, so the thread's
// CPU cannot tell them apart; V8's sampler can: it records a sample only while the isolate it
// profiles is entered (running the worker's JavaScript, or a native call it made, WebCrypto
// included), and none while another isolate runs or the thread waits.
//
// Samples are counted, not timed: a sample's time delta also spans the gaps in which the isolate
// was not entered. What one sample is worth is measured, not assumed: the sampler on this machine
// fires less often than asked, so calibrate() times a pure JavaScript burn against the process's
// CPU in the same kind of isolate.
import WebSocket from 'ws';
import type { WorkerdServer } from '../scripts/lib/workerd.js';
import { inWindow, monotonicUs, type Window } from './workers-cpu.js';

/** The parts of a DevTools `Profiler.Profile` this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  /** Microseconds on the machine's monotonic clock (V8's TimeTicks: CLOCK_MONOTONIC on Linux). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** When each sample that found the isolate at work was taken, ascending (µs); "(idle)" samples left out. */
export function busySampleTimes(profile: CpuProfile): number[] {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const times: number[] = [];
  let at = profile.startTime;
  profile.samples.forEach((node, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (!idle.has(node)) times.push(at);
  });
  // V8 can emit a slightly negative delta now and then; countBetween needs them in order.
  return times.sort((a, b) => a - b);
}

/** How many of the ascending `times` fall in [fromUs, toUs]. */
export function countBetween(times: readonly number[], fromUs: number, toUs: number): number {
  const firstAtOrAfter = (t: number) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return firstAtOrAfter(toUs + 1) - firstAtOrAfter(fromUs);
}

/** What the inspector answers to a command. */
interface DevToolsAnswer {
  id?: number;
  method?: string;
  result?: { profile?: CpuProfile };
  error?: unknown;
}

/** Longer than any answer takes here (Profiler.stop over a long pass included): a hung session fails the run. */
const ANSWER_TIMEOUT_MS = 60_000;

/** One DevTools session on a worker's isolate, for the CPU profiler only. wrangler's inspector takes one at a time. */
export class IsolateProfiler {
  private nextId = 0;
  private startedAtUs: number | null = null;
  private readonly waiting = new Map<number, { resolve: (answer: DevToolsAnswer) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const answer = JSON.parse(String(data)) as DevToolsAnswer;
      // workerd answers Profiler.enable/setSamplingInterval/start by sending the command back (id
      // and method, no result); Profiler.stop's answer carries the profile. Either settles the call.
      if (answer.id === undefined || (answer.result === undefined && answer.error === undefined && answer.method === undefined)) return;
      const waiter = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if (answer.error !== undefined) waiter?.reject(new Error(`DevTools refused a command: ${JSON.stringify(answer.error)}`));
      else waiter?.resolve(answer);
    });
    socket.on('close', () => this.failAll(new Error('the DevTools session closed')));
    socket.on('error', (error) => this.failAll(error));
  }

  /** Profiles the worker of a server started with the inspector open. */
  static async connect(server: WorkerdServer): Promise<IsolateProfiler> {
    if (!server.inspectorUrl) throw new Error('start the worker with inspector: true to profile it');
    const socket = new WebSocket(server.inspectorUrl);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const profiler = new IsolateProfiler(socket);
    await profiler.send('Profiler.enable');
    return profiler;
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  private send(method: string, params: object = {}): Promise<DevToolsAnswer> {
    const id = ++this.nextId;
    return new Promise<DevToolsAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to ${method} in ${ANSWER_TIMEOUT_MS} ms`));
      }, ANSWER_TIMEOUT_MS);
      const settle = <A>(then: (value: A) => void) => (value: A) => {
        clearTimeout(timer);
        then(value);
      };
      this.waiting.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async start(intervalUs: number): Promise<void> {
    await this.send('Profiler.setSamplingInterval', { interval: intervalUs });
    this.startedAtUs = monotonicUs();
    await this.send('Profiler.start');
  }

  async stop(): Promise<CpuProfile> {
    const answer = await this.send('Profiler.stop');
    const startedAtUs = this.startedAtUs;
    this.startedAtUs = null;
    if (!answer.result?.profile || startedAtUs === null) throw new Error(`Profiler.stop gave no profile: ${JSON.stringify(answer)}`);
    const profile = answer.result.profile;
    // The request windows are read on this process's clock: the profile must be on the same one.
    if (Math.abs(profile.startTime - startedAtUs) > 5_000_000) throw new Error(`the profile's clock is not this process's monotonic clock (${profile.startTime} against ${startedAtUs} µs)`);
    return profile;
  }

  /** Ends the session, stopping a profile left running (a failed run) so the next session starts clean. */
  async close(): Promise<void> {
    if (this.startedAtUs !== null) await this.stop().catch(() => undefined);
    this.socket.close();
  }
}

export interface Calibration {
  /** The process's CPU per busy sample over a pure JavaScript burn (ms): what one sample is worth. */
  msPerSample: number;
  /** The burn's extra CPU per request, which the figure rests on (ms). */
  burnMs: number;
}

/**
 * What one busy sample is worth: requests that burn a fixed amount of JavaScript against requests
 * that burn none, interleaved, on a worker whose only work is that (bench/workers-limit-worker.ts
 * /burn); the difference in the process's CPU over the difference in busy samples.
 */
export async function calibrate(options: {
  profiler: IsolateProfiler;
  intervalUs: number;
  /** The process's CPU so far (ms). */
  processCpuMs: () => number;
  /** Makes one request that loops `iterations` times in the worker. */
  burn: (iterations: number) => Promise<void>;
  rounds: number;
  iterations: number;
}): Promise<Calibration> {
  const windows = { none: [] as Window<number, void>[], burn: [] as Window<number, void>[] };
  await options.profiler.start(options.intervalUs);
  for (let i = 0; i < options.rounds; i++) {
    for (const kind of ['none', 'burn'] as const) {
      windows[kind].push(await inWindow(options.processCpuMs, () => options.burn(kind === 'burn' ? options.iterations : 0)));
    }
  }
  const times = busySampleTimes(await options.profiler.stop());
  const total = (kind: keyof typeof windows) => windows[kind].reduce((sum, w) => ({ samples: sum.samples + countBetween(times, w.fromUs, w.toUs), cpu: sum.cpu + w.after - w.before }), { samples: 0, cpu: 0 });
  const burn = total('burn');
  const none = total('none');
  if (burn.samples <= none.samples) throw new Error('the profiler saw no burn: is the inspector on the worker that burned?');
  return { msPerSample: (burn.cpu - none.cpu) / (burn.samples - none.samples), burnMs: (burn.cpu - none.cpu) / options.rounds };
}
