// The Workers bench's "isolate CPU" (bench/workers-isolate-cpu.ts) stands for what Cloudflare
// bills: the worker's own CPU, without local D1's. These check that it counts the worker's work
// and not D1's, in a real workerd (the limit probe's worker, profiled through wrangler's inspector),
// and that samples are filed under the right request by their time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busySampleTimes, countBetween, IsolateProfiler, type CpuProfile } from '../../bench/workers-isolate-cpu.js';
import { BURN_STEPS, WorkersLimitProbe } from '../../bench/workers-limit.js';
import { inWindow, processCpuMs } from '../../bench/workers-cpu.js';
import { MAX_FILE_PART_BYTES } from '../../web/protocol/file-lengths.js';

const INTERVAL_US = 100;
/** About 50 ms of JavaScript here: many samples even on a loaded machine. */
const LONG_BURN = 4 * BURN_STEPS;

describe('busy samples, filed by time', () => {
  const profile: CpuProfile = {
    nodes: [{ id: 1, callFrame: { functionName: '(root)' } }, { id: 2, callFrame: { functionName: '(idle)' } }, { id: 3, callFrame: { functionName: 'handle' } }, { id: 4, callFrame: { functionName: '(garbage collector)' } }],
    startTime: 1_000,
    samples: [3, 2, 3, 4, 2, 3],
    timeDeltas: [10, 100, 100, 5, 300, 20],
  };

  it('places each sample at the start plus the deltas so far, leaving out the idle ones', () => {
    expect(busySampleTimes(profile)).toEqual([1_010, 1_210, 1_215, 1_535]);
  });

  it('counts the samples inside a window, both ends included', () => {
    const times = busySampleTimes(profile);
    expect(countBetween(times, 1_010, 1_215)).toBe(3);
    expect(countBetween(times, 1_011, 1_214)).toBe(1);
    expect(countBetween(times, 1_216, 1_534)).toBe(0);
    expect(countBetween(times, 0, 10_000)).toBe(4);
  });
});

describe('V8\'s sampler on a worker isolate in workerd', () => {
  // wrangler's inspector takes one DevTools session at a time: each test opens and closes its own.
  let probe: WorkersLimitProbe;
  beforeAll(async () => {
    probe = await WorkersLimitProbe.start(undefined, { inspector: true });
  }, 120_000);
  afterAll(() => probe?.close());

  /** One request's window on the monotonic clock and the runtime process's CPU over it. */
  const timed = async (path: string) => {
    const window = await inWindow(() => processCpuMs(probe.pid), async () => {
      const res = await fetch(`${probe.t.url}${path}`);
      await res.arrayBuffer();
      return res.status;
    });
    expect(window.value).toBe(200);
    return { fromUs: window.fromUs, toUs: window.toUs, cpuMs: window.after - window.before };
  };

  it('charges the worker\'s JavaScript to it, and D1\'s SQLite to neither it nor the requests around', async () => {
    let windows: Record<'burn' | 'sql' | 'empty', Awaited<ReturnType<typeof timed>>>;
    await timed(`/burn?n=${BURN_STEPS}`);
    await timed('/sql-burn?n=10');
    const profiler = await IsolateProfiler.connect(probe.t.server);
    let times: number[];
    try {
      await profiler.start(INTERVAL_US);
      const burn = await timed(`/burn?n=${LONG_BURN}`);
      const sql = await timed('/sql-burn?n=1000000');
      const empty = await timed('/burn?n=0');
      times = busySampleTimes(await profiler.stop());
      windows = { burn, sql, empty };
    } finally {
      await profiler.close();
    }
    const { burn, sql, empty } = windows;
    const samples = (w: { fromUs: number; toUs: number }) => countBetween(times, w.fromUs, w.toUs);
    // The SQLite count costs the process about as much as the burn or more...
    expect(sql.cpuMs).toBeGreaterThan(burn.cpuMs / 2);
    // ...but the worker only waited for it: a few samples at most, against the burn's many.
    expect(samples(burn)).toBeGreaterThanOrEqual(40);
    expect(samples(sql)).toBeLessThan(samples(burn) / 5);
    expect(samples(empty)).toBeLessThan(samples(burn) / 5);
  }, 60_000);

  it('calibrates what a sample is worth from the burn, at or above the interval asked for', async () => {
    const calibration = await probe.calibrateSampler(INTERVAL_US, 10);
    expect(calibration.msPerSample).toBeGreaterThanOrEqual((INTERVAL_US / 1000) * 0.8);
    expect(calibration.msPerSample).toBeLessThan(5);
    expect(calibration.burnMs).toBeGreaterThan(1);
  }, 60_000);

  it('files the probe\'s uploads under each request: the largest part, hashed in the worker, gets samples; each request its own count', async () => {
    const rounds = 5;
    const samples = await probe.isolateSamples(['limit-part', 'bare-part'], MAX_FILE_PART_BYTES, rounds, INTERVAL_US);
    expect([...samples.keys()]).toEqual(['limit-part', 'bare-part']);
    for (const counts of samples.values()) {
      expect(counts).toHaveLength(rounds);
      // SHA-256 over 1 MiB in the worker alone is about a millisecond: several samples each. The
      // sampler's thread is starved now and then on a loaded machine (CI once saw a single sample
      // for one request), so the median is held, not every request.
      const median = [...counts].sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
      expect(median).toBeGreaterThanOrEqual(2);
    }
  }, 60_000);
});
