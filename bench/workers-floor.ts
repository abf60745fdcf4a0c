// What local workerd charges for storage alone, to read the part uploads against: a bare worker
// (no Parley code) in its own Miniflare, with the same kinds of binding the app has (local D1 and
// R2), measured the way bench/workers-cpu.ts measures the app — the workerd process's CPU across
// one request at a time. Local D1 and R2 run inside that process, so their work lands in the
// figure; on Cloudflare it is the database's and the bucket's, not the Worker's.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { median } from './report.js';
import { childWorkerdPids, processCpuMs } from './workers-cpu.js';

const BARE_WORKER = `export default { async fetch(request, env) {
  const path = new URL(request.url).pathname;
  const key = 'files/' + crypto.randomUUID() + '/0';
  if (path === '/d1') await env.DB.prepare('SELECT 1').first();
  // What a part upload cannot do without: read the body, hash it (the mailbox proof signs its hash), store it.
  if (path === '/part') { const body = await request.arrayBuffer(); await crypto.subtle.digest('SHA-256', body); await env.FILES.put(key, body); }
  return new Response(null, { status: 204 });
} }`;

export interface StorageFloor {
  /** A request that does nothing. */
  emptyMs: number;
  /** One trivial D1 read. */
  d1ReadMs: number;
  /** Body read, hashed and put into R2, by the body's length in bytes. */
  partMs: Map<number, number>;
}

/** The bare worker: `round()` measures each kind of request once; `result()` gives the medians. */
export class StorageFloorMeter {
  private readonly samples = new Map<string, number[]>();

  private constructor(private readonly mf: Miniflare, private readonly url: URL, private readonly pid: number, private readonly dir: string, private readonly partBytes: readonly number[]) {}

  static async start(partBytes: readonly number[]): Promise<StorageFloorMeter> {
    const dir = mkdtempSync(join(tmpdir(), 'parley-floor-'));
    // Any other workerd of this process is the app's: the bare worker's is the one that was not there before.
    const before = new Set(childWorkerdPids());
    const mf = new Miniflare({
      modules: true, script: BARE_WORKER, compatibilityDate: '2025-01-01', host: '127.0.0.1', port: 0,
      d1Databases: ['DB'], r2Buckets: ['FILES'], d1Persist: join(dir, 'd1'), r2Persist: join(dir, 'r2'),
    });
    try {
      const url = await mf.ready;
      const pid = childWorkerdPids().find((p) => !before.has(p));
      if (pid === undefined) throw new Error('could not find the bare worker’s workerd process');
      const meter = new StorageFloorMeter(mf, url, pid, dir, partBytes);
      // Unrecorded: the isolate's code warms up as the app's does.
      for (let i = 0; i < 3; i++) await meter.round(false);
      return meter;
    } catch (error) {
      await mf.dispose();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  async round(record = true): Promise<void> {
    const kinds = [{ name: 'empty', path: '/empty' }, { name: 'd1', path: '/d1' }, ...this.partBytes.map((bytes) => ({ name: String(bytes), path: '/part', bytes }))];
    for (const kind of kinds) {
      const body = 'bytes' in kind ? randomBytes(kind.bytes!) : undefined;
      const before = processCpuMs(this.pid);
      const res = await fetch(new URL(kind.path, this.url), { method: body ? 'PUT' : 'GET', body, headers: body ? { 'content-type': 'application/octet-stream' } : {} });
      await res.arrayBuffer();
      if (record) this.samples.set(kind.name, [...(this.samples.get(kind.name) ?? []), processCpuMs(this.pid) - before]);
    }
  }

  /** Medians of the recorded rounds. */
  result(): StorageFloor & { rounds: number } {
    const of = (name: string) => median(this.samples.get(name) ?? []);
    return { emptyMs: of('empty'), d1ReadMs: of('d1'), partMs: new Map(this.partBytes.map((bytes) => [bytes, of(String(bytes))])), rounds: this.samples.get('empty')?.length ?? 0 };
  }

  async close(): Promise<void> {
    await this.mf.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
