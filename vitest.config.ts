// Node tests: protocol, API over a real SQLite file, the Node server.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A browser that crashed is the one failure retried, once, in a browser the harness launches
    // anew (test/browser/harness.ts, chromium-crash.test.ts); every other failure stands.
    retry: { count: 1, condition: /Target page, context or browser has been closed/ },
  },
});
