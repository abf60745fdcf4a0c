// Node tests: protocol, API over a real SQLite file, the Node server.
import { defineConfig } from 'vitest/config';

/**
 * What a call on a browser that has gone fails with (test/browser/relaunching.ts): playwright's
 * (Chromium), then puppeteer's over WebDriver BiDi (Firefox) for a call in flight and one made after.
 */
const BROWSER_CRASHED = /Target page, context or browser has been closed|Protocol error \([\w.]+\): Target closed|Browser process exited/;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A browser that crashed is the one failure retried, once, in a browser launched anew
    // (test/browser/relaunching.ts); every other failure stands. The delay lets the browser's
    // driver see the disconnection before the retry asks for a browser.
    retry: { count: 1, delay: 2_000, condition: BROWSER_CRASHED },
  },
});
