// Workers / D1: the size of the bundle `wrangler deploy` would upload, and the CPU time of each
// route of worker/route-table.ts in a real workerd over local D1 (wrangler's dev server, as the
// tests use it), driven by the real clients; then the case list and figures of a unit of 10,000
// cases, and a member removal there against one in an empty unit. Writes its section of
// bench/RESULTS.md; routes it does not drive are listed with the reason.
//
//   npm run build:web && npx tsx bench/workers-d1.ts [rounds, default 60] [cases of the large unit, default 10000]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, runWrangler } from '../scripts/lib/workerd.js';
import { ROUTE_TABLE, type RouteKey } from '../worker/route-table.js';
import { fmt, machineLine, median, percentile, updateResultsSection } from './report.js';
import type { RequestSample } from './workers-cpu.js';
import { startFixture } from './workers-fixture.js';
import { driveLargeUnit, driveRoutes, FILE_BYTES, FULL_PART_FILE_BYTES, FULL_PART_REPORTS, FULL_PART_TAG } from './workers-routes.js';
import { BURN_STEPS, WorkersLimitProbe } from './workers-limit.js';
import { CALIBRATION_ROUNDS, isolatePass, PROBE_WARM_UP, PROFILE_INTERVAL_US, type IsolatePass } from './workers-isolate-pass.js';
import { UPLOAD_WARM_UP, uploadsAgainstLimit, type UploadAgainstLimit } from './workers-upload-limit.js';
import { FILE_PART_BYTES } from '../web/protocol/file-lengths.js';
import { driveRemovals, removalTag, REMOVAL_ROUTE } from './workers-removal.js';

const ROUNDS = Number(process.argv[2] ?? 60);
const LARGE_CASES = Number(process.argv[3] ?? 10_000);
const FREE_PLAN_LIMIT_BYTES = 3 * 1024 * 1024;

// ---- bundle size --------------------------------------------------------------------

