// `npm run bench:junk`: what requests that have not paid their proof of work ("junk",
// junk-requests.ts) cost the server (issue 11): CPU and durable writes per request of each
// kind, database growth over a 30 s flood, and a legitimate client's p99 during floods against
// quiet, side by side. The server is `npm start`'s entry point in its own process with
// production settings; the flood comes from the load generator (load-worker.ts) in a second
// one, every junk request made as it is sent. Writes the "junk" section of bench/RESULTS.md.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openLocalApp } from '../scripts/lib/local-app.js';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process.js';
import { ApiClient, type Fetch } from '../web/client/api.js';
import { fetchInstanceConfig, openMailbox, submitReport } from '../web/client/reporter.js';
import { bytesToB64, sodiumReady, type MailboxKeys } from '../web/protocol/index.js';
import { PRODUCTION_CONFIG } from '../worker/config-vars.js';
import { hmacSha256, sha256 } from '../worker/server-crypto.js';
import { CHALLENGE_PATH, createBenchDatabase, makeSubmission, reportOfSize, REPORT_PLAINTEXT_BYTES, type BenchDatabase } from './instance.js';
import { JUNK, junkRequest, OVERSIZED_BODY_BYTES, type Challenges, type JunkKind } from './junk-requests.js';
import { startLoadGenerator, type LoadGenerator, type LoadResult } from './load.js';
import { fmt, machineInfo, machineLine, median, noteLine, percentile, procCpuMs, publish } from './report.js';

