// `npm run bench:scale [-- --sizes 1k,100k]`: is Parley flat as data grows? For each size:
// seed that many reports with realistic casework and an audit chain as long, straight into
// SQLite, and start a bench server over the file; all sizes' servers run at once. Then, in
// rounds that take every size in turn: audit verification inside each server (scale-jobs.ts);
// the reporter's mailbox fetch and the console's requests (scale-requests.ts), with the
// server's CPU per request and its event-loop delays; last one staff-notices run and one
// retention run in each. Medians of rounds; the ratio of the largest size's p99 to the
// smallest's against the target. Writes the "scale" section of bench/RESULTS.md.
import { parseArgs } from 'node:util';
import { bytesToB64, randomBytes, sodiumReady, PROTOCOL_VERSION } from '../web/protocol/index.js';
import type { VerifiedConfig as InstanceConfig } from '../web/client/reporter.js';
import type { SubmitReportBody } from '../web/client/wire-types.js';
import type { MailboxKeys } from '../web/protocol/index.js';
import { BENCH_KDF, createBenchDatabase, makeSubmission, reportOfSize, startBenchInstance, type BenchDatabase, type BenchInstance } from './instance.js';
import { measuredRun, problems, startLoadGenerator, type LoadGenerator, type MeasuredRun } from './load.js';
import { fmt, machineLine, median, mib, noteLine, publish } from './report.js';
import { LOOP_DELAY_RESOLUTION_MS, runJob, type JobResult, type LoopBlocks } from './scale-jobs.js';
import { FIGURES_PAGE, probe, scaleRequests, signedInAdmin, type ScaleRequest } from './scale-requests.js';
import { seedAuditChain, seedReports } from './seed.js';
import { HISTORY_DAYS } from './scale-casework.js';
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1k,100k' },
    runs: { type: 'string', default: '3' },
    'run-seconds': { type: 'string', default: '4' },
    connections: { type: 'string', default: '1' },
    known: { type: 'string', default: '500' },
    'keep-db': { type: 'boolean', default: false },
    note: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`--sizes: cannot read "${text}" (use e.g. 1k,100k,1m)`);
  return Math.round(Number(match[1]) * ({ '': 1, k: 1e3, m: 1e6 } as const)[match[2]!.toLowerCase() as '' | 'k' | 'm']);
}
const label = (n: number) => (n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : String(n));

const SIZES_LIST = values.sizes.split(',').map(parseSize);
const RUNS = Number(values.runs);
const RUN_SECONDS = Number(values['run-seconds']);
const CONNECTIONS = Number(values.connections);
const KNOWN = Number(values.known);
/** A report that pads to the 1 KiB bucket (1,065-byte envelope), like the seeded ones. */
const KNOWN_REPORT = reportOfSize(800);
/** Issue 16: p99 at 100k within 1.2× of p99 at 1k, and nothing blocks the event loop longer than 50 ms at 100k. */
const P99_TARGET = 1.2;
const BLOCK_TARGET_MS = 50;
/** Cases retention finds due on its run: the same at every size, so a run's time is the cost of finding them. */
const DUE_FOR_DELETION = 10;
const WARM_REQUESTS = 10;
const MIN_REQUESTS = 20;

interface RequestResult {
  request: ScaleRequest;
  probe: Awaited<ReturnType<typeof probe>>;
  runs: (MeasuredRun & { loopDelayMs: number; blockCpuMs: number })[];
}

interface SizeResult {
  size: number;
  seedSeconds: number;
  fileBytes: number;
  requests: RequestResult[];
  audit: JobResult[];
  notices: JobResult;
  retention: JobResult;
}

/** A run's size: about RUN_SECONDS of requests at the warm-up's rate, capped so single-use challenges (2-minute life) are all spent in time. */
const runAmount = (rps: number) => Math.max(MIN_REQUESTS, Math.min(Math.round(rps * RUN_SECONDS), Math.round(rps * 60)));

/** A size's database and bench server, seeded and running, side by side with the other sizes'. */
interface Prepared {
  size: number;
  db: BenchDatabase;
  instance: BenchInstance;
  known: { mailboxes: MailboxKeys[]; caseIds: string[] };
  seedSeconds: number;
  fileBytes: number;
}

