// `npm run soak [-- --cycles N --seed S --results ...]`: the long crash-durability soak of the
// Node server. Writes under concurrent load, SIGKILL at random moments, restart on the same
// SQLite file, and a check that every acknowledged write is still there and the file is sound.
// Exit code 1 on any lost acknowledged write or failed check; --results writes the crash-soak
// section of bench/RESULTS.md. runCrashSoak (run.ts) is what the short version in `npm test`
// (test/node/crash-durability.test.ts) runs.
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { runCrashSoak } from './run.js';
import { formatSummary } from './format.js';
import { killAllServers } from '../../scripts/lib/server-process.js';
import { crashSoakMarkdown } from './results.js';
import { machineInfo, updateResultsSection } from '../../bench/report.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cycles: { type: 'string', default: '20' },
      seed: { type: 'string' },
      concurrency: { type: 'string', default: '6' },
      'investigator-lanes': { type: 'string', default: '1' },
      'kill-min-ms': { type: 'string', default: '150' },
      'kill-max-ms': { type: 'string', default: '1500' },
      'reports-per-cycle': { type: 'string', default: '4' },
      'max-minutes': { type: 'string', default: '60' },
      results: { type: 'boolean', default: false },
    },
  });
  const numbers = Object.fromEntries(
    (['cycles', 'concurrency', 'investigator-lanes', 'kill-min-ms', 'kill-max-ms', 'reports-per-cycle', 'max-minutes'] as const).map((name) => {
      const value = Number(values[name]);
      if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number ≥ 0`);
      return [name, value];
    }),
  ) as Record<'cycles' | 'concurrency' | 'investigator-lanes' | 'kill-min-ms' | 'kill-max-ms' | 'reports-per-cycle' | 'max-minutes', number>;
  if (numbers.cycles < 1 || numbers.concurrency < 1 || numbers['kill-max-ms'] < numbers['kill-min-ms']) throw new Error('need --cycles ≥ 1, --concurrency ≥ 1 and --kill-max-ms ≥ --kill-min-ms');
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
  const options = {
    cycles: numbers.cycles,
    seed,
    concurrency: numbers.concurrency,
    investigatorLanes: numbers['investigator-lanes'],
    killAfterMs: { min: numbers['kill-min-ms'], max: numbers['kill-max-ms'] },
    reportsPerCycle: numbers['reports-per-cycle'],
    maxSeconds: numbers['max-minutes'] * 60,
  };
  console.log(`crash-soak: seed ${seed} (repeat with --seed ${seed}), node ${process.version}, ${cpus().length}× ${cpus()[0]?.model}`);
  const machine = machineInfo();
  const result = await runCrashSoak({ ...options, log: (line) => console.log(line) });
  for (const line of formatSummary(result)) console.log(line);
  for (const problem of result.problems.slice(0, 50)) console.log(`  ! ${problem}`);
  if (values.results) {
    // The seed is always written out, so the command in the file repeats this run's schedule.
    const command = `npm run soak -- ${process.argv.slice(2).join(' ')}${values.seed === undefined ? ` --seed ${seed}` : ''}`;
    updateResultsSection('crash-soak', crashSoakMarkdown(result, command, machine));
    console.log('  wrote the crash-soak section of bench/RESULTS.md');
  }
  return result.ok ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // Ctrl-C or a kill of the soak must not leave a server behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllServers();
      process.exit(130);
    });
  }
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      killAllServers();
      process.exit(2);
    },
  );
}
