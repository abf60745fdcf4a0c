// Issue 16: the reporter's engine (the Web Worker with libsodium's WebAssembly) starts loading at
// landing, not once the page's main script has arrived and run. The page's main script is held
// back on its way (as a slow link would) and the engine must be asked for meanwhile; the page then
// works as before. The engine also fetches the configuration by itself once its crypto engine is
// up, rather than when the main script asks. An engine that cannot load still stops the page with its message, even when
// its failure comes before the main script listens.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, startBrowserHarness, type BrowserHarness } from './harness.js';
import { EN, NARROW } from './reporter-steps.js';

const MAIN_SCRIPT = '/static/reporter.js';
const ENGINE = '/static/reporter-engine.js';
/** How long the main script is held back: far longer than the page needs to ask for a file it names. */
const HOLD_MS = 1500;

/** Holds the main script back for HOLD_MS; says when it let it go. */
async function holdMainScript(page: Page): Promise<{ releasedAt: () => number }> {
  let releasedAt = Number.POSITIVE_INFINITY;
  await page.route((url) => url.pathname === MAIN_SCRIPT, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    releasedAt = Date.now();
    await route.continue();
  });
  return { releasedAt: () => releasedAt };
}

describe.skipIf(!browserAvailable)('the reporter page starts its engine at landing', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('asks for the engine and the engine for the configuration while the main script is still on the way, then works as before', async () => {
    const { page, context } = await harness.newPage(NARROW);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const main = await holdMainScript(page);
    let engineAskedAt = Number.POSITIVE_INFINITY;
    let configAnsweredAt = Number.POSITIVE_INFINITY;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === ENGINE) engineAskedAt = Math.min(engineAskedAt, Date.now());
    });
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/config') configAnsweredAt = Math.min(configAnsweredAt, Date.now());
    });
    const config = page.waitForResponse((r) => r.url() === `${harness.server.url}/api/config`, { timeout: 30_000 });
    // goto waits for the load event, so for the main script too.
    await page.goto(`${harness.server.url}/en/`);
    await config;
    expect(engineAskedAt).toBeLessThan(main.releasedAt());
    expect(configAnsweredAt).toBeLessThan(main.releasedAt());
    // The page still draws its first view and its form from the engine it started.
    await page.getByRole('button', { name: EN.m('landing.makeReport') }).click();
    await page.getByRole('combobox', { name: EN.m('form.organisation.label') }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('stops with its message when the engine cannot load, though the failure comes before the main script', async () => {
    const { page, context } = await harness.newPage(NARROW);
    await holdMainScript(page);
    await page.route((url) => url.pathname === ENGINE, (route) => route.fulfill({ status: 404, body: '' }));
    await page.goto(`${harness.server.url}/en/`);
    await page.getByRole('heading', { name: EN.m('page.stopped.heading') }).waitFor({ timeout: 10_000 });
    await context.close();
  });
});
