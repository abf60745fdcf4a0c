// A quicker mutation run for web/protocol/: only test/protocol's own suites (no API, server or
// worker suites). Kills here are a lower bound on the full run's (vitest.mutation.config.ts), so
// a file that reaches its threshold here reaches it there too.
//   npx stryker run test/protocol/mutation/stryker.config.mjs --mutate web/protocol/envelope.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/protocol/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