const { values } = parseArgs({
  options: {
    'flood-seconds': { type: 'string', default: '30' },
    'window-seconds': { type: 'string', default: '4' },
    repetitions: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8' },
    'in-process-requests': { type: 'string', default: '1500' },
    note: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const FLOOD_SECONDS = Number(values['flood-seconds']);
const WINDOW_SECONDS = Number(values['window-seconds']);
const REPETITIONS = Number(values.repetitions);
const CONNECTIONS = Number(values.connections);
const IN_PROCESS_REQUESTS = Number(values['in-process-requests']);
/** Short CPU-only floods for the two reference kinds. */
const REFERENCE_FLOOD_SECONDS = 8;
const TARGET_CPU_MS = 0.3;
const CHALLENGE_POOL = 64;
const IN_PROCESS_BATCH = 250;
/** In-process figures are medians of this many interleaved rounds: the machine is noisy. */
const IN_PROCESS_ROUNDS = 3;

const FLOODED_KINDS = (Object.keys(JUNK) as JunkKind[]).filter((k) => !JUNK[k].reference);
const REFERENCE_KINDS = (Object.keys(JUNK) as JunkKind[]).filter((k) => JUNK[k].reference);

/** One flood's figures: every response counted, whatever its status. */
interface FloodResult {
  responses: number;
  errors: number;
  seconds: number;
  statusCounts: Record<string, number>;
}

const floodResult = (r: LoadResult): FloodResult => ({ responses: r.ok + r.non2xx, errors: r.errors, seconds: r.seconds, statusCounts: r.statusCounts });

// ---------------------------------------------------------------------------------------------
// What the server did: its CPU time and I/O (/proc), and the database as another reader sees it.

const WAL_FRAME_HEADER_BYTES = 24;

/** Bytes the server caused to be written to storage (/proc/<pid>/io write_bytes). */
const procWriteBytes = (pid: number) => Number(/^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? Number.NaN);
const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/** From the -shm wal-index header (sqlite3 wal.c, WalIndexHdr, native byte order: iVersion, unused, iChange, flags, szPage, mxFrame): commits (iChange, one per write transaction) and WAL frames (mxFrame). */
function walIndexHeader(dbPath: string): { commits: number; frames: number } {
  if (!existsSync(`${dbPath}-shm`)) return { commits: 0, frames: 0 };
  const header = readFileSync(`${dbPath}-shm`).subarray(0, 24);
  const at = (offset: number) => (endianness() === 'LE' ? header.readUInt32LE(offset) : header.readUInt32BE(offset));
  return { commits: at(8), frames: at(16) };
}

class DatabaseWatch {
  private readonly reader: Database.Database;
  private readonly tables: string[];
  readonly pageSize: number;

  constructor(private readonly dbPath: string, private readonly pid?: number) {
    this.reader = new Database(dbPath, { readonly: true, fileMustExist: true });
    this.pageSize = this.reader.pragma('page_size', { simple: true }) as number;
    this.tables = (this.reader.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  }

  /** The server's CPU (ms) and writes, row counts, file sizes, wal-index counters, and PRAGMA data_version on our own connection (it changes when any other connection commits). */
  snapshot() {
    const rows: Record<string, number> = {};
    for (const table of this.tables) rows[table] = (this.reader.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    const wal = walIndexHeader(this.dbPath);
    return {
      atMs: performance.now(),
      cpuMs: this.pid ? procCpuMs(this.pid) : Number.NaN,
      writeBytes: this.pid ? procWriteBytes(this.pid) : Number.NaN,
      rows,
      dbBytes: fileSize(this.dbPath),
      walBytes: fileSize(`${this.dbPath}-wal`),
      walCommits: wal.commits,
      walFrames: wal.frames,
      dataVersion: this.reader.pragma('data_version', { simple: true }) as number,
    };
  }

  close(): void {
    this.reader.close();
  }
}

interface Writes {
  rows: number;
  rowsByTable: Record<string, number>;
  commits: number;
  walFrames: number;
  writeBytes: number;
  growthBytes: number;
  anyCommit: boolean;
}

type Snapshot = ReturnType<DatabaseWatch['snapshot']>;

function writesBetween(before: Snapshot, after: Snapshot): Writes {
  const rowsByTable: Record<string, number> = {};
  for (const [table, n] of Object.entries(after.rows)) if (n !== before.rows[table]) rowsByTable[table] = n - (before.rows[table] ?? 0);
  return {
    rows: Object.values(rowsByTable).reduce((a, b) => a + b, 0),
    rowsByTable,
    commits: after.walCommits - before.walCommits,
    walFrames: after.walFrames - before.walFrames,
    writeBytes: after.writeBytes - before.writeBytes,
    growthBytes: after.dbBytes + after.walBytes - (before.dbBytes + before.walBytes),
    anyCommit: after.dataVersion !== before.dataVersion,
  };
}

// ---------------------------------------------------------------------------------------------
// The legitimate client: the real reporter code, each request timed to its last byte.

/** The client, its mailbox, and where its timed fetch puts each request's latency (ms; emptied per window). */
interface Legit {
  api: ApiClient;
  keys: MailboxKeys;
  sink: { samples: number[] };
}

function timedFetch(sink: Legit['sink']): Fetch {
  return async (input, init) => {
    const start = performance.now();
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    sink.samples.push(performance.now() - start);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

interface LegitWindow {
  p50: number;
  p99: number;
  requests: number;
  visits: number;
  /** Config fetch + mailbox open (challenge, work, signed GET) completed per second. */
  visitsPerSecond: number;
  failures: number;
}

/** As many visits as fit: the instance config, then the mailbox opened with fresh, real work. */
async function legitWindow(legit: Legit, seconds: number): Promise<LegitWindow> {
  legit.sink.samples = [];
  let visits = 0;
  let failures = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    try {
      await fetchInstanceConfig(legit.api);
      await openMailbox(legit.api, legit.keys);
      visits++;
    } catch {
      failures++;
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  const samples = legit.sink.samples;
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), requests: samples.length, visits, visitsPerSecond: visits / elapsed, failures };
}

// ---------------------------------------------------------------------------------------------
// The run.

interface KindResult {
  kind: JunkKind;
  flood: FloodResult;
  cpuMsPerRequest: number;
  writes: Writes;
  quiet: LegitWindow[];
  flooded: LegitWindow[];
  windowFloodRps: number[];
}

function challengesFrom(answers: { challenge: string; workBits: number }[]): Challenges {
  return { b64: answers.map((a) => a.challenge), workBits: Math.max(...answers.map((a) => a.workBits)) };
}

async function freshChallenges(url: string, count = CHALLENGE_POOL): Promise<Challenges> {
  return challengesFrom(await Promise.all(Array.from({ length: count }, async () => (await (await fetch(`${url}${CHALLENGE_PATH}`, { method: 'POST' })).json()) as { challenge: string; workBits: number })));
}

interface InProcessCost {
  cpuUs: number;
  rows: number;
  commits: number;
}

/**
 * Parley's own cost without Node's HTTP stack: the same junk through `app.request()`, in this
 * process. Bodies carry a content-length, as over HTTP; one more run of the big report body
 * without it shows what a chunked body costs (hono's bodyLimit then reads it all to count it).
 */
async function inProcessCosts(kinds: JunkKind[]): Promise<{ costs: Record<string, InProcessCost>; unsizedReport: InProcessCost }> {
  const t = openLocalApp(PRODUCTION_CONFIG);
  const watch = new DatabaseWatch(t.dbPath);
  try {
    const challengeResponse = async () => (await (await t.app.request(`http://parley.test${CHALLENGE_PATH}`, { method: 'POST' })).json()) as { challenge: string; workBits: number };
    const challenges = challengesFrom(await Promise.all(Array.from({ length: CHALLENGE_POOL }, challengeResponse)));
    const measure = async (kind: JunkKind, sized: boolean): Promise<InProcessCost> => {
      const spec = JUNK[kind];
      const url = `http://parley.test${spec.path}`;
      // Built before the clock starts, a batch at a time (a 127 KiB body is copied into each).
      const batch = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => {
          const { headers, body } = junkRequest(kind, challenges, from + i);
          if (body === undefined) return new Request(url, { method: spec.method, headers });
          const bytes = Buffer.from(body);
          return new Request(url, { method: spec.method, headers: sized ? { ...headers, 'content-length': String(bytes.length) } : headers, body: bytes });
        });
      for (const request of batch(0, 200)) await t.app.request(request); // warm-up
      const before = watch.snapshot();
      let cpuMicros = 0;
      for (let done = 0; done < IN_PROCESS_REQUESTS; done += IN_PROCESS_BATCH) {
        const requests = batch(done, Math.min(IN_PROCESS_BATCH, IN_PROCESS_REQUESTS - done));
        const cpu = process.cpuUsage();
        for (const request of requests) await t.app.request(request);
        const used = process.cpuUsage(cpu);
        cpuMicros += used.user + used.system;
      }
      const writes = writesBetween(before, watch.snapshot());
      return { cpuUs: cpuMicros / IN_PROCESS_REQUESTS, rows: writes.rows, commits: writes.commits };
    };
    const rounds: Record<string, InProcessCost[]> = {};
    for (let round = 0; round < IN_PROCESS_ROUNDS; round++) {
      for (const kind of kinds) (rounds[kind] ??= []).push(await measure(kind, true));
      (rounds.unsized ??= []).push(await measure('report-unpaid', false));
    }
    const medianCost = (costs: InProcessCost[]): InProcessCost => ({ cpuUs: median(costs.map((c) => c.cpuUs)), rows: Math.max(...costs.map((c) => c.rows)), commits: Math.max(...costs.map((c) => c.commits)) });
    const { unsized, ...byKind } = rounds;
    return { costs: Object.fromEntries(Object.entries(byKind).map(([kind, costs]) => [kind, medianCost(costs)])), unsizedReport: medianCost(unsized!) };
  } finally {
    watch.close();
    t.close();
  }
}

/** CPU µs of the server's own WebCrypto calls (worker/server-crypto.ts), one at a time, as a request makes them. */
async function webCryptoCosts(): Promise<{ hmacUs: number; sha256Us: number }> {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const message = crypto.getRandomValues(new Uint8Array(48));
  const cpuPerCall = async (call: () => Promise<unknown>, n = 2000) => {
    for (let i = 0; i < 200; i++) await call();
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) await call();
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / n;
  };
  const hmac: number[] = [];
  const digest: number[] = [];
  for (let round = 0; round < IN_PROCESS_ROUNDS; round++) {
    hmac.push(await cpuPerCall(() => hmacSha256(key, message)));
    digest.push(await cpuPerCall(() => sha256(message)));
  }
  return { hmacUs: median(hmac), sha256Us: median(digest) };
}

async function main() {
  await sodiumReady();
  const started = performance.now();
  const machine = machineLine();
  let db: BenchDatabase | undefined;
  let server: ServerProcess | undefined;
  let load: LoadGenerator | undefined;
  let watch: DatabaseWatch | undefined;
  try {
    console.log('junk: Parley in-process costs (app.request)');
    const { costs: inProcess, unsizedReport } = await inProcessCosts([...FLOODED_KINDS, ...REFERENCE_KINDS]);
    const webCrypto = await webCryptoCosts();

    db = await createBenchDatabase('parley-junk-');
    // Production settings: nothing PARLEY_* set but where to listen, the database and its secret.
    server = await startServerProcess(db.dbPath, { PARLEY_SERVER_SECRET: bytesToB64(db.serverSecret) });
    const { url, pid } = server;
    console.log(`junk: server ${url} (pid ${pid}, database in ${db.dir})`);

    const sink = { samples: [] as number[] };
    const api = new ApiClient(url, timedFetch(sink));
    const config = await fetchInstanceConfig(api);
    const org = config.organisations[0];
    if (!org) throw new Error('junk: the bench organisation is missing from /api/config');
    // One real mailbox, its keys derived at the instance's production Argon2id cost.
    const made = makeSubmission(config, org, reportOfSize(REPORT_PLAINTEXT_BYTES));
    await submitReport(api, made.body);
    const legit: Legit = { api, keys: made.keys, sink };

    const flooder = (load = await startLoadGenerator());
    const workBits = (await freshChallenges(url, 1)).workBits;
    /** Fetched before a flood's measurements start: challenges live 2 minutes. */
    const challengesFor = async (kind: JunkKind): Promise<Challenges> => (JUNK[kind].realChallenge ? freshChallenges(url) : { b64: [], workBits: 0 });
    const runFlood = async (kind: JunkKind, seconds: number, challenges: Challenges): Promise<FloodResult> =>
      floodResult(await flooder.run({ title: `junk ${kind}`, url: url + JUNK[kind].path, method: JUNK[kind].method, connections: CONNECTIONS, durationSeconds: seconds, junk: { kind, challenges } }));

    watch = new DatabaseWatch(db.dbPath, pid);
    console.log('junk: warm-up (1 s of each kind, legitimate client 2 s)');
    for (const kind of [...FLOODED_KINDS, ...REFERENCE_KINDS]) await runFlood(kind, 1, await challengesFor(kind));
    await legitWindow(legit, 2);

    const idleSeconds = 3;
    const idleBefore = watch.snapshot();
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const idle = watch.snapshot();
    const idleCpuMsPerMs = (idle.cpuMs - idleBefore.cpuMs) / (idle.atMs - idleBefore.atMs);
    const idleWrites = writesBetween(idleBefore, idle);

    /** A junk-only flood (no legitimate client): CPU per request and every write counter. */
    const measuredFlood = async (kind: JunkKind, seconds: number) => {
      const challenges = await challengesFor(kind);
      const before = watch!.snapshot();
      const result = await runFlood(kind, seconds, challenges);
      const after = watch!.snapshot();
      const cpuMs = after.cpuMs - before.cpuMs - idleCpuMsPerMs * (after.atMs - before.atMs);
      return { flood: result, cpuMsPerRequest: cpuMs / Math.max(1, result.responses), writes: writesBetween(before, after) };
    };

    const results: KindResult[] = [];
    const control = { visits: 0, writes: [] as Writes[] };
    for (const kind of FLOODED_KINDS) {
      console.log(`junk: ${kind}: ${FLOOD_SECONDS} s flood`);
      const measured = await measuredFlood(kind, FLOOD_SECONDS);
      console.log(`junk: ${kind}: ${fmt(measured.flood.responses / measured.flood.seconds)} req/s, ${fmt(measured.cpuMsPerRequest)} ms CPU/req, ${measured.writes.rows} rows, ${measured.writes.commits} commits, ${measured.writes.growthBytes} bytes growth`);
      const quiet: LegitWindow[] = [];
      const flooded: LegitWindow[] = [];
      const windowFloodRps: number[] = [];
      for (let rep = 0; rep < REPETITIONS; rep++) {
        const before = watch.snapshot();
        const q = await legitWindow(legit, WINDOW_SECONDS);
        control.writes.push(writesBetween(before, watch.snapshot()));
        control.visits += q.visits;
        quiet.push(q);
        // The flood runs a second longer than the window, which starts half a second in.
        const floodDone = runFlood(kind, WINDOW_SECONDS + 1, await challengesFor(kind));
        await new Promise((r) => setTimeout(r, 500));
        flooded.push(await legitWindow(legit, WINDOW_SECONDS));
        const f = await floodDone;
        windowFloodRps.push(f.responses / f.seconds);
        console.log(`junk: ${kind}: rep ${rep + 1}: legit p99 quiet ${fmt(q.p99)} ms, flood ${fmt(flooded[rep]!.p99)} ms`);
      }
      results.push({ kind, ...measured, quiet, flooded, windowFloodRps });
    }
    const references: Record<string, { rps: number; cpuMsPerRequest: number; writes: Writes }> = {};
    for (const kind of REFERENCE_KINDS) {
      const measured = await measuredFlood(kind, REFERENCE_FLOOD_SECONDS);
      references[kind] = { rps: measured.flood.responses / measured.flood.seconds, cpuMsPerRequest: measured.cpuMsPerRequest, writes: measured.writes };
      console.log(`junk: ${kind}: ${fmt(references[kind].rps)} req/s, ${fmt(measured.cpuMsPerRequest)} ms CPU/req`);
    }

    const markdown = report({ machine, workBits, pageSize: watch.pageSize, results, references, inProcess, unsizedReport, webCrypto, idleCpuMsPerSecond: idleCpuMsPerMs * 1000, idleWrites, idleSeconds, control, totalSeconds: (performance.now() - started) / 1000 });
    publish('junk', markdown, values);
  } finally {
    watch?.close();
    await load?.stop();
    await server?.kill();
    db?.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// The results section.

interface ReportInput {
  machine: string;
  workBits: number;
  pageSize: number;
  results: KindResult[];
  references: Record<string, { rps: number; cpuMsPerRequest: number; writes: Writes }>;
  inProcess: Record<string, InProcessCost>;
  unsizedReport: InProcessCost;
  webCrypto: { hmacUs: number; sha256Us: number };
  idleCpuMsPerSecond: number;
  idleWrites: Writes;
  idleSeconds: number;
  control: { visits: number; writes: Writes[] };
  totalSeconds: number;
}

function report(input: ReportInput): string {
  const { results, references, inProcess } = input;
  const kib = (bytes: number) => (bytes === 0 ? '0' : `${fmt(bytes / 1024)} KiB`);
  const statuses = (counts: Record<string, number>) => Object.entries(counts).map(([code, n]) => `${n}× ${code}`).join(', ');
  const ratio = (r: KindResult) => median(r.flooded.map((w) => w.p99)) / median(r.quiet.map((w) => w.p99));
  const perRequest = (n: number, requests: number) => (n === 0 ? '0' : fmt(n / requests));
  const noWrites = (w: Writes) => w.rows === 0 && w.commits === 0 && w.walFrames === 0 && w.growthBytes === 0 && !w.anyCommit;

  const main = results.map((r) => {
    const n = r.flood.responses;
    return `| ${JUNK[r.kind].label} | ${fmt(n / r.flood.seconds)} | ${fmt(r.cpuMsPerRequest)} | ${perRequest(r.writes.rows, n)} rows, ${perRequest(r.writes.walFrames * (input.pageSize + WAL_FRAME_HEADER_BYTES), n)} WAL bytes | ${kib(r.writes.growthBytes)} | ${fmt(median(r.quiet.map((w) => w.p99)))} | ${fmt(median(r.flooded.map((w) => w.p99)))} | ${fmt(ratio(r))}× |`;
  });
  const writeDetail = results.map((r) => {
    const w = r.writes;
    return `| ${r.kind} | ${r.flood.responses} | ${statuses(r.flood.statusCounts)}${r.flood.errors ? `, ${r.flood.errors} errors` : ''} | ${w.rows}${w.rows ? ` (${JSON.stringify(w.rowsByTable)})` : ''} | ${w.commits} | ${w.walFrames} | ${w.anyCommit ? 'yes' : 'no'} | ${kib(w.writeBytes)} | ${kib(w.growthBytes)} |`;
  });
  const latencyDetail = results.map((r) => {
    const pair = (w: LegitWindow) => `${fmt(w.p99)}`;
    return `| ${r.kind} | ${r.quiet.map(pair).join(' / ')} | ${r.flooded.map(pair).join(' / ')} | ${fmt(median(r.quiet.map((w) => w.p50)))} → ${fmt(median(r.flooded.map((w) => w.p50)))} | ${fmt(median(r.quiet.map((w) => w.visitsPerSecond)))} → ${fmt(median(r.flooded.map((w) => w.visitsPerSecond)))} | ${fmt(median(r.windowFloodRps))} | ${r.quiet.concat(r.flooded).reduce((n, w) => n + w.failures, 0)} |`;
  });
  const httpFloor = references['not-found']!;
  const cpuRows = [...results.map((r) => ({ kind: r.kind, http: r.cpuMsPerRequest, rps: r.flood.responses / r.flood.seconds })), ...Object.entries(references).map(([kind, ref]) => ({ kind: kind as JunkKind, http: ref.cpuMsPerRequest, rps: ref.rps }))].map(
    ({ kind, http, rps }) => `| ${JUNK[kind].label} | ${fmt(rps)} | ${fmt(http)} | ${fmt(inProcess[kind]!.cpuUs / 1000)} | ${fmt(http - httpFloor.cpuMsPerRequest)} | ${inProcess[kind]!.commits} |`,
  );

  const overTarget = results.filter((r) => r.cpuMsPerRequest > TARGET_CPU_MS);
  // Over HTTP = the 404's cost (Node's HTTP stack, the adapter, Hono's routing and middleware)
  // + Parley's own checks (in-process, less the in-process 404) + the rest (body bytes, bigger answers).
  const parleyMs = (kind: JunkKind) => (inProcess[kind]!.cpuUs - inProcess['not-found']!.cpuUs) / 1000;
  const breakdown = overTarget.map((r) => `${r.kind}: ${fmt(r.cpuMsPerRequest)} ≈ ${fmt(httpFloor.cpuMsPerRequest)} floor + ${fmt(parleyMs(r.kind))} Parley + ${fmt(r.cpuMsPerRequest - httpFloor.cpuMsPerRequest - parleyMs(r.kind))} rest`);
  const withWrites = results.filter((r) => !noWrites(r.writes));
  const referenceWrites = Object.entries(references).filter(([, ref]) => !noWrites(ref.writes));
  const controlRows = input.control.writes.reduce((n, w) => n + w.rows, 0);
  const controlCommits = input.control.writes.reduce((n, w) => n + w.commits, 0);
  const controlTables = [...new Set(input.control.writes.flatMap((w) => Object.keys(w.rowsByTable)))].join(', ') || 'none';
  const controlWriteBytes = input.control.writes.reduce((n, w) => n + w.writeBytes, 0);

  return `## Junk requests (issue 11)

Command: \`npm run bench:junk\`${noteLine(values.note)}

Machine: ${input.machine}; load average at end ${machineInfo().loadAverage.join(' / ')} (other work shared the machine: compare quiet p99s across kinds)

What it measures: requests that have not paid their proof of work, each of a kind an attacker's script can send at no cost. The server is \`npm start\`'s entry point (\`worker/entry-node.ts\`, started by \`scripts/lib/server-process.ts\`) in its own process, **production settings** (nothing \`PARLEY_*\` set but host, port, database and server secret: proof of work ${input.workBits} bits, intake cap 600/min, SQLite WAL with synchronous=FULL on ext4). The flood is autocannon 8 in a second process (the load generator, \`bench/load-worker.ts\`), ${CONNECTIONS} keep-alive connections, no pipelining, every request made on the fly with fresh random values. "Real challenge" means one the server issued (its MAC checks out; a pool of ${CHALLENGE_POOL} fetched just before each flood) sent with a random nonce that was checked *not* to meet the work, so the server does its most expensive refusal (HMAC + one SHA-256); "random challenge" fails on its format byte or MAC.

- **CPU per request**: the server process's utime + stime (all threads, \`/proc/<pid>/stat\`, 10 ms ticks) across a ${FLOOD_SECONDS} s junk-only flood, minus the idle rate (${fmt(input.idleCpuMsPerSecond)} ms/s over ${input.idleSeconds} s idle), divided by responses. The server is saturated during the flood, so this is also about 1 s ÷ rate.
- **Writes**: rows per table counted from a read-only connection before and after; commits and WAL frames from the \`-shm\` wal-index header (\`iChange\`, \`mxFrame\`); \`PRAGMA data_version\` on that connection (changes if any other connection committed); \`write_bytes\` from \`/proc/<pid>/io\` (bytes the server dirtied in files); growth = size of \`.sqlite\` + \`-wal\`. WAL bytes per request below = WAL frames × (${input.pageSize} + ${WAL_FRAME_HEADER_BYTES}) ÷ requests. Control, to show the counters see writes: over the quiet windows the legitimate client's ~${input.control.visits} mailbox opens showed as ${controlRows} rows (${controlTables}), ${controlCommits} commits, ${kib(controlWriteBytes)} write_bytes. Idle for ${input.idleSeconds} s: ${noWrites(input.idleWrites) ? 'no writes' : JSON.stringify(input.idleWrites)}.
- **Legitimate p99**: a client in the driver process using the real reporter code: \`GET /api/config\` then \`openMailbox\` (\`POST /api/mailbox/challenge\`, solve ${input.workBits} bits, signed \`GET /api/mailbox\`), back to back, each request timed to its last byte; p99 over all its requests in a ${WINDOW_SECONDS} s window. Windows run side by side: quiet, flood, quiet, flood… (${REPETITIONS} of each per kind); the ratio is median of flood p99s ÷ median of quiet p99s. These floods are separate from the ${FLOOD_SECONDS} s one, so the legitimate client's own writes do not count as growth.

| junk kind | flood req/s | server CPU ms/req | writes/req | DB growth over ${FLOOD_SECONDS} s | legit p99 quiet ms | legit p99 flood ms | ratio |
|---|---|---|---|---|---|---|---|
${main.join('\n')}

Writes in detail (${FLOOD_SECONDS} s flood of each kind, no legitimate client):

| kind | responses | statuses | rows added | commits | WAL frames | data_version changed | write_bytes | growth |
|---|---|---|---|---|---|---|---|---|
${writeDetail.join('\n')}

Legitimate client per window (p99 ms of each repetition; p50 and visits/s as medians, quiet → flood):

| kind | p99 quiet | p99 flood | p50 quiet → flood | visits/s quiet → flood | flood req/s in windows | failed visits |
|---|---|---|---|---|---|---|
${latencyDetail.join('\n')}

Where the CPU goes: the same junk through \`app.request()\` in one process (\`openLocalApp(PRODUCTION_CONFIG)\`, median of ${IN_PROCESS_ROUNDS} interleaved rounds of ${IN_PROCESS_REQUESTS} requests each after 200 warm-up, sequential, each \`Request\` built beforehand, outside the timing), against the HTTP figure and against a 404 over HTTP (${REFERENCE_FLOOD_SECONDS} s flood), which runs the same middleware and no Parley check:

| request | HTTP req/s | HTTP CPU ms/req | in-process (Parley + Hono) ms/req | HTTP minus 404 floor ms/req | in-process commits |
|---|---|---|---|---|---|
${cpuRows.join('\n')}

Parley's crypto in that: one \`hmacSha256\` (WebCrypto importKey + sign, \`worker/server-crypto.ts\`) costs ${fmt(input.webCrypto.hmacUs)} µs CPU and one \`sha256\` (WebCrypto digest) ${fmt(input.webCrypto.sha256Us)} µs, measured one call at a time in this process (median of ${IN_PROCESS_ROUNDS} rounds of 2,000; each call waits for WebCrypto's thread pool, so the figure includes that hand-off and swings with the machine's load). Issuing a challenge makes one HMAC; refusing a real challenge with a wrong nonce makes one HMAC (the MAC), two digests (\`secretsEqual\`) and one more (the work): ${fmt((input.webCrypto.hmacUs + 3 * input.webCrypto.sha256Us) / 1000)} ms. A random challenge fails on its format byte (255 times in 256) before any crypto.

The same ${OVERSIZED_BODY_BYTES / 1024} KiB unpaid report *without* a content-length (as a chunked body arrives): ${fmt(input.unsizedReport.cpuUs / 1000)} ms in-process against ${fmt(inProcess['report-unpaid']!.cpuUs / 1000)} ms with one — hono's \`bodyLimit\` reads a body of unknown length in full to count it, before the route checks the work (${input.unsizedReport.commits} commits).

What dominates the kinds over ${TARGET_CPU_MS} ms (ms/request; floor = the 404 over HTTP, Parley = in-process less the in-process 404, rest = what remains: receiving the body, the answer, noise — a negative rest is noise): ${breakdown.length ? breakdown.join('; ') : 'none over'}.

Targets: no write — ${withWrites.length === 0 ? `**met** for every kind (0 rows, 0 commits, 0 WAL frames, data_version unchanged, 0 bytes growth)` : `**not met** for ${withWrites.map((r) => r.kind).join(', ')}`}${referenceWrites.length ? `; reference kinds with writes: ${referenceWrites.map(([k]) => k).join(', ')}` : ''}. CPU ≤ ${TARGET_CPU_MS} ms — ${overTarget.length === 0 ? '**met** for every kind' : `**not met** for ${overTarget.map((r) => `${r.kind} (${fmt(r.cpuMsPerRequest)} ms)`).join(', ')}`}. Whole command: ${fmt(input.totalSeconds)} s.`;
}

await main();
