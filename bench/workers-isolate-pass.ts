// The Workers bench's second pass: the same flows as the route table's, on a fresh instance whose
// worker isolate V8 profiles throughout (bench/workers-isolate-cpu.ts). Kept apart from the route
// table's run so the profiler's own cost is in none of that table's figures.
import type { RequestSample } from './workers-cpu.js';
import { startFixture } from './workers-fixture.js';
import { busySampleTimes, countBetween, IsolateProfiler, type Calibration } from './workers-isolate-cpu.js';
import { WorkersLimitProbe } from './workers-limit.js';
import { FILE_PART_BYTES } from '../web/protocol/file-lengths.js';
import { driveRemovals, removalTag } from './workers-removal.js';
import { driveLargeUnit, driveRoutes, FULL_PART_REPORTS } from './workers-routes.js';

/** V8's sampling interval asked for; what a sample is worth is calibrated, not taken from this. */
export const PROFILE_INTERVAL_US = 100;
export const CALIBRATION_ROUNDS = 40;

export interface IsolatePass {
  /** The requests made while the profile ran, each with its isolate CPU (ms). */
  samples: (RequestSample & { isolateMs: number })[];
  /** Before and after the pass; the figures use the larger (the dearer reading of each sample). */
  calibrations: [Calibration, Calibration];
  msPerSample: number;
  /** Busy samples inside some request's window, and in all: work after a last byte is charged to no request. */
  busySamples: { inWindows: number; total: number };
  /** The limit probe's full-part uploads, profiled right after the pass: its irreducible upload and its bare put, each request's isolate CPU (ms), warm-up left out. */
  probeFullPart: { limit: number[]; bare: number[] };
}

/** The probe's full-part uploads profiled: as many as the pass's own, the first few (warm-up) left out as the route table leaves them out. */
export const PROBE_WARM_UP = 3;

/**
 * Each request's isolate CPU is the busy samples in its window times what a sample is worth,
 * calibrated on the limit probe's burn just before and just after the pass.
 */
export async function isolatePass(options: { assetsDir: string; largeCases: number; rounds: number }): Promise<IsolatePass> {
  const probe = await WorkersLimitProbe.start(options.assetsDir, { inspector: true });
  try {
    const f = await startFixture({ assetsDir: options.assetsDir, largeCases: options.largeCases, inspector: true });
    try {
      const before = await probe.calibrateSampler(PROFILE_INTERVAL_US, CALIBRATION_ROUNDS);
      const profiler = await IsolateProfiler.connect(f.t.server);
      const firstProfiled = f.meter.samples.length;
      let times: number[];
      try {
        await profiler.start(PROFILE_INTERVAL_US);
        await driveRoutes(f, options.rounds, options.assetsDir);
        await f.meter.tagged(removalTag('large', options.largeCases), () => driveLargeUnit(f, options.rounds));
        await driveRemovals(f, options.rounds);
        times = busySampleTimes(await profiler.stop());
      } finally {
        await profiler.close();
      }
      const uploads = await probe.isolateSamples(['limit-part', 'bare-part'], FILE_PART_BYTES, FULL_PART_REPORTS, PROFILE_INTERVAL_US);
      const after = await probe.calibrateSampler(PROFILE_INTERVAL_US, CALIBRATION_ROUNDS);
      const msPerSample = Math.max(before.msPerSample, after.msPerSample);
      const probeMs = (kind: 'limit-part' | 'bare-part') => uploads.get(kind)!.slice(PROBE_WARM_UP).map((samples) => samples * msPerSample);
      // The fixture's sign-ins came before the profile began: none of them is counted.
      const profiled = f.meter.samples.slice(firstProfiled).map((s) => ({ ...s, samples: countBetween(times, s.fromUs, s.toUs) }));
      return {
        calibrations: [before, after],
        msPerSample,
        busySamples: { inWindows: profiled.reduce((sum, s) => sum + s.samples, 0), total: times.length },
        probeFullPart: { limit: probeMs('limit-part'), bare: probeMs('bare-part') },
        samples: profiled.map(({ samples, ...s }) => ({ ...s, isolateMs: samples * msPerSample })),
      };
    } finally {
      await f.close();
    }
  } finally {
    await probe.close();
  }
}
