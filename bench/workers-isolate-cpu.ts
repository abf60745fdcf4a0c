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

/** The parts of a DevTools `Profiler.Profile` this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  /** Microseconds on the machine's monotonic clock (V8's TimeTicks: CLOCK_MONOTONIC on Linux). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Now, in microseconds on the clock the profile's timestamps use (Node's hrtime is CLOCK_MONOTONIC too). */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** When each sample that found the isolate at work was taken, ascending (µs); "(idle)" samples left out. */
export function busySampleTimes(profile: CpuProfile): number[] {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const times: number[] = [];
  let at = profile.startTime;
  profile.samples.forEach((node, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (!idle.has(node)) times.push(at);
  });
  return times;
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

/** One DevTools session on a worker's isolate, for the CPU profiler only. */
export class IsolateProfiler {
  private nextId = 0;
  private startedAtUs = 0;
  private readonly waiting = new Map<number, (message: { result?: { profile?: CpuProfile }; error?: unknown }) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; method?: string; result?: { profile?: CpuProfile }; error?: unknown };
      // workerd answers Profiler.enable/setSamplingInterval/start by sending the command back (id
      // and method, no result); Profiler.stop's answer carries the profile. Either settles the call.
      if (message.id !== undefined && (message.result !== undefined || message.error !== undefined || message.method !== undefined)) {
        this.waiting.get(message.id)?.(message);
        this.waiting.delete(message.id);
      }
    });
  }

  static async connect(inspectorUrl: string): Promise<IsolateProfiler> {
    const socket = new WebSocket(inspectorUrl);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const profiler = new IsolateProfiler(socket);
    await profiler.send('Profiler.enable');
    return profiler;
  }

  private send(method: string, params: object = {}): Promise<{ result?: { profile?: CpuProfile }; error?: unknown }> {
    const id = ++this.nextId;
    const answered = new Promise<{ result?: { profile?: CpuProfile }; error?: unknown }>((resolve) => this.waiting.set(id, resolve));
    this.socket.send(JSON.stringify({ id, method, params }));
    return answered;
  }

  async start(intervalUs: number): Promise<void> {
    await this.send('Profiler.setSamplingInterval', { interval: intervalUs });
    this.startedAtUs = monotonicUs();
    await this.send('Profiler.start');
  }

  async stop(): Promise<CpuProfile> {
    const answer = await this.send('Profiler.stop');
    if (!answer.result?.profile) throw new Error(`Profiler.stop gave no profile: ${JSON.stringify(answer.error ?? answer)}`);
    const profile = answer.result.profile;
    // The request windows are read on this process's clock: the profile must be on the same one.
    if (Math.abs(profile.startTime - this.startedAtUs) > 5_000_000) throw new Error(`the profile's clock is not this process's monotonic clock (${profile.startTime} against ${this.startedAtUs} µs)`);
    return profile;
  }

  close(): void {
    this.socket.close();
  }
}

export interface Calibration {
  /** The process's CPU per busy sample over a pure JavaScript burn (ms): what one sample is worth. */
  msPerSample: number;
  /** The burn's extra CPU per request, which the figure rests on (ms). */
  burnMs: number;
  intervalUs: number;
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
  const windows = { none: [] as [number, number, number][], burn: [] as [number, number, number][] };
  await options.profiler.start(options.intervalUs);
  for (let i = 0; i < options.rounds; i++) {
    for (const kind of ['none', 'burn'] as const) {
      const cpu = options.processCpuMs();
      const from = monotonicUs();
      await options.burn(kind === 'burn' ? options.iterations : 0);
      windows[kind].push([from, monotonicUs(), options.processCpuMs() - cpu]);
    }
  }
  const times = busySampleTimes(await options.profiler.stop());
  const total = (kind: keyof typeof windows) => windows[kind].reduce((sum, [from, to, cpu]) => ({ samples: sum.samples + countBetween(times, from, to), cpu: sum.cpu + cpu }), { samples: 0, cpu: 0 });
  const burn = total('burn');
  const none = total('none');
  if (burn.samples <= none.samples) throw new Error('the profiler saw no burn: is the inspector on the worker that burned?');
  return { msPerSample: (burn.cpu - none.cpu) / (burn.samples - none.samples), burnMs: (burn.cpu - none.cpu) / options.rounds, intervalUs: options.intervalUs };
}
