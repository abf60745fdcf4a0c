// Issue 13: the pure-JavaScript engine is a bundle of its own (noble-engine.js) that only browsers
// without WebAssembly download. In Chromium with WebAssembly, the reporter's first visit never asks
// for it; in Chromium with V8 jitless (no JIT, so no WebAssembly, as in Tor Browser "Safer") the
// engine fetches it against the hash pinned at build, then imports it, and the page works; a copy
// that differs by one byte is refused and never imported.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOBLE_BUNDLE } from '../../scripts/lib/noble-bundle.js';
import { browserAvailable, relaunchingChromium, startBrowserHarness, type BrowserHarness, type ChromiumLauncher } from './harness.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'web');

/** Opens /en/ and waits until the engine has fetched the configuration (which it does only once its crypto engine is chosen), or `waitMs`. */
async function firstVisit(browser: Browser, baseUrl: string, waitMs = 30_000): Promise<{ requests: Request[]; configFetched: boolean; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: Request[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r));
  page.on('pageerror', (e) => errors.push(e.message));
  const config = page.waitForResponse((r) => r.url() === `${baseUrl}/api/config`, { timeout: waitMs }).then(() => true, () => false);
  await page.goto(`${baseUrl}/en/`);
  const configFetched = await config;
  await context.close();
  return { requests, configFetched, errors };
}

const nobleRequests = (requests: Request[]) => requests.filter((r) => new URL(r.url()).pathname === `/static/${NOBLE_BUNDLE}`);

describe.skipIf(!browserAvailable)('the noble engine, loaded only without WebAssembly', () => {
  let harness: BrowserHarness;
  let tampered: BrowserHarness;
  let noWasm: ChromiumLauncher;
  let tamperedDir: string;

  beforeAll(async () => {
    tamperedDir = mkdtempSync(join(tmpdir(), 'parley-noble-tampered-'));
    cpSync(DIST, tamperedDir, { recursive: true });
    // One byte more, in every copy a server might send.
    const bundle = join(tamperedDir, NOBLE_BUNDLE);
    writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}\n`);
    for (const copy of ['.br', '.gz']) rmSync(bundle + copy);
    harness = await startBrowserHarness();
    tampered = await startBrowserHarness(['Anti-Corruption Unit'], { webDir: tamperedDir });
    noWasm = await relaunchingChromium(['--js-flags=--jitless']);
  }, 120_000);

  afterAll(async () => {
    await noWasm?.close();
    await harness?.close();
    await tampered?.close();
    rmSync(tamperedDir, { recursive: true, force: true });
  });

  it('is never downloaded by a browser with WebAssembly', async () => {
    const visit = await firstVisit(await harness.liveBrowser(), harness.server.url);
    expect(visit.configFetched).toBe(true);
    expect(visit.requests.some((r) => r.url().endsWith('/static/reporter-engine.js'))).toBe(true);
    expect(nobleRequests(visit.requests)).toEqual([]);
  });

  it('is fetched, checked and imported without WebAssembly, and the engine starts', async () => {
    const visit = await firstVisit(await noWasm.live(), harness.server.url, 120_000);
    expect(visit.errors).toEqual([]);
    expect(visit.configFetched).toBe(true);
    // The fetch that checks its hash, then the import that runs it.
    expect(nobleRequests(visit.requests).map((r) => r.resourceType())).toEqual(['fetch', 'script']);
  });

  it('is refused, and never imported, when its bytes are not the ones the engine pins', async () => {
    const visit = await firstVisit(await noWasm.live(), tampered.server.url, 10_000);
    expect(visit.configFetched).toBe(false);
    expect(nobleRequests(visit.requests).map((r) => r.resourceType())).toEqual(['fetch']);
  });
});
