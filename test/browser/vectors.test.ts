// The protocol's known-answer vectors, run inside real Chromium: the same files and the
// same runner as the Node tests, bundled for the browser with the protocol and libsodium.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, CHROMIUM_PATH } from './harness.js';
import { VECTOR_KINDS } from '../support/vector-runner.js';

const VECTOR_DIR = join(import.meta.dirname, '..', 'vectors');
const allVectors = readdirSync(VECTOR_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(VECTOR_DIR, f), 'utf8')) as { name: string; kind: string });
// Every client-side kind, through the shared runner; the server's own structures (challenges, its
// checks of work and mailbox proofs) run in Node only, in test/protocol/vectors.test.ts.
const vectors = allVectors.filter((v) => VECTOR_KINDS.includes(v.kind));

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
});
afterAll(async () => browser?.close());

describe.skipIf(!browserAvailable)('test vectors in Chromium', () => {
  it('pass, every one, positive and negative', async () => {
    // A small entry that exposes the runner on the page; the page itself is blank (no server).
    const bundle = await build({
      stdin: {
        contents: "import { runVector } from './vector-runner.ts'; import { sodiumReady } from '../../web/protocol/index.ts'; globalThis.runVectors = async (vs) => { await sodiumReady(); return vs.map((v) => ({ name: v.name, ...runVector(v) })); };",
        resolveDir: join(import.meta.dirname, '..', 'support'),
        loader: 'ts',
      },
      bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent',
      external: ['fs', 'path', 'crypto', 'url', 'module', 'node:*'],
    });
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const results = await page.evaluate(async (vs) => (globalThis as unknown as { runVectors(v: unknown[]): Promise<{ name: string; ok: boolean; reason?: string }[]> }).runVectors(vs), vectors);
    expect(results).toHaveLength(vectors.length);
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // It really ran in the browser's engine, not in Node.
    expect(await page.evaluate(() => navigator.userAgent)).toMatch(/Chrome/);
  });
});
