// The load generator, in its own process: runs one autocannon job at a time (sent over IPC)
// and answers with throughput, status counts and latency percentiles computed from every
// response's own timing (autocannon's histogram keeps whole milliseconds only). Per-request
// headers and bodies come from a pre-built file, from a feeder process (this file run with
// --feeder: it makes submissions on demand for the soak, which sends too many to pre-build),
// or are junk made on the fly (junk-requests.ts); each is used once.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { PROOF_HEADERS } from '../web/protocol/proof-message.js';
import type { InstanceConfig, PublicOrganisation } from './instance.js';
import { junkRequest, type Challenges, type JunkKind } from './junk-requests.js';
import { forkTs, nextMessage, stopChild, stopWithParent } from './load.js';
import { percentile } from './report.js';

/** One request's own headers, body and path (with its query; the job's url gives the rest). */
export type LoadVariant = { headers?: Record<string, string>; body?: string; path?: string };

export type FeederSpec = { config: InstanceConfig; org: PublicOrganisation; plaintextBytes: number };

export interface LoadJob {
  title: string;
  url: string;
  method: 'GET' | 'POST';
  connections: number;
  /** Stop after this many requests (takes precedence over duration). */
  amount?: number;
  durationSeconds?: number;
  /** autocannon overallRate: requests per second over all connections. */
  overallRate?: number;
  headers?: Record<string, string>;
  /** JSON file of LoadVariant[]: one per request, handed out in order by setupRequest. */
  variantsFile?: string;
  /** Submission bodies made on the fly by a feeder, each sent after a fresh challenge request whose challenge it carries (url is then the reports route). */
  feeder?: FeederSpec;
  /** Junk requests of this kind, each made as it is sent. */
  junk?: { kind: JunkKind; challenges: Challenges };
  /** Print a progress line and keep per-interval figures this often. */
  intervalSeconds?: number;
}

export type LatencySummary = Record<'p50' | 'p90' | 'p99' | 'max', number>;
export type IntervalStats = LatencySummary & { endSeconds: number; ok: number; notOk: number };

export interface LoadResult {
  title: string;
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
  /** 2xx responses per second (of the main request, not the challenges before it). */
  rps: number;
  /** Feeder jobs: the challenge request made before each report. */
  challenges?: { statusCounts: Record<string, number>; latencyMs: LatencySummary };
  latencyMs: LatencySummary;
  /** Requests sent after the variants ran out (each one a reused body: should be 0). */
  variantsShort: number;
  intervals: IntervalStats[];
}

const summarise = (s: number[]): LatencySummary => ({ p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: percentile(s, 100) });

/** Keeps a queue of feeder-made bodies ahead of the load. */
class FeederQueue {
  static readonly LOW_WATER = 5000;
  static readonly BATCH = 200;
  private queue: string[] = [];
  private asking = false;
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { type: string; bodies?: string[] }) => {
      if (m.type === 'batch' && m.bodies) {
        this.queue.push(...m.bodies);
        this.asking = false;
        this.topUp();
      }
    });
  }

  /** Starts the feeder and waits (2 minutes at most) until LOW_WATER bodies are ready. */
  static async start(spec: FeederSpec): Promise<FeederQueue> {
    const child = forkTs(import.meta.filename, ['--feeder']);
    await nextMessage(child, 'ready', 60_000);
    child.send({ type: 'init', spec });
    const feeder = new FeederQueue(child);
    feeder.topUp();
    for (const deadline = Date.now() + 120_000; feeder.queue.length < FeederQueue.LOW_WATER && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    return feeder;
  }

  private topUp() {
    if (!this.asking && this.queue.length < FeederQueue.LOW_WATER) {
      this.asking = true;
      this.child.send({ type: 'more', count: FeederQueue.BATCH });
    }
  }

  take(): string | undefined {
    const body = this.queue.shift();
    this.topUp();
    return body;
  }

  stop() {
    return stopChild(this.child);
  }
}

