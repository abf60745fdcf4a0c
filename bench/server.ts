// The server under load, started by instance.ts through scripts/lib/server-process.ts: the real
// app (createApp over a better-sqlite3 file opened as `npm start` opens it) plus bench-only
// routes on the same server and runtime: /bench/bare, a minimal Hono JSON route to compare
// against; /bench/limit/*, the same stack doing only each hot route's irreducible work
// (limit.ts); /bench/parts, bare file parts kept in memory (PUT a part, GET them all back,
// DELETE), to compare the file routes against; /bench/page, a page bundle named by
// BENCH_PAGE_BUNDLE, served from the API's own origin; /bench/stats, this process's CPU time,
// memory and longest event-loop delay; and /bench/job/*, one run of work that is not a request
// (audit verification, retention, staff notices) in this process, timed (scale-jobs.ts).
// Binds 127.0.0.1; stops on SIGTERM, when its parent goes, or after --max-seconds.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { openLocalApp } from '../scripts/lib/local-app.js';
import { b64ToBytes } from '../web/protocol/encoding.js';
import { BENCH_CONFIG } from './instance.js';
import { limitRoutes } from './limit.js';
import { groupCommitCounts } from '../db/group-commit.js';
import { jobRoutes, watchLoop, LOOP_DELAY_RESOLUTION_MS, type LoopBlocks } from './scale-jobs.js';

export interface ServerStats {
  cpuUserMicros: number;
  cpuSystemMicros: number;
  rssBytes: number;
  /** Highest RSS sampled (every 50 ms) since the last ?reset=1. */
  windowPeakRssBytes: number;
  /** The kernel's peak RSS for the whole process life. */
  maxRssBytes: number;
  /** The longest the event loop waited to run a timer since the last ?reset=1 (ms; at least LOOP_DELAY_RESOLUTION_MS). */
  eventLoopMaxDelayMs: number;
  /** The longest gaps between turns of the event loop since the last ?reset=1, in wall and CPU time (scale-jobs.ts watchLoop). */
  loopBlocks: LoopBlocks;
  /** The app's group commits on its connection since the process started (db/group-commit.ts). */
  groupCommits: { commits: number; writes: number };
}

const { values } = parseArgs({ options: { 'max-seconds': { type: 'string', default: '3600' } } });
// The database's server secret (it seals investigators' TOTP secrets, which signing in opens).
const local = openLocalApp(BENCH_CONFIG, { dbPath: process.env.PARLEY_DB!, serverSecret: b64ToBytes(process.env.PARLEY_SERVER_SECRET!)! });
// Diagnosis only, never the default: BENCH_SQLITE_SYNCHRONOUS=NORMAL shows what the per-commit
// fsync of synchronous=FULL (set by db/open-node.ts) costs. Results say when it was used.
const synchronous = process.env.BENCH_SQLITE_SYNCHRONOUS;
if (synchronous) {
  if (!/^(OFF|NORMAL|FULL|EXTRA)$/i.test(synchronous)) throw new Error(`BENCH_SQLITE_SYNCHRONOUS=${synchronous}: use OFF, NORMAL, FULL or EXTRA`);
  local.database.sqlite.pragma(`synchronous = ${synchronous}`);
}

let windowPeakRss = process.memoryUsage.rss();
setInterval(() => (windowPeakRss = Math.max(windowPeakRss, process.memoryUsage.rss())), 50).unref();
// Whatever blocks this process (a request's synchronous work, a long query) delays this timer.
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
loopDelay.enable();
const loopBlocks = watchLoop(LOOP_DELAY_RESOLUTION_MS);

/** The bare upload's parts, by upload id then part number. */
const bareParts = new Map<string, Uint8Array[]>();
const PAGE = '<!doctype html><meta charset="utf-8"><title>Parley file benchmark</title><script type="module" src="/bench/page.js"></script>';

const bench = new Hono()
  .get('/bench/bare', (c) => c.json({ ok: true }))
  .put('/bench/parts/:id/:part', async (c) => {
    const parts = bareParts.get(c.req.param('id')) ?? [];
    parts[Number(c.req.param('part'))] = new Uint8Array(await c.req.arrayBuffer());
    bareParts.set(c.req.param('id'), parts);
    return c.body(null, 204);
  })
  .get('/bench/parts/:id', (c) => {
    const parts = bareParts.get(c.req.param('id')) ?? [];
    let next = 0;
    const body = new ReadableStream<Uint8Array>({ pull: (controller) => (next < parts.length ? controller.enqueue(parts[next++]!) : controller.close()) });
    return c.body(body, 200, { 'content-type': 'application/octet-stream', 'content-length': String(parts.reduce((n, p) => n + p.length, 0)) });
  })
  .delete('/bench/parts/:id', (c) => (bareParts.delete(c.req.param('id')), c.body(null, 204)))
  .get('/bench/page', (c) => c.html(PAGE))
  .get('/bench/page.js', (c) => c.body(readFileSync(process.env.BENCH_PAGE_BUNDLE!), 200, { 'content-type': 'text/javascript' }))
  .get('/bench/stats', (c) => {
    const cpu = process.cpuUsage();
    const rss = process.memoryUsage.rss();
    const stats: ServerStats = {
      cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system, rssBytes: rss, windowPeakRssBytes: Math.max(windowPeakRss, rss), maxRssBytes: process.resourceUsage().maxRSS * 1024,
      eventLoopMaxDelayMs: loopDelay.max / 1e6,
      loopBlocks: loopBlocks.read(),
      groupCommits: groupCommitCounts(local.database.sqlite),
    };
    if (c.req.query('reset')) {
      windowPeakRss = rss;
      loopDelay.reset();
      loopBlocks.reset();
    }
    return c.json(stats);
  })
  .route('/', limitRoutes(local.database.sqlite, local.serverSecret))
  .route('/', jobRoutes(local));

// One fetch handler for both apps, so the bare route pays the same server and dispatch cost.
const fetch = (request: Request, env: unknown) => (new URL(request.url).pathname.startsWith('/bench/') ? bench.fetch(request, env) : local.app.fetch(request, env));
const server: ServerType = await new Promise((resolve) => {
  const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    local.close();
    process.exit(0);
  });
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stop(), 1000).unref();
setTimeout(stop, Number(values['max-seconds']) * 1000).unref();

const address = server.address();
console.log(`bench server running on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0} (database ${process.env.PARLEY_DB})`);
