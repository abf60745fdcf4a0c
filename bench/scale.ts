// `npm run bench:scale [-- --sizes 1k,100k,1m]`: mailbox fetch latency as the database
// grows. For each size: seed that many reports straight into SQLite, start the bench server
// over the file, and time signed GET /api/mailbox requests against mailboxes spread through
// it; medians of runs. Writes the "scale" section of bench/RESULTS.md.
import { parseArgs } from 'node:util';
import { bytesToB64, randomBytes, sodiumReady, PROTOCOL_VERSION } from '../web/protocol/index.js';
import type { VerifiedConfig as InstanceConfig } from '../web/client/reporter.js';
import type { SubmitReportBody } from '../web/client/wire-types.js';
import type { MailboxKeys } from '../web/protocol/index.js';
import { BENCH_KDF, createBenchDatabase, MAILBOX_PATH, makeSubmission, reportOfSize, signedMailboxFetches, startBenchInstance } from './instance.js';
import { measuredRun, problems, startLoadGenerator, type LoadGenerator, type MeasuredRun } from './load.js';
import { fmt, machineLine, median, mib, noteLine, publish } from './report.js';
import { seedReports } from './seed.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1k,100k,1m' },
    runs: { type: 'string', default: '5' },
    'run-seconds': { type: 'string', default: '4' },
    connections: { type: 'string', default: '1' },
    known: { type: 'string', default: '1000' },
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
const P99_TARGET = 1.5;

interface SizeResult {
  size: number;
  seedSeconds: number;
  fileBytes: number;
  runs: MeasuredRun[];
}

async function measureSize(load: LoadGenerator, size: number): Promise<SizeResult> {
  const db = await createBenchDatabase('parley-scale-');
  try {
    // The known mailboxes: real client submissions, their keys kept to sign fetches.
    const config: InstanceConfig = { protocolVersion: PROTOCOL_VERSION, mailboxKdf: { salt: bytesToB64(randomBytes(16)), ...BENCH_KDF }, organisations: [db.org], unverifiable: [] };
    const known: { keys: MailboxKeys; body: SubmitReportBody }[] = Array.from({ length: Math.min(KNOWN, size) }, () => makeSubmission(config, db.org, KNOWN_REPORT));
    console.log(`scale: seeding ${label(size)} reports`);
    let lastLog = performance.now();
    const seeded = seedReports(db.dbPath, {
      orgId: db.orgId, keyVersion: db.org.keyVersion, count: size, known: known.map((k) => k.body),
      onProgress: (done) => {
        if (performance.now() - lastLog > 15_000) {
          lastLog = performance.now();
          console.log(`scale:   ${label(done)} of ${label(size)}`);
        }
      },
    });
    console.log(`scale: ${label(size)} seeded in ${seeded.seconds.toFixed(1)} s, ${mib(seeded.fileBytes)} MiB`);

    const instance = await startBenchInstance(db);
    try {
      const mailboxes = known.map((k) => k.keys);
      const job = (amount: number, title: string) => ({ title, url: `${instance.server.url}${MAILBOX_PATH}`, method: 'GET' as const, connections: CONNECTIONS, amount });
      const warm = await measuredRun(instance.server, load, job(300, 'warm'), await signedMailboxFetches(instance.api, mailboxes, 300));
      // Sized from the warm-up; capped so fetching, signing and running fit in the 2-minute challenge life.
      const amount = Math.max(200, Math.min(Math.round(warm.rps * RUN_SECONDS), Math.round(warm.rps * 60)));
      const runs: MeasuredRun[] = [];
      for (let r = 0; r < RUNS; r++) {
        const variants = await signedMailboxFetches(instance.api, mailboxes, amount);
        runs.push(await measuredRun(instance.server, load, job(amount, `fetch ${label(size)} #${r + 1}`), variants));
        console.log(`scale: ${label(size)} run ${r + 1}/${RUNS}: p50 ${fmt(runs.at(-1)!.latencyMs.p50)} ms, p99 ${fmt(runs.at(-1)!.latencyMs.p99)} ms, ${fmt(runs.at(-1)!.rps)}/s`);
      }
      return { size, seedSeconds: seeded.seconds, fileBytes: seeded.fileBytes, runs };
    } finally {
      await instance.server.kill();
    }
  } finally {
    db.remove();
  }
}

function report(results: SizeResult[], totalSeconds: number): string {
  const p99 = (r: SizeResult) => median(r.runs.map((x) => x.latencyMs.p99));
  const rows = results.map((r) => {
    const trouble = r.runs.map(problems).filter(Boolean);
    return `| ${label(r.size)} | ${fmt(r.seedSeconds)} s | ${mib(r.fileBytes)} MiB | ${fmt(median(r.runs.map((x) => x.latencyMs.p50)))} | ${fmt(p99(r))} | ${fmt(median(r.runs.map((x) => x.rps)))} | ${fmt(median(r.runs.map((x) => x.cpuMsPerRequest)))} | ${trouble.length ? trouble.join('; ') : 'none'} |`;
  });
  const smallest = results[0]!;
  const largest = results.at(-1)!;
  const ratio = p99(largest) / p99(smallest);
  const targetLine =
    results.length > 1
      ? `Target: fetch p99 at 1M within ${P99_TARGET}× of p99 at 1k. Here p99 at ${label(largest.size)} is ${ratio.toFixed(2)}× p99 at ${label(smallest.size)} (${ratio <= P99_TARGET ? 'within' : 'outside'} ${P99_TARGET}×)${largest.size < 1e6 || smallest.size > 1e3 ? `; note the sizes measured were ${results.map((r) => label(r.size)).join(', ')}, not 1k and 1M` : ''}.`
      : 'Target: fetch p99 at 1M within 1.5× of p99 at 1k — only one size was measured, so no ratio.';
  return `## Scale: mailbox fetch latency against stored reports

Command: \`npm run bench:scale -- --sizes ${values.sizes}\` (also part of \`npm run bench\`)${noteLine(values.note)}

Machine: ${machineLine()}

For each size a fresh database is seeded directly with prepared statements in 20,000-report transactions (journal in memory and no fsync while seeding; the server then opens it as \`npm start\` does: WAL, synchronous=FULL). Each report is four rows as the server stores them — case, organisation case key, mailbox, and first message with a 1 KiB-bucket envelope (1,065 bytes) — with random ids, keys and ciphertext of the real lengths; ${KNOWN} of them (fewer if the size is smaller) are real client submissions spread evenly through the file, and the requests cycle over those mailboxes. Each request is a \`GET /api/mailbox\` with its own single-use challenge, fetched and signed just before its run, so the timed request is the GET alone. ${CONNECTIONS} connection(s), closed loop (latency is service time, not queueing); ${RUNS} runs of about ${RUN_SECONDS} s per size, medians. The file fits in this machine's page cache, so this measures B-tree depth and SQLite's page cache, not disk reads. Seeding time includes generating the random rows.

| reports | seeding | DB file | p50 ms | p99 ms | fetches/s | server CPU ms/req | non-2xx / errors |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${targetLine}

Whole command: ${fmt(totalSeconds)} s.`;
}

async function main() {
  await sodiumReady();
  const started = performance.now();
  const load = await startLoadGenerator();
  const results: SizeResult[] = [];
  try {
    for (const size of SIZES_LIST) results.push(await measureSize(load, size));
  } finally {
    await load.stop();
  }
  const markdown = report(results, (performance.now() - started) / 1000);
  publish('scale', markdown, values);
}

await main();
