// `npm run soak:load [-- --minutes 10]`: report submissions, each after its own challenge as
// the real client sends them, at 80 % of the measured maximum (autocannon overallRate) for N minutes, with a slow loop of full mailbox fetches by the
// real client alongside; reports errors, p99 and the server's RSS at start and end.
// Writes the "soak-load" section of bench/RESULTS.md.
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { openMailbox } from '../web/client/reporter.js';
import { REPORT_PLAINTEXT_BYTES, submitReportsForMailboxes, withBenchInstance, type BenchInstance } from './instance.js';
import { measuredRun, problems, type LoadGenerator, type LoadJob } from './load.js';
import { fmt, machineLine, median, mib, noteLine, percentile, publish } from './report.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string' },
    'load-share': { type: 'string', default: '0.8' },
    connections: { type: 'string', default: '10' },
    'fetch-interval-ms': { type: 'string', default: '1000' },
    note: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const MINUTES = Number(values.minutes);
const LOAD_SHARE = Number(values['load-share']);
const CONNECTIONS = Number(values.connections);
const FETCH_INTERVAL_MS = Number(values['fetch-interval-ms']);
if (!(MINUTES > 0 && MINUTES <= 24 * 60)) throw new Error('--minutes must be between 0 and 1440');

const submitJob = (instance: BenchInstance, title: string, extra: Partial<LoadJob>): LoadJob => ({
  title, url: `${instance.server.url}/api/reports`, method: 'POST', headers: { 'content-type': 'application/json' }, connections: CONNECTIONS, ...extra,
});

const feederFor = (instance: BenchInstance) => ({ config: instance.config, org: instance.org, plaintextBytes: REPORT_PLAINTEXT_BYTES });

/** Maximum throughput of the reporter's submission flow (challenge, then report): three full-speed runs. */
async function measureMaxRate(instance: BenchInstance, load: LoadGenerator): Promise<number[]> {
  await load.run(submitJob(instance, 'calibrate warm', { durationSeconds: 3, feeder: feederFor(instance) }));
  const rates: number[] = [];
  for (let i = 0; i < 3; i++) {
    const run = await measuredRun(instance.server, load, submitJob(instance, `calibrate ${i + 1}`, { durationSeconds: 5, feeder: feederFor(instance) }));
    console.log(`soak: calibration ${i + 1}/3: ${fmt(run.rps)} reports/s${problems(run) ? ` (${problems(run)})` : ''}`);
    rates.push(run.rps);
  }
  return rates;
}

/** Full client mailbox opens (challenge, signed GET, decrypt) at a low rate until `stop`. */
async function fetchLoop(instance: BenchInstance, mailboxes: Awaited<ReturnType<typeof submitReportsForMailboxes>>, until: () => boolean, maxCount: number) {
  const latencies: number[] = [];
  const errors: string[] = [];
  for (let i = 0; i < maxCount && !until(); i++) {
    const start = performance.now();
    try {
      await openMailbox(instance.api, mailboxes[i % mailboxes.length]!);
      latencies.push(performance.now() - start);
    } catch (error) {
      errors.push(String(error));
    }
    await sleep(Math.max(0, FETCH_INTERVAL_MS - (performance.now() - start)));
  }
  return { latencies, errors };
}

