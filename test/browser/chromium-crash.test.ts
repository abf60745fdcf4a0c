// CI once saw Debian's Chromium crash a second into a browser test, failing it and every test
// after it in the file with playwright's "Target page, context or browser has been closed".
// Such a crash is the browser's, not the page's: the test is retried once on exactly that
// message (vitest.config.ts), and the harness launches a new Chromium for the retry. Here the
// crash is made on purpose (DevTools' Browser.crash).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, startBrowserHarness, type BrowserHarness } from './harness.js';
import { EN } from './reporter-steps.js';

describe.skipIf(!browserAvailable)('Chromium crashing mid-test', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  }, 120_000);
  afterAll(async () => harness?.close());

  it('fails the call in flight with the browser-gone message, and the retry runs in a new Chromium', async ({ task }) => {
    const { page } = await harness.newPage();
    await page.goto(`${harness.server.url}/`);
    if ((task.result?.retryCount ?? 0) === 0) {
      const devtools = await (await harness.liveBrowser()).newBrowserCDPSession();
      devtools.send('Browser.crash').catch(() => undefined);
      // Rejects with the browser-gone message, which the config retries; anything else fails the test.
      await page.waitForTimeout(5_000);
      throw new Error('Browser.crash did not crash Chromium');
    }
    expect(task.result?.retryCount).toBe(1);
    await expect(page.getByRole('button', { name: EN.m('landing.makeReport') }).isVisible()).resolves.toBe(true);
  });
});
