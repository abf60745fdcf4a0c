// See ./vitest.config.ts: the project's Stryker settings, with only test/protocol's suites run.
import base from '../../../stryker.config.mjs';

export default {
  ...base,
  vitest: { configFile: 'test/protocol/mutation/vitest.config.ts' },
  reporters: ['clear-text', 'progress'],
  concurrency: 1,
  tempDirName: '.stryker-tmp-protocol-only',
};
