// Vitest config for mutation testing (`npm run mutation`, stryker.config.mjs): only the fast
// Node suites that exercise protocol and authorisation code. No browser tests (test/browser),
// no workerd tests (test/edge), and no workerd halves of the API suites: the API suites run
// `describe.each(API_TARGETS)`, so a transform below drops the workerd target from that list
// for this config only (Stryker overrides `testNamePattern`, so a name filter would not hold).
// No web build either (no globalSetup): these suites serve no pages, and a sandbox copy is built
// from whatever the working tree held, half-edited pages included.
import { defineConfig, type Plugin } from 'vitest/config';

const TARGETS_LINE = 'export const API_TARGETS: readonly TargetKind[] = [nodeTarget, workerdTarget];';

function nodeTargetOnly(): Plugin {
  return {
    name: 'parley-mutation-node-target-only',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').endsWith('test/support/targets.ts')) return null;
      if (!code.includes(TARGETS_LINE)) {
        throw new Error('vitest.mutation.config.ts: API_TARGETS changed shape in test/support/targets.ts; update the workerd filter');
      }
      return { code: code.replace(TARGETS_LINE, 'export const API_TARGETS: readonly TargetKind[] = [nodeTarget];'), map: null };
    },
  };
}

export default defineConfig({
  plugins: [nodeTargetOnly()],
  test: {
    include: ['test/protocol/**/*.test.ts', 'test/accounts/**/*.test.ts', 'test/abuse/**/*.test.ts', 'test/audit/**/*.test.ts', 'test/worker/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
