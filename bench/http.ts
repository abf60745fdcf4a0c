// `npm run bench:http`: throughput and latency of report submission and mailbox fetch, each
// as a ratio to a bare Hono JSON route on the same server, measured in interleaved rounds
// (bare, submit, fetch, bare, …) with the load in a second process; medians of rounds.
// Writes the "http" section of bench/RESULTS.md.
import { parseArgs } from 'node:util';
import { BENCH_CONFIG, challengedSubmissions, MAILBOX_PATH, makeSubmissionBodies, REPORT_PLAINTEXT_BYTES, signedMailboxFetches, submitReportsForMailboxes, withBenchInstance, type BenchInstance } from './instance.js';
import { measuredRun, problems, type LoadJob, type MeasuredRun } from './load.js';
import { fmt, machineLine, median, mib, noteLine, pct, publish } from './report.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'run-seconds': { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    note: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
const RUN_SECONDS = Number(values['run-seconds']);
const CONNECTIONS = Number(values.connections);
const FETCH_MAILBOXES = 64;
// Challenges live 2 minutes: fetching, signing and running must fit well inside that.
const MAX_FETCH_RUN_SECONDS = 60;

type Scenario = 'bare' | 'submit' | 'fetch';
const TARGETS = { submit: 0.5, fetch: 0.6 } as const;

function jobFor(instance: BenchInstance, scenario: Scenario, title: string, amount?: number): LoadJob {
  const base = { title, connections: CONNECTIONS };
  if (scenario === 'bare') return { ...base, url: `${instance.server.url}/bench/bare`, method: 'GET', durationSeconds: RUN_SECONDS };
  if (scenario === 'submit') return { ...base, url: `${instance.server.url}/api/reports`, method: 'POST', headers: { 'content-type': 'application/json' }, amount: amount! };
  return { ...base, url: `${instance.server.url}${MAILBOX_PATH}`, method: 'GET', amount: amount! };
}

const started = performance.now();
await withBenchInstance('parley-bench-', async (instance, load) => {
  const mailboxes = await submitReportsForMailboxes(instance, FETCH_MAILBOXES, REPORT_PLAINTEXT_BYTES);
  const makeBodies = (count: number) => makeSubmissionBodies(instance.config, instance.org, count, REPORT_PLAINTEXT_BYTES);

  // Warm-up round (not counted), which also sizes the runs: amount ≈ rate × run seconds.
  console.log('http: warm-up');
  const warmAmount = 400;
  await measuredRun(instance.server, load, { ...jobFor(instance, 'bare', 'warm bare'), durationSeconds: 2 });
  const warmSubmit = await measuredRun(instance.server, load, jobFor(instance, 'submit', 'warm submit', warmAmount), await challengedSubmissions(instance.api, makeBodies(warmAmount)));
  const warmFetch = await measuredRun(instance.server, load, jobFor(instance, 'fetch', 'warm fetch', warmAmount), await signedMailboxFetches(instance.api, mailboxes, warmAmount));
  const submitAmount = Math.max(200, Math.round(warmSubmit.rps * RUN_SECONDS));
  const fetchAmount = Math.max(200, Math.round(warmFetch.rps * Math.min(RUN_SECONDS, MAX_FETCH_RUN_SECONDS)));

  const buildStart = performance.now();
  const submitBodies = Array.from({ length: ROUNDS }, () => makeBodies(submitAmount));
  const buildSeconds = (performance.now() - buildStart) / 1000;
  console.log(`http: ${ROUNDS} × ${submitAmount} submissions pre-built in ${buildSeconds.toFixed(1)} s; ${fetchAmount} fetches per run`);

  const runs: Record<Scenario, MeasuredRun[]> = { bare: [], submit: [], fetch: [] };
  const prefetchSeconds: number[] = [];
  const timed = async <T>(work: Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work;
    prefetchSeconds.push((performance.now() - start) / 1000);
    return result;
  };
  for (let round = 0; round < ROUNDS; round++) {
    runs.bare.push(await measuredRun(instance.server, load, jobFor(instance, 'bare', `bare ${round + 1}`)));
    const submissions = await timed(challengedSubmissions(instance.api, submitBodies[round]!));
    runs.submit.push(await measuredRun(instance.server, load, jobFor(instance, 'submit', `submit ${round + 1}`, submitAmount), submissions));
    const fetches = await timed(signedMailboxFetches(instance.api, mailboxes, fetchAmount));
    runs.fetch.push(await measuredRun(instance.server, load, jobFor(instance, 'fetch', `fetch ${round + 1}`, fetchAmount), fetches));
    const last = (s: Scenario) => runs[s][round]!;
    console.log(`http: round ${round + 1}/${ROUNDS}: bare ${fmt(last('bare').rps)}/s, submit ${fmt(last('submit').rps)}/s, fetch ${fmt(last('fetch').rps)}/s`);
  }

  const markdown = report(runs, { submitAmount, fetchAmount, buildSeconds, prefetchSeconds: median(prefetchSeconds), totalSeconds: (performance.now() - started) / 1000 });
  publish('http', markdown, values);
});