async function prepareSize(size: number): Promise<Prepared> {
  const db = await createBenchDatabase('parley-scale-');
  try {
    // The known mailboxes: real client submissions, their keys kept to sign fetches.
    const config: InstanceConfig = { protocolVersion: PROTOCOL_VERSION, mailboxKdf: { salt: bytesToB64(randomBytes(16)), ...BENCH_KDF }, organisations: [db.org], unverifiable: [] };
    const known: { keys: MailboxKeys; body: SubmitReportBody }[] = Array.from({ length: Math.min(KNOWN, Math.floor(size / 2)) }, () => makeSubmission(config, db.org, KNOWN_REPORT));
    console.log(`scale: seeding ${label(size)} reports and ${label(size)} audit entries`);
    let lastLog = performance.now();
    const seeded = seedReports(db.dbPath, {
      orgId: db.orgId, keyVersion: db.org.keyVersion, count: size, known: known.map((k) => k.body), assignee: db.admin.memberId, dueForDeletion: DUE_FOR_DELETION,
      onProgress: (done) => {
        if (performance.now() - lastLog > 15_000) {
          lastLog = performance.now();
          console.log(`scale:   ${label(done)} of ${label(size)}`);
        }
      },
    });
    const caseIds = known.map((k) => k.body.caseId);
    const chain = await seedAuditChain(db.dbPath, { orgId: db.orgId, actorId: db.admin.memberId, count: size, caseIds });
    console.log(`scale: ${label(size)} seeded in ${fmt(seeded.seconds + chain.seconds)} s, ${mib(seeded.fileBytes)} MiB`);
    const instance = await startBenchInstance(db);
    return { size, db, instance, known: { mailboxes: known.map((k) => k.keys), caseIds }, seedSeconds: seeded.seconds + chain.seconds, fileBytes: seeded.fileBytes };
  } catch (error) {
    db.remove();
    throw error;
  }
}

async function release(prepared: Prepared): Promise<void> {
  await prepared.instance.server.kill();
  if (values['keep-db']) console.log(`scale: kept ${prepared.db.dbPath}`);
  else prepared.db.remove();
}

/**
 * Every size's server runs at once and each round measures every request at every size one
 * after another, so a size is compared with the others under the same machine load (this
 * machine is shared); medians of the rounds.
 */
