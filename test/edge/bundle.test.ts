// The bundle `wrangler deploy` would upload, built by wrangler itself (--dry-run): the
// request path carries no libsodium (the server needs only WebCrypto; libsodium's wasm
// cannot even be compiled at run time in workerd) and it fits the free plan's size limit.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runWrangler } from '../support/workerd.js';

/** Workers free plan: 3 MiB per worker after compression. */
const FREE_PLAN_LIMIT_BYTES = 3 * 1024 * 1024;

describe('the deployable Workers bundle', () => {
  let outDir: string;
  let bundle: Buffer;
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'parley-bundle-'));
    // wrangler.toml's assets directory must exist; the web build may not have run yet.
    const webDir = join(ROOT, 'dist', 'web');
    if (!existsSync(webDir)) mkdirSync(webDir, { recursive: true });
    const run = await runWrangler(['deploy', '--dry-run', '--outdir', outDir]);
    if (run.code !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.output}`);
    bundle = readFileSync(join(outDir, 'entry-workers.js'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('is one JavaScript module, with no WebAssembly beside it', () => {
    expect(readdirSync(outDir).filter((name) => !/\.(map|md)$/.test(name))).toEqual(['entry-workers.js']);
    // The search below looks at the real bundle: the app's own strings are in it.
    expect(bundle.includes('mailbox_kdf_salt')).toBe(true);
    expect(bundle.includes('WebAssembly.instantiate')).toBe(false);
  });

  it('does not contain libsodium', () => {
    for (const trace of ['libsodium', 'sodium.ready', 'crypto_pwhash', 'crypto_box_seal', 'web/protocol/sodium']) {
      expect({ trace, found: bundle.includes(trace) }).toEqual({ trace, found: false });
    }
  });

  it('imports no node: module (server-crypto finds node:crypto at run time, on Node only)', () => {
    expect(bundle.toString('utf8')).not.toMatch(/\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\s*\(\s*["']node:/);
  });

  it('fits the free plan after compression', () => {
    expect(gzipSync(bundle).length).toBeLessThan(FREE_PLAN_LIMIT_BYTES);
  });
});