function report(runs: Record<Scenario, MeasuredRun[]>, info: { submitAmount: number; fetchAmount: number; buildSeconds: number; prefetchSeconds: number; totalSeconds: number }): string {
  const ratio = (s: Scenario) => median(runs[s].map((run, i) => run.rps / runs.bare[i]!.rps));
  const row = (s: Scenario, label: string) => {
    const r = runs[s];
    const trouble = r.map(problems).filter(Boolean);
    return `| ${label} | ${fmt(median(r.map((x) => x.rps)))} | ${s === 'bare' ? '—' : pct(ratio(s))} | ${fmt(median(r.map((x) => x.latencyMs.p50)))} | ${fmt(median(r.map((x) => x.latencyMs.p99)))} | ${fmt(median(r.map((x) => x.cpuMsPerRequest)))} | ${mib(Math.max(...r.map((x) => x.peakRssBytes)))} | ${trouble.length ? trouble.join('; ') : 'none'} |`;
  };
  const verdict = (s: 'submit' | 'fetch') => `${pct(ratio(s))} of bare (target ≥ ${pct(TARGETS[s])}: ${ratio(s) >= TARGETS[s] ? 'met' : 'not met'})`;
  const perRound = (s: Scenario) => runs[s].map((x) => fmt(x.rps)).join(', ');
  return `## HTTP: report submission and mailbox fetch against a bare route

Command: \`npm run bench:http\` (also part of \`npm run bench\`)${noteLine(values.note)}

Machine: ${machineLine()}

Server: the real app (\`createApp\` over a temp better-sqlite3 file opened by \`db/open-node.ts\`: WAL, synchronous=FULL) on \`@hono/node-server\`, in its own process; \`/bench/bare\` is a minimal \`new Hono()\` JSON route served by the same fetch handler. Load: autocannon 8 (programmatic) in a second process on 127.0.0.1, ${CONNECTIONS} connections, no pipelining. ${ROUNDS} rounds of bare → submit → fetch (about ${RUN_SECONDS} s each); figures are medians over rounds, ratios are the median of each round's ratio to that round's bare run. Latency is per response, from autocannon's own per-request timing.

- **submit**: \`POST /api/reports\`, ${info.submitAmount} per run, each a distinct valid submission built beforehand with the real client code (\`deriveKeysForInstance\` with a 1-pass 8 KiB Argon2id for distinct key pairs, \`buildReportSubmission\`): fresh case id, message id, locator and key pair; a ${REPORT_PLAINTEXT_BYTES}-byte report padded to the 4,096 bucket (4,137-byte envelope). Building them took ${fmt(info.buildSeconds)} s, outside the timed runs. Like the real client, each carries its own fresh challenge (the server spends it), fetched just before the run, so **the timed request is the POST alone**.
- **fetch**: \`GET /api/mailbox\` over ${FETCH_MAILBOXES} mailboxes (each holds its 4 KiB report; the answer is padded to 16 KiB), ${info.fetchAmount} per run. Every request carries its own single-use challenge, fetched (\`POST /api/mailbox/challenge\`) and signed with the mailbox key just before the run, so **the timed request is the GET alone**. (Fetching a run's challenges took a median ${fmt(info.prefetchSeconds)} s; they live 2 min.)
- Server settings are production ones (proof of work ${BENCH_CONFIG.workBits ? `${BENCH_CONFIG.workBits} bits, solved beforehand` : 'off: its server side is one SHA-256 per request, see bench/instance.ts'}) except the client-only mailbox KDF and the intake cap (production refuses beyond 8 × 600 new reports a minute, i.e. 80/s; raised here so the run measures capacity).
- Server CPU is \`process.cpuUsage()\` (user + system) across the run divided by requests; peak RSS is the highest RSS sampled every 50 ms during any run of that kind.

| route | req/s | vs bare | p50 ms | p99 ms | server CPU ms/req | peak RSS MiB | non-2xx / errors |
|---|---|---|---|---|---|---|---|
${row('bare', 'bare Hono JSON')}
${row('submit', 'submit report (4 KiB)')}
${row('fetch', 'mailbox fetch (GET)')}

Targets: submission ${verdict('submit')}; fetch ${verdict('fetch')}.

Per-round req/s — bare: ${perRound('bare')}; submit: ${perRound('submit')}; fetch: ${perRound('fetch')}. Whole command: ${fmt(info.totalSeconds)} s.`;
}

