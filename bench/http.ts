// `npm run bench:http`: throughput and latency of report submission and mailbox fetch, each
// as a ratio to the limit probe (bench/limit.ts: the same stack doing only the route's
// irreducible work) and to a bare Hono JSON route on the same server, measured in interleaved
// rounds (bare, limit, Parley, …) with the load in a second process; medians of rounds.
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

type Scenario = 'bare' | 'limitSubmit' | 'submit' | 'limitGrouped' | 'limitFetch' | 'fetch';
/** Each round runs these in this order; a route's limit runs just before it. */
const ORDER: readonly Scenario[] = ['bare', 'limitSubmit', 'submit', 'limitGrouped', 'limitFetch', 'fetch'];
const SUBMITS: readonly Scenario[] = ['limitSubmit', 'submit', 'limitGrouped'];
const PATHS: Record<Exclude<Scenario, 'bare'>, string> = {
  limitSubmit: '/bench/limit/reports',
  submit: '/api/reports',
  limitGrouped: '/bench/limit/reports-grouped',
  limitFetch: '/bench/limit/mailbox',
  fetch: MAILBOX_PATH,
};
/** Issue 16: submission ≥ 90 % of the one-commit limit (and ≥ 1.3× it with group commit); fetch ≥ 70 % of its limit. */
const TARGETS = { submit: 0.9, submitGrouped: 1.3, fetch: 0.7 } as const;

function jobFor(instance: BenchInstance, scenario: Scenario, title: string, amount?: number): LoadJob {
  const base = { title, connections: CONNECTIONS };
  if (scenario === 'bare') return { ...base, url: `${instance.server.url}/bench/bare`, method: 'GET', durationSeconds: RUN_SECONDS };
  const url = `${instance.server.url}${PATHS[scenario]}`;
  if (SUBMITS.includes(scenario)) return { ...base, url, method: 'POST', headers: { 'content-type': 'application/json' }, amount: amount! };
  return { ...base, url, method: 'GET', amount: amount! };
}

const started = performance.now();
await withBenchInstance('parley-bench-', async (instance, load) => {
  const mailboxes = await submitReportsForMailboxes(instance, FETCH_MAILBOXES, REPORT_PLAINTEXT_BYTES);
  const makeBodies = (count: number) => makeSubmissionBodies(instance.config, instance.org, count, REPORT_PLAINTEXT_BYTES);
  let buildSeconds = 0;
  const prefetchSeconds: number[] = [];
  const timed = async <T>(work: () => T | Promise<T>, into: (seconds: number) => void): Promise<T> => {
    const start = performance.now();
    const result = await work();
    into((performance.now() - start) / 1000);
    return result;
  };
  /** The requests of one run, made just before it (outside the timed run). */
  const variantsFor = async (scenario: Scenario, amount: number) => {
    if (scenario === 'bare') return undefined;
    if (SUBMITS.includes(scenario)) {
      const bodies = await timed(() => makeBodies(amount), (s) => (buildSeconds += s));
      return timed(() => challengedSubmissions(instance.api, bodies), (s) => prefetchSeconds.push(s));
    }
    return timed(() => signedMailboxFetches(instance.api, mailboxes, amount), (s) => prefetchSeconds.push(s));
  };

  // Warm-up round (not counted), which also sizes the runs: amount ≈ rate × run seconds.
  console.log('http: warm-up');
  const warmAmount = 400;
  const amounts = {} as Record<Scenario, number>;
  for (const scenario of ORDER) {
    const warm = await measuredRun(instance.server, load, scenario === 'bare' ? { ...jobFor(instance, 'bare', 'warm bare'), durationSeconds: 2 } : jobFor(instance, scenario, `warm ${scenario}`, warmAmount), await variantsFor(scenario, warmAmount));
    const seconds = SUBMITS.includes(scenario) ? RUN_SECONDS : Math.min(RUN_SECONDS, MAX_FETCH_RUN_SECONDS);
    amounts[scenario] = Math.max(200, Math.round(warm.rps * seconds));
  }
  console.log(`http: per run ${ORDER.filter((s) => s !== 'bare').map((s) => `${s} ${amounts[s]}`).join(', ')}`);

  const runs = Object.fromEntries(ORDER.map((s) => [s, [] as MeasuredRun[]])) as Record<Scenario, MeasuredRun[]>;
  const commits: Record<CommitScenario, CommitTime[]> = { limitSubmit: [], limitGrouped: [] };
  const commitTime = async (): Promise<CommitTime> => (await fetch(`${instance.server.url}/bench/limit/commit-time`)).json() as Promise<CommitTime>;
  for (let round = 0; round < ROUNDS; round++) {
    for (const scenario of ORDER) {
      const variants = await variantsFor(scenario, amounts[scenario]);
      await commitTime();
      runs[scenario].push(await measuredRun(instance.server, load, jobFor(instance, scenario, `${scenario} ${round + 1}`, amounts[scenario]), variants));
      if (scenario === 'limitSubmit' || scenario === 'limitGrouped') commits[scenario].push(await commitTime());
    }
    console.log(`http: round ${round + 1}/${ROUNDS}: ${ORDER.map((s) => `${s} ${fmt(runs[s][round]!.rps)}/s`).join(', ')}`);
  }

  const markdown = report(runs, commits, { amounts, buildSeconds, prefetchSeconds: median(prefetchSeconds), totalSeconds: (performance.now() - started) / 1000 });
  publish('http', markdown, values);
});