async function measureSizes(load: LoadGenerator, sizes: readonly Prepared[]): Promise<SizeResult[]> {
  // Audit verification first, while each chain is as seeded (every listing and view adds an
  // entry); a first, unrecorded run of each warms up the code and the page cache.
  for (const p of sizes) await runJob(p.instance.server.url, 'audit', p.db.orgId);
  const audits = sizes.map((): JobResult[] => []);
  for (let r = 0; r < RUNS; r++) {
    for (const [s, p] of sizes.entries()) {
      audits[s]!.push(await runJob(p.instance.server.url, 'audit', p.db.orgId));
      console.log(`scale: ${label(p.size)} audit ${r + 1}/${RUNS}: ${jobLine(audits[s]!.at(-1)!)} for ${audits[s]!.at(-1)!.count} entries`);
    }
  }

  const timed = async (p: Prepared, request: ScaleRequest, amount: number, title: string) => {
    const server = p.instance.server;
    const job = { title, url: `${server.url}${request.path}`, method: 'GET' as const, connections: CONNECTIONS, amount, ...(request.headers ? { headers: request.headers } : {}) };
    const run = await measuredRun(server, load, job, await request.variants?.(amount));
    const after = await server.stats();
    return { ...run, loopDelayMs: after.eventLoopMaxDelayMs, blockCpuMs: after.loopBlocks.maxGapCpuMs };
  };
  const results: RequestResult[][] = [];
  const warmRates: number[][] = [];
  for (const p of sizes) {
    const session = await signedInAdmin(p.instance, p.db);
    const own: RequestResult[] = [];
    for (const request of scaleRequests(p.instance, session, p.known)) {
      const probed = await probe(p.instance.server.url, request);
      if (probed.status !== 200) throw new Error(`${label(p.size)} ${request.name}: HTTP ${probed.status}`);
      const warm = await timed(p, request, WARM_REQUESTS, `warm ${request.name}`);
      (warmRates[own.length] ??= []).push(warm.rps);
      own.push({ request, probe: probed, runs: [] });
    }
    results.push(own);
  }
  // The same number of requests at every size, sized from the slowest size's warm-up.
  const amounts = warmRates.map((rates) => runAmount(Math.min(...rates)));
  for (let r = 0; r < RUNS; r++) {
    for (let i = 0; i < amounts.length; i++) {
      for (const [s, p] of sizes.entries()) {
        const result = results[s]![i]!;
        const run = await timed(p, result.request, amounts[i]!, `${result.request.name} ${label(p.size)} #${r + 1}`);
        result.runs.push(run);
        console.log(`scale: ${label(p.size)} ${result.request.name} run ${r + 1}/${RUNS}: p50 ${fmt(run.latencyMs.p50)} ms, p99 ${fmt(run.latencyMs.p99)} ms, ${fmt(run.cpuMsPerRequest)} ms CPU, loop delay ${fmt(run.loopDelayMs)} ms, block ${fmt(run.blockCpuMs)} ms CPU`);
      }
    }
  }

  const notices: JobResult[] = [];
  for (const p of sizes) notices.push(await runJob(p.instance.server.url, 'notices'));
  const retentions: JobResult[] = [];
  for (const p of sizes) retentions.push(await runJob(p.instance.server.url, 'retention'));
  return sizes.map((p, s) => {
    console.log(`scale: ${label(p.size)} notices ${jobLine(notices[s]!)}, retention ${jobLine(retentions[s]!)} for ${retentions[s]!.count} cases`);
    return { size: p.size, seedSeconds: p.seedSeconds, fileBytes: p.fileBytes, requests: results[s]!, audit: audits[s]!, notices: notices[s]!, retention: retentions[s]! };
  });
}

const jobLine = (j: JobResult) => `${fmt(j.ms)} ms (${fmt(j.cpuMs)} ms CPU, longest block ${fmt(j.loop.maxGapMs)} ms / ${fmt(j.loop.maxGapCpuMs)} ms CPU, ${j.loop.turns} turns)`;
const verdict = (ratio: number, blockMs: number) => (ratio <= P99_TARGET && blockMs <= BLOCK_TARGET_MS ? 'flat' : `**not flat**${ratio > P99_TARGET ? ` (×${ratio.toFixed(2)})` : ''}${blockMs > BLOCK_TARGET_MS ? ` (blocks ${fmt(blockMs)} ms)` : ''}`);
const maxOf = (values: number[]) => Math.max(...values);