async function measureBundle(): Promise<{ raw: number; gzip: number; command: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'parley-bench-bundle-'));
  // wrangler.toml's assets directory must exist; the web build may not have run.
  if (!existsSync(join(ROOT, 'dist', 'web'))) mkdirSync(join(ROOT, 'dist', 'web'), { recursive: true });
  try {
    const run = await runWrangler(['deploy', '--dry-run', '--outdir', outDir]);
    if (run.code !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.output}`);
    const bundle = readFileSync(join(outDir, 'entry-workers.js'));
    return { raw: bundle.length, gzip: gzipSync(bundle, { level: 9 }).length, command: 'npx wrangler deploy --dry-run --outdir <dir>' };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

// ---- the table --------------------------------------------------------------------

/** The first requests of each kind warm workerd up (compiling, D1's first statements): left out. */
const WARM_UP = 3;
const BUDGET_MS = 10;

/** Routes this bench does not drive, and why. */
const NOT_DRIVEN: Partial<Record<RouteKey, string>> = {
  'POST /api/setup': 'once per instance, before any organisation exists; the bench founds its units as `npm run setup` does',
};

interface Row {
  route: string;
  tag: string;
  n: number;
  wallMedian: number;
  cpuMedian: number;
  cpuP10: number;
  cpuP95: number;
  cpuMean: number;
  proxyMedian: number;
}

/** One route's requests of one tag after the warm-up; a refused one fails the run (its figure would mean nothing). */
function requestsOf<S extends RequestSample>(samples: readonly S[], route: string, tag: string): S[] {
  const mine = samples.filter((s) => s.route === route && s.tag === tag).slice(WARM_UP);
  const failed = mine.filter((s) => s.status >= 400);
  if (failed.length > 0) throw new Error(`${route} ${tag}: ${failed.length} requests answered ${failed[0]!.status}`);
  return mine;
}

/** How a row names its request in the tables and the text. */
const labelOf = (r: { route: string; tag: string }) => `\`${r.route}\`${r.tag ? ` (${r.tag})` : ''}`;

function rowOf(samples: readonly RequestSample[], route: string, tag: string): Row | null {
  const mine = requestsOf(samples, route, tag);
  if (mine.length === 0) return null;
  const cpu = mine.map((s) => s.cpuMs.runtime);
  return {
    route, tag, n: mine.length,
    wallMedian: median(mine.map((s) => s.wallMs)),
    cpuMedian: median(cpu), cpuP10: percentile(cpu, 10), cpuP95: percentile(cpu, 95), cpuMean: cpu.reduce((a, b) => a + b, 0) / cpu.length,
    proxyMedian: median(mine.map((s) => s.cpuMs.proxy ?? 0)),
  };
}

const verdict = (r: Row) => (r.cpuP10 > BUDGET_MS ? '**over at p10**' : r.cpuMedian > BUDGET_MS ? '**over**' : r.cpuP95 > BUDGET_MS ? 'p95 over' : 'under');
const tableRow = (r: Row, name = labelOf(r)) =>
  `| ${name} | ${r.n} | ${fmt(r.wallMedian)} | ${fmt(r.cpuP10)} | ${fmt(r.cpuMedian)} | ${fmt(r.cpuP95)} | ${fmt(r.cpuMean)} | ${fmt(r.proxyMedian)} | ${verdict(r)} |`;

interface IsolateRow {
  route: string;
  tag: string;
  n: number;
  median: number;
  p95: number;
  max: number;
  /** The route table's (unprofiled) CPU median for the same route and tag, if it has one. */
  processMedian: number | null;
}

function isolateRowOf(pass: IsolatePass, unprofiled: readonly RequestSample[], route: string, tag: string): IsolateRow | null {
  const mine = requestsOf(pass.samples, route, tag);
  if (mine.length === 0) return null;
  return { route, tag, ...spreadOf(mine.map((s) => s.isolateMs)), processMedian: rowOf(unprofiled, route, tag)?.cpuMedian ?? null };
}

/** How many requests, and their isolate CPU's median, p95 and slowest (ms). */
const spreadOf = (ms: readonly number[]) => ({ n: ms.length, median: median(ms), p95: percentile(ms, 95), max: Math.max(...ms) });

const TABLE_HEAD = `| request | n | wall median (ms) | CPU p10 (ms) | CPU median (ms) | CPU p95 (ms) | CPU mean (ms) | proxy CPU median (ms) | 10 ms |
|---|---|---|---|---|---|---|---|---|`;

async function main(): Promise<void> {
  const assetsDir = join(ROOT, 'dist', 'web');
  if (!existsSync(join(assetsDir, 'console.html'))) throw new Error('dist/web is not built: run `npm run build:web` first (the pages are measured too)');
  const machine = machineLine();
  const bundle = await measureBundle();
  const started = performance.now();
  const f = await startFixture({ assetsDir, largeCases: LARGE_CASES });
  let coverage: ReturnType<typeof f.meter.coverage>;
  let againstLimit: UploadAgainstLimit[];
  try {
    await driveRoutes(f, ROUNDS, assetsDir);
    await f.meter.tagged(removalTag('large', LARGE_CASES), () => driveLargeUnit(f, ROUNDS));
    await driveRemovals(f, ROUNDS);
    const probe = await WorkersLimitProbe.start(assetsDir);
    try {
      againstLimit = await uploadsAgainstLimit(f, probe, [FILE_BYTES, FULL_PART_FILE_BYTES], ROUNDS);
    } finally {
      await probe.close();
    }
    coverage = f.meter.coverage();
  } finally {
    await f.close();
  }
  const isolate = await isolatePass({ assetsDir, largeCases: LARGE_CASES, rounds: ROUNDS });
  const minutes = (performance.now() - started) / 60_000;
  const samples = f.meter.samples;
  const fullPartRow = rowOf(samples, 'PUT /api/mailbox/files/:fileId/parts/:part', FULL_PART_TAG)!;
  const [smallAgainst, fullAgainst] = againstLimit as [UploadAgainstLimit, UploadAgainstLimit];

  // A route measured only in tagged runs (the member removal) shows each of them.
  const routeRows = (Object.keys(ROUTE_TABLE) as RouteKey[]).flatMap((route): { route: RouteKey; row?: Row; reason?: string }[] => {
    const tags = [...new Set(samples.filter((s) => s.route === route).map((s) => s.tag))];
    const rows = (tags.includes('') ? [''] : tags).flatMap((tag) => rowOf(samples, route, tag) ?? []);
    return rows.length > 0 ? rows.map((row) => ({ route, row })) : [{ route, reason: NOT_DRIVEN[route] ?? 'not reached by the bench’s flows' }];
  });
  const measured = routeRows.flatMap((r) => (r.row ? [r.row] : []));
  const named = (rows: readonly { route: string; tag: string }[]) => [...new Set(rows.map(labelOf))].join(', ');
  // What every request costs here whatever it does, and what a first D1 read adds: to read the others against.
  const floor = { page: rowOf(samples, 'GET /:lang/:page', '')!, challenge: rowOf(samples, 'POST /api/mailbox/challenge', '')!, session: rowOf(samples, 'GET /api/investigator/account/notices', '')! };
  const large = removalTag('large', LARGE_CASES);
  const largeRows = ['GET /api/investigator/cases', 'GET /api/investigator/figures'].flatMap((route) => rowOf(samples, route, large) ?? []);
  const removal = { large: rowOf(samples, REMOVAL_ROUTE, large)!, empty: rowOf(samples, REMOVAL_ROUTE, removalTag('empty', LARGE_CASES))! };
  // Every row of this section: the route table's (the removals' included), the large unit's and the full part.
  const everyRow = [...measured, ...largeRows, fullPartRow];
  const over = everyRow.filter((r) => r.cpuMedian > BUDGET_MS);
  const overAtP95 = everyRow.filter((r) => r.cpuMedian <= BUDGET_MS && r.cpuP95 > BUDGET_MS);
  // Each removal leaves one holder fewer: the first and last tenth of them, both units together, show what the unit's size costs.
  const removals = samples.filter((s) => s.route === REMOVAL_ROUTE);
  const tenth = Math.max(1, Math.floor(removals.length / 10));
  const bySize = { many: median(removals.slice(WARM_UP * 2, WARM_UP * 2 + tenth).map((s) => s.cpuMs.runtime)), few: median(removals.slice(-tenth).map((s) => s.cpuMs.runtime)) };
  // Every route and tag the profiled pass made, in the route table's order.
  const isolateRows = (Object.keys(ROUTE_TABLE) as RouteKey[]).flatMap((route) =>
    [...new Set(isolate.samples.filter((s) => s.route === route).map((s) => s.tag))].sort().flatMap((tag) => isolateRowOf(isolate, samples, route, tag) ?? []));
  const isolateOver = isolateRows.filter((r) => r.median > BUDGET_MS);
  const isolateOverAtP95 = isolateRows.filter((r) => r.median <= BUDGET_MS && r.p95 > BUDGET_MS);
  const dearest = [...isolateRows].sort((a, b) => b.median - a.median).slice(0, 3);
  // A full part's isolate CPU beside the limit probe's for the same bytes: what the stack's own upload costs, and how it spreads.
  const parleyFullPart = isolateRows.find((r) => r.route === 'PUT /api/mailbox/files/:fileId/parts/:part' && r.tag === FULL_PART_TAG);
  const fullPartFloor: [string, ReturnType<typeof spreadOf>][] = [
    ...(parleyFullPart ? [[`Parley (${FULL_PART_TAG}, above)`, parleyFullPart] as [string, ReturnType<typeof spreadOf>]] : []),
    ['limit probe: the irreducible upload', spreadOf(isolate.probeFullPart.limit)],
    ['limit probe: bare read, hash and put', spreadOf(isolate.probeFullPart.bare)],
  ];
  const unmatched = [...new Set(samples.filter((s) => !(s.route in ROUTE_TABLE)).map((s) => s.route))];

  const markdown = `## Workers / D1

Machine: ${machine}.

### Bundle (what \`wrangler deploy\` uploads)

\`${bundle.command}\` → \`entry-workers.js\`: **${fmt(bundle.raw / 1024)} KiB raw, ${fmt(bundle.gzip / 1024)} KiB gzip**
(${((bundle.gzip / FREE_PLAN_LIMIT_BYTES) * 100).toFixed(1)} % of the 3 MiB free-plan limit, which applies after compression).
No libsodium and no WebAssembly in it (test/edge/bundle.test.ts checks both on every \`npm test\`).

### CPU per request in workerd over local D1, every route

\`npm run build:web && npx tsx bench/workers-d1.ts ${ROUNDS} ${LARGE_CASES}\` (${fmt(minutes, 2)} min): wrangler's dev server
(\`unstable_startWorker\`, the same \`wrangler.toml\` and entry as \`npm run dev:edge\`) over local D1 migrated by
\`wrangler d1 migrations apply\`, with the built pages as its assets. Four organisations founded as \`npm run setup\`
does; one of them seeded with ${LARGE_CASES.toLocaleString('en-GB')} cases (bench/seed.ts, ${fmt(f.seedSeconds, 2)} s). Every request is
made by the real clients (web/client/*: the reporter's page and the console, in Node), one at a time, ${ROUNDS} rounds
over fresh cases (bench/workers-routes.ts), and metered one by one (bench/workers-cpu.ts).

*CPU* is the CPU time of the workerd **runtime** process (all threads, \`/proc/<pid>/task/*/schedstat\`, nanoseconds)
from just before the request to its last byte. That process runs the worker *and* local D1 (SQLite in the same
process), the assets and HTTP parsing, so the figure is an upper bound on what Cloudflare bills as the worker's CPU
time (its JavaScript only; D1 runs elsewhere). *Proxy* is wrangler's workerd in front of it (not billed; shown for
completeness). *Wall* is the client's time to the last byte, through both. The first ${WARM_UP} requests of each kind are
left out (workerd compiling, D1's first statements); *n* is what remains. The windows held
${((coverage.windowsMs / coverage.totalMs) * 100).toFixed(1)} % of the runtime process's CPU over the run (${fmt(coverage.windowsMs / 1000)} of ${fmt(coverage.totalMs / 1000)} s); the rest ran
between requests (after a last byte, or idle). Client-side work (Argon2id at test cost,
sealing, signing, decrypting) is in no figure. Proof of work is off (\`workBits\` 0, the default).

**Over 10 ms at the median: ${over.length === 0 ? 'none' : named(over)}.** Of these, over even in their cheapest tenth
(p10, the figure least raised by other work on the machine): ${named(over.filter((r) => r.cpuP10 > BUDGET_MS)) || 'none'}.${overAtP95.length > 0 ? ` Over at p95 only: ${named(overAtP95)}.` : ''}

To read the others against, from the same table: a request that touches neither D1 nor the app's logic costs this
process ${fmt(floor.challenge.cpuMedian)} ms (\`POST /api/mailbox/challenge\`) and an information page from the assets ${fmt(floor.page.cpuMedian)} ms;
a signed-in read answered from the session row alone (\`GET /api/investigator/account/notices\`: the session lookup, one D1
round trip) ${fmt(floor.session.cpuMedian)} ms. Local D1 runs SQLite *and* its Durable Object plumbing in this same thread (workerd's
per-thread figures show one busy thread), so each D1 round trip is charged here; on Cloudflare it is not CPU of the worker.

${TABLE_HEAD}
${routeRows.map((r) => (r.row ? tableRow(r.row) : `| \`${r.route}\` | – | | | | | | | not measured: ${r.reason} |`)).join('\n')}
${unmatched.length > 0 ? `\nRequests no route took: ${unmatched.join(', ')}.\n` : ''}
### The reporter's part upload against the limit probe