type CommitScenario = 'limitSubmit' | 'limitGrouped';
/** The limit probe's wall time in COMMITs during one run, and the writes it covered. */
type CommitTime = { ms: number; writes: number; commits: number };

/**
 * What group commit can do on this machine, estimated per round from the COMMITs' time alone. A
 * request of the one-commit limit takes T = 1/rate of the server's thread, c of it in its COMMIT
 * (the inserts, the WAL write, the fsync). Sharing COMMITs turns c into g, a write's share of a
 * shared COMMIT: about T/(T − c + g) at the group sizes the load made, and T/(T − c) for a COMMIT
 * that cost nothing. Not a bound: a grouped request may get cheaper elsewhere too.
 */
function groupCommitEstimate(runs: Record<Scenario, MeasuredRun[]>, commits: Record<CommitScenario, CommitTime[]>) {
  const perWrite = (time: CommitTime) => time.ms / time.writes;
  const rounds = runs.limitSubmit.map((run, i) => {
    const requestMs = 1000 / run.rps;
    const oneMs = perWrite(commits.limitSubmit[i]!);
    const grouped = commits.limitGrouped[i]!;
    const groupedMs = perWrite(grouped);
    return { requestMs, oneMs, groupedMs, writesPerCommit: grouped.writes / grouped.commits, estimate: requestMs / (requestMs - oneMs + groupedMs), freeCommit: requestMs / (requestMs - oneMs) };
  });
  const of = (key: keyof (typeof rounds)[number]) => median(rounds.map((round) => round[key]));
  return { requestMs: of('requestMs'), oneMs: of('oneMs'), groupedMs: of('groupedMs'), writesPerCommit: of('writesPerCommit'), estimate: of('estimate'), freeCommit: of('freeCommit') };
}