async function runJob(job: LoadJob): Promise<LoadResult> {
  const variants: LoadVariant[] = job.variantsFile ? (JSON.parse(readFileSync(job.variantsFile, 'utf8')) as LoadVariant[]) : [];
  const feeder = job.feeder ? await FeederQueue.start(job.feeder) : undefined;
  let next = 0;
  let variantsShort = 0;
  let lastBody: string | undefined;
  // Which kind of request the next 'response' event is about (onResponse runs just before it).
  let responding: 'main' | 'challenge' = 'main';
  const challengeStatus: Record<string, number> = {};
  const withVariant = (req: AutocannonRequest, variant: LoadVariant) => ({ ...req, headers: { ...req.headers, ...variant.headers }, ...(variant.body !== undefined ? { body: variant.body } : {}), ...(variant.path !== undefined ? { path: variant.path } : {}) });
  const requests: AutocannonRequest[] = [];
  if (feeder) {
    // The reporter's flow, as submitReport does it: a fresh challenge, then the report that
    // spends it. Each connection alternates the two; only the reports' latencies are kept.
    requests.push({
      method: 'POST',
      path: '/api/mailbox/challenge',
      onResponse: (status, body, context) => {
        responding = 'challenge';
        challengeStatus[status] = (challengeStatus[status] ?? 0) + 1;
        context.challenge = status === 200 ? (JSON.parse(body) as { challenge: string }).challenge : 'none';
      },
    });
    requests.push({
      method: job.method,
      setupRequest: (req, context) => {
        const body = feeder.take();
        if (body === undefined) variantsShort++;
        lastBody = body ?? lastBody;
        return { ...req, headers: { ...req.headers, [PROOF_HEADERS.challenge]: String(context.challenge) }, body: lastBody ?? '' };
      },
      onResponse: () => (responding = 'main'),
    });
  } else if (job.junk) {
    const { kind, challenges } = job.junk;
    requests.push({ method: job.method, setupRequest: (req) => withVariant(req, junkRequest(kind, challenges, next++)) });
  } else if (variants.length > 0) {
    requests.push({
      method: job.method,
      setupRequest: (req) => {
        if (next >= variants.length) variantsShort++;
        return withVariant(req, variants[next++] ?? variants[variants.length - 1]!);
      },
    });
  } else {
    requests.push({ method: job.method });
  }

  const instance = autocannon({
    url: job.url,
    connections: job.amount ? Math.min(job.connections, job.amount) : job.connections,
    ...(job.amount ? { amount: job.amount } : { duration: job.durationSeconds ?? 5 }),
    ...(job.overallRate ? { overallRate: job.overallRate } : {}),
    headers: job.headers ?? {},
    requests,
  });

  // Latencies of the main request and, for feeder jobs, of the challenges (a 10-minute soak has ~10^5–10^6).
  const samples: number[] = [];
  const challengeSamples: number[] = [];
  let notOk = 0;
  // Own clock for the run's length: autocannon ends amount-limited runs on its 1-second
  // tick, so its start/finish would round every short run up to whole seconds.
  const clockStart = performance.now();
  let lastResponseAt = clockStart;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
    lastResponseAt = performance.now();
    if (statusCode < 200 || statusCode >= 300) notOk++;
    else if (responding === 'challenge') challengeSamples.push(responseTimeMs);
    else samples.push(responseTimeMs);
  });
  instance.on('reqError', () => notOk++);

  const intervals: IntervalStats[] = [];
  let intervalFrom = 0;
  let notOkFrom = 0;
  const ticker = job.intervalSeconds
    ? setInterval(() => {
        const slice = samples.slice(intervalFrom);
        const stats: IntervalStats = { endSeconds: Math.round((performance.now() - clockStart) / 1000), ok: slice.length, notOk: notOk - notOkFrom, ...summarise(slice) };
        intervals.push(stats);
        intervalFrom = samples.length;
        notOkFrom = notOk;
        console.log(`  [${job.title}] ${stats.endSeconds} s: ${stats.ok} ok, ${stats.notOk} not ok, p99 ${stats.p99.toFixed(1)} ms`);
      }, job.intervalSeconds * 1000)
    : undefined;

  const result = await instance;
  if (ticker) clearInterval(ticker);
  await feeder?.stop();
  const seconds = (lastResponseAt - clockStart) / 1000;
  const statusCounts = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count - (challengeStatus[code] ?? 0)]).filter(([, count]) => count));
  return {
    title: job.title,
    seconds,
    ok: samples.length,
    non2xx: result.non2xx - Object.entries(challengeStatus).reduce((n, [code, count]) => n + (code.startsWith('2') ? 0 : count), 0),
    challenges: { statusCounts: challengeStatus, latencyMs: summarise(challengeSamples) },
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    rps: samples.length / seconds,
    latencyMs: summarise(samples),
    variantsShort,
    intervals,
  };
}

const asFeeder = parseArgs({ options: { feeder: { type: 'boolean' } } }).values.feeder;
stopWithParent(asFeeder ? 'submission-feeder' : 'load-worker', 6 * 3600);
if (asFeeder) {
  const { makeSubmissionBodies } = await import('./instance.js');
  const { sodiumReady } = await import('../web/protocol/index.js');
  await sodiumReady();
  let spec: FeederSpec | undefined;
  process.on('message', (message: { type: 'init'; spec: FeederSpec } | { type: 'more'; count: number }) => {
    if (message.type === 'init') spec = message.spec;
    else if (spec) process.send!({ type: 'batch', bodies: makeSubmissionBodies(spec.config, spec.org, message.count, spec.plaintextBytes) });
  });
} else {
  // Jobs run one at a time, in the order they arrive.
  let queue = Promise.resolve();
  process.on('message', (job: LoadJob) => {
    queue = queue.then(async () => void process.send!({ type: 'result', result: await runJob(job) }));
  });
}
process.send!({ type: 'ready' });
