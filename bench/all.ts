// `npm run bench`: the HTTP, scale and client benchmarks one after another, each in its own
// process (the scale seeding needs its memory back afterwards); each writes its own section
// of bench/RESULTS.md. `--note "…"` is added to every section; `--sizes` goes to the scale run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { note: { type: 'string' }, sizes: { type: 'string' } } });
const note = values.note ? ['--note', values.note] : [];
const steps: [string, string[]][] = [
  ['http.ts', note],
  ['scale.ts', [...note, ...(values.sizes ? ['--sizes', values.sizes] : [])]],
  ['client.ts', note],
];

const failed: string[] = [];
const started = performance.now();
for (const [file, args] of steps) {
  console.log(`\n=== bench/${file} ${args.join(' ')}`);
  // Each step bounds its own loops; the timeout is a last resort against a hang.
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, file), ...args], { stdio: 'inherit', timeout: 45 * 60 * 1000 });
  if (run.status !== 0) failed.push(`${file} (${run.error ? String(run.error) : `exit ${run.status ?? run.signal}`})`);
}
console.log(`\nbench: ${((performance.now() - started) / 60_000).toFixed(1)} min; ${failed.length ? `failed: ${failed.join(', ')}` : 'all sections written to bench/RESULTS.md'}`);
process.exitCode = failed.length ? 1 : 0;