function report(runs: Record<Scenario, MeasuredRun[]>, commits: Record<CommitScenario, CommitTime[]>, info: { amounts: Record<Scenario, number>; buildSeconds: number; prefetchSeconds: number; totalSeconds: number }): string {
  /** The median over rounds of each round's ratio of a to b (each round's runs are minutes apart at most). */
  const ratio = (a: Scenario, b: Scenario) => median(runs[a].map((run, i) => run.rps / runs[b][i]!.rps));
  const versus: Partial<Record<Scenario, Scenario>> = { submit: 'limitSubmit', limitGrouped: 'limitSubmit', fetch: 'limitFetch' };
  const row = (s: Scenario, label: string) => {
    const r = runs[s];
    const trouble = r.map(problems).filter(Boolean);
    const limit = versus[s];
    return `| ${label} | ${fmt(median(r.map((x) => x.rps)))} | ${limit ? pct(ratio(s, limit)) : '—'} | ${s === 'bare' ? '—' : pct(ratio(s, 'bare'))} | ${fmt(median(r.map((x) => x.latencyMs.p50)))} | ${fmt(median(r.map((x) => x.latencyMs.p99)))} | ${fmt(median(r.map((x) => x.cpuMsPerRequest)))} | ${mib(Math.max(...r.map((x) => x.peakRssBytes)))} | ${trouble.length ? trouble.join('; ') : 'none'} |`;
  };
  const verdict = (value: number, target: number) => `**${pct(value)}** (target ≥ ${pct(target)}: ${value >= target ? 'met' : 'not met'})`;
  const perRound = (s: Scenario) => runs[s].map((x) => fmt(x.rps)).join(', ');
  const sharing = groupCommitEstimate(runs, commits);
  return `## HTTP: report submission and mailbox fetch against the stack's limit

Command: \`npm run bench:http\` (also part of \`npm run bench\`)${noteLine(values.note)}

Machine: ${machineLine()}

Server: the real app (\`createApp\` over a temp better-sqlite3 file opened by \`db/open-node.ts\`: WAL, synchronous=FULL) on \`@hono/node-server\`, in its own process. Beside it, on the same server, fetch handler and database connection: \`/bench/bare\`, a minimal \`new Hono()\` JSON route, and the **limit probe** (\`bench/limit.ts\`): each hot route's irreducible work done directly with \`node:crypto\` and prepared better-sqlite3 statements — for a submission, read and parse the body, check the challenge's MAC, one Ed25519 verify per signature the route checks (3), the two hashes stored, and **one durable commit** of the same five rows (spent challenge, case, mailbox, organisation case key, message 1); the *grouped* limit is the same with the commits of one event-loop turn sharing one transaction (one fsync, each answer still after its commit); for a fetch, the challenge's MAC, the proof's Ed25519 verify, the same reads (mailbox, case, thread, organisation keys) and the same 16 KiB padded answer, and no write. Load: autocannon 8 (programmatic) in a second process on 127.0.0.1, ${CONNECTIONS} connections, no pipelining. ${ROUNDS} interleaved rounds of ${ORDER.join(' → ')} (about ${RUN_SECONDS} s each); figures are medians over rounds, and each ratio is the median of that round's ratio. Latency is per response, from autocannon's own per-request timing.

- **submissions** (Parley and both limits): ${info.amounts.submit} (Parley) / ${info.amounts.limitSubmit} / ${info.amounts.limitGrouped} (limits) per run, each a distinct valid submission built just before its run with the real client code (\`deriveKeysForInstance\` with a 1-pass 8 KiB Argon2id for distinct key pairs, \`buildReportSubmission\`): fresh case id, message id, locator and key pair; a ${REPORT_PLAINTEXT_BYTES}-byte report padded to the 4,096 bucket (4,137-byte envelope). Building them took ${fmt(info.buildSeconds)} s in all, outside the timed runs. Like the real client, each carries its own fresh challenge (spent by the request), fetched just before the run, so **the timed request is the POST alone**.
- **fetches**: \`GET /api/mailbox\` over ${FETCH_MAILBOXES} mailboxes (each holds its 4 KiB report; the answer is padded to 16 KiB), ${info.amounts.fetch} (Parley) / ${info.amounts.limitFetch} (limit) per run. Every request carries its own single-use challenge, fetched (\`POST /api/mailbox/challenge\`) and signed with the mailbox key just before the run, so **the timed request is the GET alone**. (Fetching a run's challenges took a median ${fmt(info.prefetchSeconds)} s; they live 2 min.)
- Server settings are production ones (proof of work ${BENCH_CONFIG.workBits ? `${BENCH_CONFIG.workBits} bits, solved beforehand` : 'off: its server side is one SHA-256 per request, see bench/instance.ts'}) except the client-only mailbox KDF and the intake cap (production refuses beyond 8 × 600 new reports a minute, i.e. 80/s; raised here so the run measures capacity).
- Server CPU is \`process.cpuUsage()\` (user + system) across the run divided by requests; peak RSS is the highest RSS sampled every 50 ms during any run of that kind.

| route | req/s | vs its limit | vs bare | p50 ms | p99 ms | server CPU ms/req | peak RSS MiB | non-2xx / errors |
|---|---|---|---|---|---|---|---|---|
${row('bare', 'bare Hono JSON')}
${row('limitSubmit', 'limit: submission, one commit each')}
${row('limitGrouped', 'limit: submission, group commit')}
${row('submit', 'Parley: submit report (4 KiB)')}
${row('limitFetch', 'limit: mailbox fetch')}
${row('fetch', 'Parley: mailbox fetch (GET)')}

Targets (issue 16): submission ${verdict(ratio('submit', 'limitSubmit'), TARGETS.submit)} of the one-commit limit, and with group commit ${verdict(ratio('submit', 'limitSubmit'), TARGETS.submitGrouped)} of it; fetch ${verdict(ratio('fetch', 'limitFetch'), TARGETS.fetch)} of its limit. The grouped limit is ${pct(ratio('limitGrouped', 'limitSubmit'))} of the one-commit limit.

**What sharing COMMITs can give here.** The probe times its own COMMITs (wall time: the inserts, the WAL write and its fsync). At the one-commit limit's rate a request has T = ${fmt(sharing.requestMs)} ms of the server's thread, c = ${fmt(sharing.oneMs)} ms of it in its COMMIT (${pct(sharing.oneMs / sharing.requestMs)}); with group commit a write's share of a shared COMMIT was g = ${fmt(sharing.groupedMs)} ms (${fmt(sharing.writesPerCommit)} writes a COMMIT; Parley's own group commit, which waits while each turn of the event loop brings more writes, made ${fmt(median(runs.submit.map((run) => run.writesPerCommit)))}). If the thread is the bottleneck and nothing else changes, sharing COMMITs raises the rate to about T ÷ (T − c + g) = **${pct(sharing.estimate)}** at the group sizes this load made, and a COMMIT that cost nothing at all to T ÷ (T − c) = **${pct(sharing.freeCommit)}** (medians of rounds). ${sharing.freeCommit < TARGETS.submitGrouped ? `Even that is under the ${pct(TARGETS.submitGrouped)} target: here a durable commit is too small a part of a submission for sharing it alone to reach the target.` : `The ${pct(TARGETS.submitGrouped)} target is within what cheaper COMMITs could give here.`} An estimate from the COMMITs' time alone, not a bound: a grouped request may get cheaper elsewhere too.

Per-round req/s — ${ORDER.map((s) => `${s}: ${perRound(s)}`).join('; ')}. Whole command: ${fmt(info.totalSeconds)} s.`;
}
