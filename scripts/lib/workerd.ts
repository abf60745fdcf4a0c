// The Workers build in a real workerd: wrangler.toml and worker/entry-workers.ts started
// through wrangler's own dev server (unstable_startWorker), bound to 127.0.0.1, over local D1
// persisted in a directory the caller owns. Migrations are applied by the wrangler CLI
// itself, from the migrations_dir in wrangler.toml, exactly as `npm run dev:edge` does.
// Used by the tests (test/support/targets.ts, test/edge) and bench/workers-d1.ts.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema.js';
import type { ParleyDb } from '../../db/database.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const WRANGLER_CONFIG = join(ROOT, 'wrangler.toml');
const WRANGLER_BIN = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

/** Keeps wrangler off the network (no telemetry, no Request.cf download) and its debug logs out of $HOME. */
function quietWranglerEnv(): NodeJS.ProcessEnv {
  const logDir = join(tmpdir(), 'parley-wrangler-logs');
  mkdirSync(logDir, { recursive: true });
  return { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_LOG_PATH: logDir };
}

export interface WranglerRun {
  code: number | null;
  output: string;
}

/** Runs the wrangler CLI (the pinned one in node_modules) non-interactively. */
export function runWrangler(args: readonly string[]): Promise<WranglerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...quietWranglerEnv(), CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** `wrangler d1 migrations apply DB --local --persist-to <dir>`; throws with wrangler's output if it fails. */
export async function applyD1Migrations(persistTo: string): Promise<string> {
  const run = await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo]);
  if (run.code !== 0) throw new Error(`wrangler d1 migrations apply failed (${run.code}):\n${run.output}`);
  return run.output;
}

/** The SQLite file behind local D1 (Miniflare keeps one per database, named by a hash of its id). */
export function d1DatabaseFile(persistTo: string): string {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((name) => /^[0-9a-f]{64}\.sqlite$/.test(name));
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
  return join(dir, files[0]!);
}

export interface WorkerdOptions {
  /** Local state (D1) lives here; wrangler adds v3/ below it, as --persist-to does. */
  persistTo: string;
  /** Static assets directory (defaults to wrangler.toml's dist/web). */
  assetsDir?: string;
  /** Worker vars (instance settings, worker/config-vars.ts); unset means production values. */
  vars?: Record<string, string>;
  /** Another wrangler config, e.g. one that leaves out a binding. */
  config?: string;
  /** Another entry module in place of wrangler.toml's main (bench/workers-limit-worker.ts). */
  entrypoint?: string;
  /** Adds wrangler dev's /__scheduled route (dev builds only), for runScheduled(). */
  testScheduled?: boolean;
  /** Wrangler's log level; 'log' passes on everything the worker prints. */
  logLevel?: 'log' | 'warn' | 'error';
  /** Opens the worker's DevTools inspector on 127.0.0.1 (bench/workers-isolate-cpu.ts profiles through it). */
  inspector?: boolean;
}

export interface WorkerdServer {
  /** http://127.0.0.1:<port>, no trailing slash: usable by HTTP clients and a browser. */
  url: string;
  /**
   * Runs the scheduled handler now, through the route `wrangler dev --test-scheduled` adds
   * (start with testScheduled). Miniflare's /cdn-cgi/handler/scheduled cannot be used with the
   * pinned wrangler: with static assets configured it reaches the assets router, which has no
   * scheduled handler, and answers "exception" (cloudflare/workers-sdk#9882, fixed later).
   */
  runScheduled(): Promise<{ status: number; body: string }>;
  /** ws://127.0.0.1:<port>/ws, the worker's DevTools protocol (start with inspector). */
  inspectorUrl?: string;
  dispose(): Promise<void>;
}

export async function startWorkerd(options: WorkerdOptions): Promise<WorkerdServer> {
  Object.assign(process.env, quietWranglerEnv());
  // Imported here so runs that never start workerd do not load wrangler.
  const { unstable_startWorker } = await import('wrangler');
  const bindings = Object.fromEntries(Object.entries(options.vars ?? {}).map(([name, value]) => [name, { type: 'plain_text' as const, value }]));
  const worker = await unstable_startWorker({
    config: options.config ?? WRANGLER_CONFIG,
    ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
    ...(options.assetsDir ? { assets: options.assetsDir } : {}),
    bindings,
    dev: {
      persist: options.persistTo,
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: options.inspector ? { hostname: '127.0.0.1', port: 0 } : false,
      watch: false,
      liveReload: false,
      testScheduled: options.testScheduled ?? false,
      logLevel: options.logLevel ?? 'warn',
    },
  });
  try {
    await worker.ready;
    const url = (await worker.url).origin;
    const inspector = await worker.inspectorUrl;
    return {
      url,
      ...(inspector ? { inspectorUrl: `ws://${inspector.host}/ws` } : {}),
      async runScheduled() {
        const res = await fetch(`${url}/__scheduled`);
        return { status: res.status, body: await res.text() };
      },
      dispose: () => worker.dispose(),
    };
  } catch (error) {
    await worker.dispose();
    throw error;
  }
}

export interface LocalWorker {
  server: WorkerdServer;
  url: string;
  /** Local state (D1) lives here. */
  persistTo: string;
  /** A connection to D1's SQLite file (workerd keeps it in WAL mode; this one waits for its locks). */
  sqlite: Database.Database;
  db: ParleyDb;
  close(): Promise<void>;
}

/**
 * workerd over a fresh local D1 in a temp directory, migrated by the wrangler CLI, with these
 * worker vars, static assets from `assetsDir` (by default an empty directory: API only), and
 * better-sqlite3 opened on the D1 file. close() stops workerd and removes the directory.
 */
export async function startLocalWorker(options: {
  vars: Record<string, string>;
  assetsDir?: string;
  logLevel?: WorkerdOptions['logLevel'];
  testScheduled?: boolean;
  entrypoint?: string;
  inspector?: boolean;
  /** Runs on the migrated D1 file before workerd opens it (e.g. bulk seeding, which wants the file to itself). */
  beforeStart?: (d1File: string) => Promise<void>;
}): Promise<LocalWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-workerd-'));
  const persistTo = join(dir, 'state');
  const assetsDir = options.assetsDir ?? join(dir, 'assets');
  mkdirSync(assetsDir, { recursive: true });
  let server: WorkerdServer | undefined;
  try {
    await applyD1Migrations(persistTo);
    await options.beforeStart?.(d1DatabaseFile(persistTo));
    server = await startWorkerd({ persistTo, assetsDir, logLevel: options.logLevel ?? 'warn', vars: options.vars, testScheduled: options.testScheduled ?? false, entrypoint: options.entrypoint, inspector: options.inspector ?? false });
    const sqlite = new Database(d1DatabaseFile(persistTo));
    sqlite.pragma('busy_timeout = 5000');
    const running = server;
    return {
      server: running,
      url: running.url,
      persistTo,
      sqlite,
      db: drizzle(sqlite, { schema }) as unknown as ParleyDb,
      async close() {
        sqlite.close();
        await running.dispose();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
