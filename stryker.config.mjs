// Mutation testing (issue 12): `npm run mutation` runs the full configured scope below.
// A focused run: `npx stryker run --mutate web/protocol/passphrase.ts,worker/credential-check.ts`.
// Reports land in reports/mutation/ (HTML, JSON) and on the console (clear-text).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: {
    // Only the fast Node suites (test/protocol, test/accounts, test/abuse, test/audit), with the
    // workerd halves filtered out by name: no browser (test/browser) or workerd (test/edge) runs.
    configFile: 'vitest.mutation.config.ts',
  },
  checkers: [],
  mutate: [
    'web/protocol/**/*.ts',
    'worker/**/*.ts',
    'db/**/*.ts',
    // Not code under test here: SQL migrations, the word list (data), type-only or barrel files.
    '!db/migrations/**',
    '!db/database.ts',
    '!web/protocol/wordlist-en.ts',
    '!web/protocol/index.ts',
    '!**/*.d.ts',
    // Workers-only entry points: exercised by test/edge in workerd, which Stryker's Node runner cannot host.
    '!worker/entry-workers.ts',
    '!worker/env-workers.ts',
    '!worker/assets-workers.ts',
  ],
  ignorePatterns: ['reports', 'test-output', 'data', 'backups', '.wrangler', 'bench/out'],
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 75, break: null },
};
