// The server under load, in its own process: the real app (createApp over a better-sqlite3
// file opened as `npm start` opens it) plus two bench-only routes on the same server and
// runtime: /bench/bare, a minimal Hono JSON route to compare against, and /bench/stats,
// this process's CPU time and memory. Binds 127.0.0.1; stops with its parent.
import { parseArgs } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { openNodeDatabase } from '../db/open-node.js';
import { createApp } from '../worker/app.js';
import { webCryptoRandomBytes } from '../worker/deps.js';
import { BENCH_CONFIG } from './bench-config.js';
import { stopWithParent } from './child.js';

export interface ServerStats {
  cpuUserMicros: number;
  cpuSystemMicros: number;
  rssBytes: number;
  /** Highest RSS sampled (every 50 ms) since the last ?reset=1. */
  windowPeakRssBytes: number;
  /** The kernel's peak RSS for the whole process life. */
  maxRssBytes: number;
}

const { values } = parseArgs({ options: { db: { type: 'string' }, 'max-seconds': { type: 'string', default: '3600' } } });
if (!values.db) throw new Error('bench-server: --db <path> is required');

const database = openNodeDatabase(values.db);
// Diagnosis only, never the default: BENCH_SQLITE_SYNCHRONOUS=NORMAL shows what the per-commit
// fsync of synchronous=FULL (set by db/open-node.ts) costs. Results say when it was used.
const synchronous = process.env.BENCH_SQLITE_SYNCHRONOUS;
if (synchronous) {
  if (!/^(OFF|NORMAL|FULL|EXTRA)$/i.test(synchronous)) throw new Error(`BENCH_SQLITE_SYNCHRONOUS=${synchronous}: use OFF, NORMAL, FULL or EXTRA`);
  database.sqlite.pragma(`synchronous = ${synchronous}`);
}
// A fresh server secret per run: it only encrypts investigators' TOTP secrets, which no bench request touches.
const app = createApp({ db: database.db, clock: Date.now, randomBytes: webCryptoRandomBytes, config: BENCH_CONFIG, serverSecret: webCryptoRandomBytes(32) });

let windowPeakRss = process.memoryUsage.rss();
setInterval(() => (windowPeakRss = Math.max(windowPeakRss, process.memoryUsage.rss())), 50).unref();

const bench = new Hono()
  .get('/bench/bare', (c) => c.json({ ok: true }))
  .get('/bench/stats', (c) => {
    const cpu = process.cpuUsage();
    const rss = process.memoryUsage.rss();
    const stats: ServerStats = {
      cpuUserMicros: cpu.user,
      cpuSystemMicros: cpu.system,
      rssBytes: rss,
      windowPeakRssBytes: Math.max(windowPeakRss, rss),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
    if (c.req.query('reset')) windowPeakRss = rss;
    return c.json(stats);
  });

// One fetch handler for both apps, so the bare route pays the same server and dispatch cost.
const fetch = (request: Request, env: unknown) => (new URL(request.url).pathname.startsWith('/bench/') ? bench.fetch(request) : app.fetch(request, env));

const server: ServerType = await new Promise((resolve) => {
  const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
});
const address = server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

stopWithParent('bench-server', Number(values['max-seconds']), () => new Promise<void>((resolve) => {
  server.close(() => resolve());
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
}).finally(() => database.close()));

console.log(`bench-server listening on ${url} (database ${values.db})`);
process.send?.({ type: 'listening', url });
