// The Workers limit probe (bench/workers-limit-worker.ts) is what Parley's part upload is
// measured against: it must do the upload's work, not skip it, or the ratio flatters nothing.
// Each check it makes refuses a request that fails it; a valid upload records the part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkersLimitProbe } from '../../bench/workers-limit.js';

const BYTES = 4096;

describe('the Workers limit probe does the irreducible work of a part upload', () => {
  let probe: WorkersLimitProbe;
  beforeAll(async () => {
    probe = await WorkersLimitProbe.start(undefined);
  }, 120_000);
  afterAll(() => probe?.close());

  const send = (path: string, init: RequestInit) => fetch(`${probe.t.url}${path}`, init).then((res) => res.status);
  const fileOf = (path: string) => path.split('/').at(-1)!;

  it('stores and records a valid part, and the file is then complete', async () => {
    const { path, init } = probe.prepare('limit-part', BYTES);
    expect(await send(path, init)).toBe(204);
    expect(probe.t.sqlite.prepare('SELECT complete FROM files WHERE id = ?').get(fileOf(path))).toEqual({ complete: 1 });
    expect(probe.t.sqlite.prepare('SELECT part FROM file_parts WHERE file_id = ?').all(fileOf(path))).toEqual([{ part: 0 }]);
  });

  it('refuses a spent challenge', async () => {
    const { path, init } = probe.prepare('limit-part', BYTES);
    expect(await send(path, init)).toBe(204);
    expect(await send(path, init)).toBe(404);
  });

  it('refuses a challenge whose MAC does not hold', async () => {
    const { path, init } = probe.prepare('limit-part', BYTES);
    const challenge = Buffer.from(init.headers!['x-challenge']!, 'base64');
    challenge[40]! ^= 1;
    expect(await send(path, { ...init, headers: { ...init.headers, 'x-challenge': challenge.toString('base64') } })).toBe(401);
  });

  it('refuses bytes other than the signed ones, and a signature that does not hold', async () => {
    const altered = probe.prepare('limit-part', BYTES);
    altered.init.body![7]! ^= 1;
    expect(await send(altered.path, altered.init)).toBe(401);
    const other = probe.prepare('limit-part', BYTES);
    const signature = Buffer.from(other.init.headers!['x-signature']!, 'base64');
    signature[3]! ^= 1;
    expect(await send(other.path, { ...other.init, headers: { ...other.init.headers, 'x-signature': signature.toString('base64') } })).toBe(401);
  });

  it('refuses a mailbox that does not exist', async () => {
    const { path, init } = probe.prepare('limit-part', BYTES);
    expect(await send(path, { ...init, headers: { ...init.headers, 'x-locator': Buffer.alloc(32, 7).toString('base64') } })).toBe(404);
  });
});