The same stack doing only the irreducible work (issue 16): a second wrangler dev server over the same \`wrangler.toml\`
(bindings, compatibility date, assets routed to the worker first) and migrated schema, whose entry is
bench/workers-limit-worker.ts instead of Parley (no Parley code: WebCrypto and D1's and R2's own APIs). For a
reporter's part it checks the challenge's MAC, hashes the locator and makes the throttle key, spends the challenge and
reads the mailbox, its throttle counter, the file and whether the part is held in one D1 batch, reads and hashes the
body, verifies one Ed25519 signature over challenge, path and hash, puts the part into R2, and records it in a second
D1 batch (only while the file exists). The *bare put* is the same server reading, hashing and putting the bytes, nothing
else: what storing a part costs this process. ${smallAgainst.rounds} interleaved rounds after ${UPLOAD_WARM_UP} left out (bench/workers-upload-limit.ts):
each round one part through Parley (a fresh report's file, uploaded by the real client; only the PUT counted), then
the probe's upload and bare put of the same length, each after a request of its own to the same server, as Parley's
PUT follows the client's challenge request. The ratio is the median of each round's Parley ÷ probe.

| part bytes | Parley CPU median (ms) | limit probe (ms) | Parley ÷ limit | bare put (ms) |
|---|---|---|---|---|
${againstLimit.map((u) => `| ${u.partBytes.toLocaleString('en-GB')} | ${fmt(u.parleyMs)} | ${fmt(u.limitMs)} | **${fmt(u.ratio)}** | ${fmt(u.bareMs)} |`).join('\n')}

These figures come from later in the process's life than the route table's, with other requests before each; compare
the ratio, not the milliseconds, across the two. The limit probe itself is ${smallAgainst.limitMs > BUDGET_MS ? 'over' : 'under'} 10 ms for the
${smallAgainst.partBytes.toLocaleString('en-GB')}-byte part and ${fullAgainst.limitMs > BUDGET_MS ? 'over' : 'under'} it for a full part (${fullPartRow.n} more reporter uploads of one full part are tagged in the
route table's run: ${fmt(fullPartRow.cpuMedian)} ms). Most of a part's cost in this process is local R2 and D1 (the bare put alone:
${fmt(fullAgainst.bareMs)} ms for a full part), which on Cloudflare are the bucket's and the database's work, not the Worker's CPU
time. What Parley adds over the probe (Hono, zod, drizzle, the guard statements of its writes, the mailbox proof's
libsodium-equivalent key checks, the security headers) comes to ${fmt(Math.min(...againstLimit.map((u) => u.ratio)))}–${fmt(Math.max(...againstLimit.map((u) => u.ratio)))}× the probe:
${Math.max(...againstLimit.map((u) => u.ratio)) <= 1.1 ? 'within a tenth of it, which is inside this machine\'s noise' : 'that difference is the code to look at'}.

### The worker's own CPU: V8's profiler on its isolate

The process figures above are an upper bound on the Worker's CPU time: local D1 (SQLite and its Durable Object) and
the R2 emulation run in the same thread. Cloudflare bills the worker's own time, and the closest local stand-in for it
is the time its isolate is entered, which V8's sampling profiler can tell apart: it takes a sample only while the
isolate it profiles is entered (the worker's JavaScript, or a native call it made, WebCrypto's hashing and signature
checks included), none while D1's isolate runs or the thread waits (bench/workers-isolate-cpu.ts). Work the runtime
does for the worker outside its isolate (streaming a body, I/O) is in no sample. The same flows were run again,
${ROUNDS} rounds, on a second instance started alike but with wrangler's inspector open, its worker isolate profiled
throughout at a ${PROFILE_INTERVAL_US} µs interval asked for (bench/workers-isolate-pass.ts); kept apart from the table
above so the profiler's own cost is in none of its figures.

*Isolate CPU* is the busy samples inside the request's window times what one sample is worth. That worth is measured,
not assumed (the sampler here fires less often than asked): on the limit probe's worker, in the same stack, requests
looping ${BURN_STEPS.toLocaleString('en-GB')} arithmetic steps (${fmt(isolate.calibrations[0].burnMs)} ms of the process's CPU each) against requests
looping none, ${CALIBRATION_ROUNDS} of each, interleaved; the difference in the process's CPU over the difference in busy samples.
Just before the pass a sample was worth ${fmt(isolate.calibrations[0].msPerSample)} ms, just after ${fmt(isolate.calibrations[1].msPerSample)} ms; the figures
use the larger (the sampler's rate moves with the machine's load, and only these two readings bound it). The worth
includes the sampler's own cost and the DevTools session's, which the calibration burn paid too. A request's figure is
whole samples, so one of under a millisecond reads as 0 or one sample's worth; read the medians. Rows with n of ${FULL_PART_REPORTS - WARM_UP}
(the full part) have their p95 at their ${Math.ceil(0.95 * (FULL_PART_REPORTS - WARM_UP))}th fastest request (nearest rank). ${((isolate.busySamples.inWindows / isolate.busySamples.total) * 100).toFixed(1)} % of the pass's
${isolate.busySamples.total.toLocaleString('en-GB')} busy samples fell inside a request's window; the rest (work after a last byte, between
requests) is charged to none. *Process CPU* is the route table's median for the same request, without the profiler,
and *share* the isolate's part of it.

**Isolate CPU over 10 ms at the median: ${isolateOver.length === 0 ? 'none' : named(isolateOver)}.**${isolateOverAtP95.length > 0 ? ` Over at p95 only: ${named(isolateOverAtP95)}.` : ' None over at p95 either.'}
The dearest at the median: ${dearest.map((r) => `${labelOf(r)} ${fmt(r.median)} ms`).join(', ')}.

| request | n | isolate CPU median (ms) | isolate p95 (ms) | isolate max (ms) | process CPU median (ms) | share | 10 ms |
|---|---|---|---|---|---|---|---|
${isolateRows.map((r) => `| ${labelOf(r)} | ${r.n} | ${fmt(r.median)} | ${fmt(r.p95)} | ${fmt(r.max)} | ${r.processMedian === null ? '–' : fmt(r.processMedian)} | ${r.processMedian === null ? '–' : `${Math.round((r.median / r.processMedian) * 100)} %`} | ${r.median > BUDGET_MS ? '**over**' : r.p95 > BUDGET_MS ? 'p95 over' : 'under'} |`).join('\n')}

**A full part against the limit probe, in the isolate.** Right after the pass, the limit probe's worker (profiled the
same way, each sample worth the same) took ${isolate.probeFullPart.limit.length} uploads of one full part (${FILE_PART_BYTES.toLocaleString('en-GB')} bytes) each way, after ${PROBE_WARM_UP} left out:
its irreducible upload (the challenge's MAC, the hashes, one Ed25519 verify, two D1 batches, the R2 put) and the bare
read, hash and put with nothing else: work every upload does, whatever Parley does around it. The probe's requests came
after the pass, not between Parley's, so compare the spread of the rows rather than single figures:

| full part (${FILE_PART_BYTES.toLocaleString('en-GB')} bytes) | n | isolate CPU median (ms) | isolate p95 (ms) | isolate max (ms) |
|---|---|---|---|---|
${fullPartFloor.map(([name, r]) => `| ${name} | ${r.n} | ${fmt(r.median)} | ${fmt(r.p95)} | ${fmt(r.max)} |`).join('\n')}

### With ${LARGE_CASES.toLocaleString('en-GB')} cases in the organisation

The large unit's administrator, same run. Its seeded reports are random bytes, so the client files each as not opening;
the server's work is the same as for real ones.

${TABLE_HEAD}
${largeRows.map((r) => tableRow(r)).join('\n')}

### Member removal over ${LARGE_CASES.toLocaleString('en-GB')} cases

\`${REMOVAL_ROUTE}\` from the administrator's device (web/client/admin.ts \`removeMember\`: a new key version sealed to every
remaining holder, then cancelled so the next removal starts alike), in the unit of ${LARGE_CASES.toLocaleString('en-GB')} cases and in
one of none, alternating, ${ROUNDS} of each (bench/workers-removal.ts). Each unit began with ${ROUNDS + 2} members holding the keys.

${TABLE_HEAD}
${tableRow(removal.large)}
${tableRow(removal.empty)}

**Ratio ${fmt(removal.large.cpuMedian / removal.empty.cpuMedian)}** (CPU median with ${LARGE_CASES.toLocaleString('en-GB')} cases ÷ with none):
${fmt(removal.large.cpuMedian)} ms against ${fmt(removal.empty.cpuMedian)} ms. The removal touches the member's rows and the key
versions, never a case: no case key is sealed again (members keep the versions they hold), so it needs no steps.
What it grows with is the unit's members (a keyring sealed to each who remains, and the checks over all of them): the
removals made while about ${ROUNDS - WARM_UP} members remained cost ${fmt(bySize.many)} ms (median), the last ones, with at most ${Math.ceil(tenth / 2) + 1}, ${fmt(bySize.few)} ms.
The machine was shared with other work (see the load average above), and on these 2 cores CPU time itself rises with
it: two runs an hour apart, at load 9 and 10, gave medians up to a third apart. Read the rows against each other and
against the floors above, and the p10 column for the least disturbed cost.
`;
  updateResultsSection('workers-d1', markdown);
  console.log(markdown);
}

await main();