function report(results: SizeResult[], totalSeconds: number): string {
  const smallest = results[0]!;
  const largest = results.at(-1)!;
  const sizes = results.map((r) => label(r.size));
  const p99 = (r: RequestResult) => median(r.runs.map((x) => x.latencyMs.p99));
  const loop = (r: RequestResult) => maxOf(r.runs.map((x) => x.loopDelayMs));
  const block = (r: RequestResult) => maxOf(r.runs.map((x) => x.blockCpuMs));
  const cpu = (r: RequestResult) => median(r.runs.map((x) => x.cpuMsPerRequest));
  const requestRows = results.flatMap((size) =>
    size.requests.map((r) => {
      const trouble = r.runs.map(problems).filter(Boolean);
      return `| ${r.request.name} | ${label(size.size)} | ${r.probe.cases ?? '–'} | ${fmt(r.probe.bytes / 1024)} | ${fmt(median(r.runs.map((x) => x.latencyMs.p50)))} | ${fmt(p99(r))} | ${fmt(median(r.runs.map((x) => x.rps)))} | ${fmt(cpu(r))} | ${fmt(loop(r))} | ${fmt(block(r))} | ${trouble.length ? trouble.join('; ') : 'none'} |`;
    }),
  );
  const flatRows = largest.requests.map((r, i) => {
    const ratio = p99(r) / p99(smallest.requests[i]!);
    return `| ${r.request.name} | ${fmt(p99(smallest.requests[i]!))} | ${fmt(p99(r))} | ${ratio.toFixed(2)} | ${(cpu(r) / cpu(smallest.requests[i]!)).toFixed(2)} | ${fmt(block(smallest.requests[i]!))} | ${fmt(block(r))} | ${verdict(ratio, block(r))} |`;
  });
  const auditMs = (s: SizeResult) => median(s.audit.map((a) => a.ms));
  const auditBlock = (s: SizeResult) => maxOf(s.audit.map((a) => a.loop.maxGapCpuMs));
  const auditCpu = (s: SizeResult) => median(s.audit.map((a) => a.cpuMs));
  const jobRow = (name: string, s: SizeResult, did: string, j: Pick<JobResult, 'ms' | 'cpuMs'>, perPage: string, loop: LoopBlocks) =>
    `| ${name} | ${label(s.size)} | ${did} | ${fmt(j.ms)} | ${fmt(j.cpuMs)} | ${perPage} | ${fmt(loop.maxGapMs)} | ${fmt(loop.maxGapCpuMs)} |`;
  const jobRows = results.flatMap((s) => [
    jobRow('audit verification', s, `${s.audit[0]!.count} entries`, { ms: auditMs(s), cpuMs: auditCpu(s) }, `${fmt((auditCpu(s) / s.audit[0]!.count) * 1000)} ms CPU (${fmt((auditMs(s) / s.audit[0]!.count) * 1000)} ms) per 1,000 entries`, { maxGapMs: maxOf(s.audit.map((a) => a.loop.maxGapMs)), maxGapCpuMs: auditBlock(s), turns: 0 }),
    jobRow('staff notices, one run', s, `${s.notices.count} sent`, s.notices, '–', s.notices.loop),
    jobRow('retention, one run', s, `${s.retention.count} cases deleted`, s.retention, '–', s.retention.loop),
  ]);
  // Work done once is compared by its CPU time, which another process's load does not change.
  const jobVerdict = (name: string, small: number, large: number, blockMs: number) => `${name} ×${(large / small).toFixed(2)}, longest block ${fmt(blockMs)} ms CPU: ${verdict(large / small, blockMs)}`;
  const jobVerdicts = [
    jobVerdict('audit verification, CPU per 1,000 entries', auditCpu(smallest) / smallest.audit[0]!.count, auditCpu(largest) / largest.audit[0]!.count, auditBlock(largest)),
    jobVerdict('staff notices, CPU', smallest.notices.cpuMs, largest.notices.cpuMs, largest.notices.loop.maxGapCpuMs),
    jobVerdict('retention, CPU', smallest.retention.cpuMs, largest.retention.cpuMs, largest.retention.loop.maxGapCpuMs),
  ];
  return `## Scale: flat as data grows

Command: \`npm run bench:scale -- --sizes ${values.sizes} --runs ${RUNS}\` (also part of \`npm run bench\`)${noteLine(values.note)}

Machine: ${machineLine()}

Target (issue 16): at 100k cases each request's p99 within ${P99_TARGET}× of its p99 at 1k, and nothing blocks the server's event loop for more than ${BLOCK_TARGET_MS} ms. Sizes measured: ${sizes.join(', ')}.

**Data.** For each size a fresh database is seeded directly with prepared statements in 20,000-row transactions (journal in memory, no fsync; the server then opens it as \`npm start\` does: WAL, synchronous=FULL). Each report is four rows as the server stores them — case, organisation case key, mailbox, first message with a 1 KiB-bucket envelope (1,065 bytes) — with the casework of a unit that keeps its deadlines (bench/scale-casework.ts): received over ${HISTORY_DAYS / 365} years, due days from the received day by the default settings (7 days, 3 months), nearly all acknowledged and given feedback in time, a few overdue, older cases mostly settled (closed ones within the last year, as retention leaves them), 60–80 % assigned; ${DUE_FOR_DELETION} cases are due for deletion at every size. ${KNOWN} of the reports (half the reports if fewer) are real client submissions spread evenly through the file; the mailbox fetches and case views cycle over them. The organisation's audit chain is as long as the number of reports, hashed as the server hashes it. Seeding (rows and chain, random rows included): ${results.map((r) => `${label(r.size)} in ${fmt(r.seedSeconds)} s, ${mib(r.fileBytes)} MiB`).join('; ')}.

**Requests.** Each is timed alone: a mailbox fetch carries its own single-use challenge, fetched and signed just before its run; the investigator's requests carry a session made by the real client's sign-in. The case list is its first page (50 cases with their reports and the deadline summary over all cases); the figures page is the last whole month with \`limit=${FIGURES_PAGE}\`, a page a month of the smallest database fills too, so every size returns the same work (the *cases* column). Every size's server runs at the same time, and each round measures each request at every size one after the other, so the sizes are compared under the same load of this shared machine. ${CONNECTIONS} connection(s), closed loop; a warm-up of ${WARM_REQUESTS} requests at each size sizes the runs to about ${RUN_SECONDS} s at the slowest size's rate (at least ${MIN_REQUESTS} requests), the same number at every size; ${RUNS} rounds, medians (p99 of a run of 20 requests is its slowest). *Server CPU* is the bench server's user + system time over the run divided by its requests. *Loop delay* is the longest the server's event loop waited to run a ${LOOP_DELAY_RESOLUTION_MS} ms timer during the runs (perf_hooks.monitorEventLoopDelay in the bench server; ${LOOP_DELAY_RESOLUTION_MS}–13 ms means it never waited), the longest of the runs: wall time, so it also counts the time the server waited for a core while other processes had both. *Block* is what the target is about: of the gaps between the loop's turns (a ${LOOP_DELAY_RESOLUTION_MS} ms timer's runs), the most CPU time the server spent in one — work that held the loop — which another process's load does not inflate (bench/scale-jobs.ts \`watchLoop\`); a server busy throughout a run shows at least the timer's ${LOOP_DELAY_RESOLUTION_MS} ms of work in a gap, so small values are an upper bound.

| request | reports | cases | response KiB | p50 ms | p99 ms | requests/s | server CPU ms/req | loop delay ms | block ms CPU | non-2xx / errors |
|---|---|---|---|---|---|---|---|---|---|---|
${requestRows.join('\n')}

| request | p99 ${label(smallest.size)} ms | p99 ${label(largest.size)} ms | p99 ratio (target ≤ ${P99_TARGET}) | server CPU/req ratio | block at ${label(smallest.size)} ms CPU | block at ${label(largest.size)} ms CPU (target ≤ ${BLOCK_TARGET_MS}) | |
|---|---|---|---|---|---|---|---|
${flatRows.join('\n')}

On a shared two-core machine the p99 of a small run also catches the moments another process had the cores; server CPU per request is the steadier measure of a request's own work, and the two moving together is what says a request is not flat.

**Work that is not a request**, run in the bench server as the Node server runs it (bench/scale-jobs.ts): audit verification (\`verifyAuditChain\`, as \`npm run audit:verify\`) over the seeded chain before any request, after one unrecorded warm-up run, in ${RUNS} rounds over the sizes, median; then one staff-notices run (one member with an address; notices are handed to a mailer that drops them, so the time is deciding who is told) and one retention run (worker/retention.ts \`deleteDueCases\`, ${DUE_FOR_DELETION} cases due). *CPU* is the server's CPU time over the run; *longest gap* the longest the event loop went without a turn (a 1 ms timer's runs), in wall time and in the server's CPU time (the block). Done once, each is compared across sizes by its CPU time.

| work | reports | did | ms | CPU ms | per page | longest gap ms | longest block ms CPU |
|---|---|---|---|---|---|---|---|
${jobRows.join('\n')}

${jobVerdicts.map((line) => `- ${line}`).join('\n')}

Whole command: ${fmt(totalSeconds)} s.`;
}

async function main() {
  await sodiumReady();
  const started = performance.now();
  const load = await startLoadGenerator();
  const prepared: Prepared[] = [];
  let results: SizeResult[];
  try {
    for (const size of SIZES_LIST) prepared.push(await prepareSize(size));
    results = await measureSizes(load, prepared);
  } finally {
    await load.stop();
    for (const p of prepared) await release(p);
  }
  const markdown = report(results, (performance.now() - started) / 1000);
  publish('scale', markdown, values);
}

await main();