await withBenchInstance('parley-soak-', async (instance, load) => {
  const mailboxes = await submitReportsForMailboxes(instance, 16, REPORT_PLAINTEXT_BYTES);
  const calibration = values.rate ? [] : await measureMaxRate(instance, load);
  const maxRate = values.rate ? Number.NaN : median(calibration);
  const rate = values.rate ? Number(values.rate) : Math.max(1, Math.round(maxRate * LOAD_SHARE));
  console.log(`soak: ${MINUTES} min at ${rate} reports/s${values.rate ? ' (given)' : ` (${LOAD_SHARE * 100} % of ${fmt(maxRate)}/s)`}`);

  const durationSeconds = Math.round(MINUTES * 60);
  const start = await instance.server.stats(true);
  let loadDone = false;
  const done = new AbortController();
  const rss: { atSeconds: number; rssBytes: number }[] = [{ atSeconds: 0, rssBytes: start.rssBytes }];
  const startedAt = performance.now();
  const soak = load
    // overallRate counts requests: a challenge and a report per submission.
    .run(submitJob(instance, 'soak', { durationSeconds, overallRate: 2 * rate, intervalSeconds: 60, feeder: feederFor(instance) }))
    .finally(() => {
      loadDone = true;
      done.abort();
    });
  const fetches = fetchLoop(instance, mailboxes, () => loadDone, Math.ceil((durationSeconds * 1000) / FETCH_INTERVAL_MS) + 120);
  const rssSampler = (async () => {
    for (let i = 0; i < durationSeconds / 30 + 40 && !loadDone; i++) {
      await sleep(30_000, undefined, { signal: done.signal }).catch(() => undefined);
      if (!loadDone) rss.push({ atSeconds: Math.round((performance.now() - startedAt) / 1000), rssBytes: (await instance.server.stats()).rssBytes });
    }
  })();
  const result = await soak;
  const [fetched] = await Promise.all([fetches, rssSampler]);
  const end = await instance.server.stats();
  const cpuMsPerRequest = (end.cpuUserMicros - start.cpuUserMicros + end.cpuSystemMicros - start.cpuSystemMicros) / 1000 / (2 * (result.ok + result.non2xx) + fetched.latencies.length * 2);

  const markdown = `## Soak: report submissions at ${LOAD_SHARE * 100} % of maximum throughput

Command: \`npm run soak:load -- --minutes ${values.minutes}${values.rate ? ` --rate ${values.rate}` : ''}\`${noteLine(values.note)}

Machine: ${machineLine()}

Same server and load setup as the HTTP section (bench server in its own process, autocannon in a second one, ${CONNECTIONS} connections; production settings but the client-only KDF and the intake cap, which would refuse beyond 80 reports/s). Each submission is sent as the real client sends it: \`POST /api/mailbox/challenge\`, then \`POST /api/reports\` carrying that challenge; every report is distinct and valid, made during the run by a feeder process with the real client code. ${values.rate ? `Rate given: ${rate} reports/s.` : `The flow's maximum was measured first (3 full-speed 5 s runs: ${calibration.map((r) => fmt(r)).join(', ')} reports/s; median ${fmt(maxRate)}/s), then ${MINUTES} min at ${rate} reports/s`} (autocannon \`overallRate\` ${2 * rate} requests/s; it sends each connection's quota for the second as fast as it can, so load comes in bursts at the start of each second). Alongside, every ${FETCH_INTERVAL_MS} ms the real client opens a mailbox (challenge, signed GET, decrypt). Latencies are the reports' own (the challenge before each is not included).

| | figure |
|---|---|
| reports accepted (201) | ${result.ok} in ${fmt(result.seconds)} s (${fmt(result.rps)}/s) |
| challenge requests | ${Object.entries(result.challenges?.statusCounts ?? {}).map(([code, n]) => `${n}× ${code}`).join(', ') || 'n/a'}; p99 ${fmt(result.challenges?.latencyMs.p99 ?? Number.NaN)} ms |
| errors | ${problems(result) ?? 'none'} |
| submission latency p50 / p99 / max | ${fmt(result.latencyMs.p50)} / ${fmt(result.latencyMs.p99)} / ${fmt(result.latencyMs.max)} ms |
| p99 per minute | ${result.intervals.map((i) => fmt(i.p99)).join(', ') || 'n/a'} ms |
| mailbox opens (client) | ${fetched.latencies.length} ok, ${fetched.errors.length} failed${fetched.errors.length ? ` (first: ${fetched.errors[0]})` : ''}; p50 ${fmt(percentile(fetched.latencies, 50))} ms, p99 ${fmt(percentile(fetched.latencies, 99))} ms |
| server RSS at start → end | ${mib(start.rssBytes)} → ${mib(end.rssBytes)} MiB (highest sampled ${mib(end.windowPeakRssBytes)} MiB; process peak ${mib(end.maxRssBytes)} MiB) |
| server RSS every 30 s | ${rss.map((r) => mib(r.rssBytes)).join(', ')} MiB |
| server CPU per request | ${fmt(cpuMsPerRequest)} ms (user + system over all requests in the soak) |`;
  publish('soak-load', markdown, values);
});
