// Drives the Workers limit probe (bench/workers-limit-worker.ts): the same stack as the app in
// bench/workers-d1.ts — wrangler's dev server over wrangler.toml with its bindings, assets and
// migrated local D1; only the entry module differs — and meters each request the same way (the
// runtime workerd process's CPU from just before the request to its last byte).
import { createHash, createHmac, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { ROOT, startLocalWorker, type LocalWorker } from '../scripts/lib/workerd.js';
import { childWorkerds, inWindow, processCpuMs } from './workers-cpu.js';
import { busySampleTimes, calibrate, countBetween, IsolateProfiler, type Calibration } from './workers-isolate-cpu.js';

/** The calibration burn's steps: 10–15 ms of JavaScript here, far above the sampler's grain. */
export const BURN_STEPS = 2_000_000;

export type ProbeKind = 'empty' | 'bare-part' | 'limit-part';

export class WorkersLimitProbe {
  private constructor(
    /** The probe's server, its D1 file open beside it. */
    readonly t: LocalWorker,
    /** The runtime workerd process, whose CPU is metered. */
    readonly pid: number,
    private readonly macKey: Buffer,
    private readonly signingKey: KeyObject,
    private readonly locator: Buffer,
  ) {}

  static async start(assetsDir: string | undefined, options: { inspector?: boolean } = {}): Promise<WorkersLimitProbe> {
    const macKey = randomBytes(32);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const locator = randomBytes(32);
    const t = await startLocalWorker({ ...(assetsDir ? { assetsDir } : {}), entrypoint: join(ROOT, 'bench', 'workers-limit-worker.ts'), vars: { PROBE_MAC_KEY: macKey.toString('base64') }, inspector: options.inspector ?? false });
    try {
      // The mailbox the probe's uploads open; its case and message need not exist (the file rows
      // are written with foreign keys off, as the seeder writes its rows).
      t.sqlite.pragma('foreign_keys = OFF');
      const rawPublicKey = publicKey.export({ format: 'jwk' }).x!;
      t.sqlite.prepare('INSERT INTO mailboxes (locator_hash, case_id, sign_public_key, box_public_key, sealed_case_key) VALUES (?, ?, ?, ?, ?)')
        .run(createHash('sha256').update(locator).digest('base64'), 'probe-case', Buffer.from(rawPublicKey, 'base64url').toString('base64'), 'x', 'x');
      await (await fetch(`${t.url}/empty`)).arrayBuffer();
      const runtime = childWorkerds(t.persistTo).find((p) => p.role === 'runtime')!;
      return new WorkersLimitProbe(t, runtime.pid, macKey, privateKey, locator);
    } catch (error) {
      await t.close();
      throw error;
    }
  }

  /** What one busy sample of V8's profiler is worth on this stack (bench/workers-isolate-cpu.ts); start with inspector. */
  async calibrateSampler(intervalUs: number, rounds: number): Promise<Calibration> {
    const profiler = await IsolateProfiler.connect(this.t.server);
    try {
      return await calibrate({
        profiler, intervalUs, rounds, iterations: BURN_STEPS,
        processCpuMs: () => processCpuMs(this.pid),
        burn: (steps) => this.send(`/burn?n=${steps}`, {}, 200),
      });
    } finally {
      await profiler.close();
    }
  }

  /**
   * The worker isolate's busy samples in each request of each kind (parts of `bytes`), `rounds`
   * rounds of the kinds in turn, profiled throughout (bench/workers-isolate-cpu.ts; start with
   * inspector): the floor under a part upload's isolate CPU, measured as the app's is.
   */
  async isolateSamples(kinds: readonly ProbeKind[], bytes: number, rounds: number, intervalUs: number): Promise<Map<ProbeKind, number[]>> {
    const profiler = await IsolateProfiler.connect(this.t.server);
    const windows: { kind: ProbeKind; fromUs: number; toUs: number }[] = [];
    let times: number[];
    try {
      await profiler.start(intervalUs);
      for (let round = 0; round < rounds; round++) {
        for (const kind of kinds) {
          const { path, init } = this.prepare(kind, bytes);
          windows.push({ kind, ...(await inWindow(() => processCpuMs(this.pid), () => this.send(path, init, 204))) });
        }
      }
      times = busySampleTimes(await profiler.stop());
    } finally {
      await profiler.close();
    }
    return new Map(kinds.map((kind) => [kind, windows.filter((w) => w.kind === kind).map((w) => countBetween(times, w.fromUs, w.toUs))]));
  }

  /** One request of this kind (a part of `bytes` for the uploads); its CPU in ms. */
  async measure(kind: ProbeKind, bytes = 0): Promise<number> {
    const { path, init } = this.prepare(kind, bytes);
    const window = await inWindow(() => processCpuMs(this.pid), () => this.send(path, init, 204));
    return window.after - window.before;
  }

  /** One request to the probe, read to its last byte; any answer but `expected` fails the run. */
  private async send(path: string, init: RequestInit, expected: number): Promise<void> {
    const res = await fetch(`${this.t.url}${path}`, init);
    await res.arrayBuffer();
    if (res.status !== expected) throw new Error(`the limit probe answered ${path} with ${res.status}`);
  }

  /** A valid request of this kind (for an upload, its file declared first): what `measure` sends. */
  prepare(kind: ProbeKind, bytes: number): { path: string; init: RequestInit & { headers?: Record<string, string>; body?: Buffer } } {
    if (kind === 'empty') return { path: '/empty', init: {} };
    const body = randomBytes(bytes);
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (kind === 'bare-part') return { path: '/bare-part', init: { method: 'PUT', body, headers } };
    const fileId = randomUUID();
    this.t.sqlite.prepare("INSERT INTO files (id, case_id, message_id, role, bytes, parts, created_day) VALUES (?, 'probe-case', 'probe-message', 'reporter', ?, 1, '2026-01-01')").run(fileId, bytes);
    const nonce = randomBytes(32);
    const challenge = Buffer.concat([nonce, createHmac('sha256', this.macKey).update(nonce).digest()]);
    const path = `/limit-part/${fileId}`;
    const signed = Buffer.concat([challenge, Buffer.from(`PUT\0${path}\0`), createHash('sha256').update(body).digest()]);
    Object.assign(headers, { 'x-challenge': challenge.toString('base64'), 'x-locator': this.locator.toString('base64'), 'x-file': fileId, 'x-signature': sign(null, signed, this.signingKey).toString('base64') });
    return { path, init: { method: 'PUT', body, headers } };
  }

  close(): Promise<void> {
    return this.t.close();
  }
}
