// CI once saw Debian's Chromium crash a second into a browser test, failing it and every test
// after it in the file. Such a crash is the browser's, not the page's: the test is retried once
// on exactly the messages a crashed browser gives (BROWSER_CRASHED, vitest.config.ts), and the
// retry asks relaunching.ts for a new browser. Here each browser is crashed on purpose, mid-call:
// Chromium through DevTools' Browser.crash, Firefox ESR by a SIGSEGV to its process.
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firefoxAvailable, relaunchingFirefox } from './firefox.js';
import { browserAvailable, startBrowserHarness, type BrowserHarness } from './harness.js';
import type { Relaunching } from './relaunching.js';
import { EN } from './reporter-steps.js';

const MAKE_A_REPORT = EN.m('landing.makeReport');

describe.skipIf(!browserAvailable)('a browser crashing mid-test', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  }, 120_000);
  afterAll(async () => harness?.close());

  it('Chromium: the call in flight fails with the browser-gone message, and the retry runs in a new Chromium', async ({ task }) => {
    const { page } = await harness.newPage();
    await page.goto(`${harness.server.url}/`);
    if ((task.result?.retryCount ?? 0) === 0) {
      const devtools = await (await harness.liveBrowser()).newBrowserCDPSession();
      devtools.send('Browser.crash').catch(() => undefined);
      // Rejects with a BROWSER_CRASHED message, which the config retries; anything else fails the test.
      await page.waitForTimeout(5_000);
      throw new Error('Browser.crash did not crash Chromium');
    }
    expect(task.result?.retryCount).toBe(1);
    await expect(page.getByRole('button', { name: MAKE_A_REPORT }).isVisible()).resolves.toBe(true);
  });

  describe.skipIf(!firefoxAvailable)('Firefox ESR', () => {
    let firefox: Relaunching<FirefoxBrowser>;
    beforeAll(async () => {
      firefox = await relaunchingFirefox();
    }, 120_000);
    afterAll(async () => firefox?.close());

    it('the call in flight fails with the browser-gone message, and the retry runs in a new Firefox', async ({ task }) => {
      const browser = await firefox.live();
      const page = await browser.newPage();
      await page.goto(`${harness.server.url}/`);
      if ((task.result?.retryCount ?? 0) === 0) {
        const inFlight = page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 5_000)));
        browser.process()!.kill('SIGSEGV');
        // Rejects with a BROWSER_CRASHED message, which the config retries; anything else fails the test.
        await inFlight;
        throw new Error('SIGSEGV did not crash Firefox');
      }
      expect(task.result?.retryCount).toBe(1);
      await page.waitForSelector(`::-p-text(${MAKE_A_REPORT})`);
    });
  });
});
