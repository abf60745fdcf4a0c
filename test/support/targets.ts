// The servers the API suite runs against, behind one interface: the app in-process on Node
// over better-sqlite3, and the Workers build in a real workerd over local D1. Tests drive
// both over fetch from this process, so client-side crypto (libsodium) stays in Node and
// only the server runs in workerd. Databases are opened with better-sqlite3 in both cases
// (D1's local file is SQLite), to plant organisations, tamper rows and search stored bytes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { ApiClient, type Fetch } from '../../web/client/api.js';
import { createOrganisation, type CreatedOrganisation } from '../../scripts/create-organisation.js';
import { bytesToB64, sodiumReady, type KdfParams } from '../../web/protocol/index.js';
import { databaseFilesBytes } from './bytes-search.js';
import { checkResponse } from './response-check.js';
import { addOrganisation, makeTestApp, TEST_CONFIG, TEST_KDF, TEST_PASSWORD, type ReceivedRequest, type TestApp } from './test-app.js';
import { signIn, type InvestigatorSession } from '../../web/client/investigator.js';
import { totpCodeAt } from '../../worker/totp.js';
import { issueSetupToken } from '../../worker/setup-token.js';
import type { ParleyDb } from '../../db/database.js';
import { startLocalWorker, type WorkerdServer } from '../../scripts/lib/workerd.js';
import { runScheduledWork } from '../../worker/scheduled.js';
import { databaseFileStore } from '../../worker/file-store.js';

export type TargetName = 'node' | 'workerd';

export interface ApiTarget {
  readonly name: TargetName;
  /** Where the server answers. For workerd a real http://127.0.0.1:<port>, usable by a browser. */
  readonly baseUrl: string;
  /** The client the tests use; every request it makes is recorded in `received`. */
  readonly api: ApiClient;
  readonly fetch: Fetch;
  readonly received: ReceivedRequest[];
  /** A hand-made request to a path (recorded too). */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Every byte the server's storage holds on disk (database, WAL, and for workerd all local state). */
  storedBytes(): Buffer;
  /** The server's database, through the repository layer (as the scripts reach it). */
  readonly db: ParleyDb;
  /** A first-run setup link's value ("#setup=…"), as `npm run setup` prints it; only on an instance with no organisation. */
  issueSetupToken(): Promise<string>;
  /** One SQL statement on the server's database; rows for a query, [] otherwise. */
  sql<Row = Record<string, unknown>>(statement: string, ...params: unknown[]): Row[];
  /** An organisation with one administrator (TEST_PASSWORD), made as `npm run setup` does. */
  addOrganisation(orgName: string, username: string): Promise<CreatedOrganisation>;
  /** Signs in an administrator made by addOrganisation, with a current TOTP code (through `api` if given). */
  signIn(username: string, api?: ApiClient): Promise<InvestigatorSession>;
  /** The base32 TOTP secret of an administrator made by addOrganisation. */
  totpSecret(username: string): string;
  /** The server's clock: the test's on Node, the system's on workerd. */
  now(): number;
  /** Moves past the challenge lifetime: the clock on Node, real time on workerd (whose clock is the system's). */
  letChallengesExpire(): Promise<void>;
  /** An empty database (instance settings aside) and an empty request log, for the next test. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface TargetKind {
  readonly name: TargetName;
  start(): Promise<ApiTarget>;
}

/** fetch that records each request (as makeTestApp's does) before sending it on. */
function recordingFetch(received: ReceivedRequest[], send: (request: Request) => Promise<Response>): Fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    received.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body: new Uint8Array(await request.clone().arrayBuffer()) });
    const response = await send(request);
    await checkResponse(request.method, request.url, response.clone());
    return response;
  };
}

async function setupToken(db: ParleyDb): Promise<string> {
  const token = await issueSetupToken(db, (n) => crypto.getRandomValues(new Uint8Array(n)));
  if (!token) throw new Error('the instance already has an organisation: no setup link');
  return token;
}

function runSql<Row>(sqlite: Database.Database, statement: string, params: unknown[]): Row[] {
  const prepared = sqlite.prepare(statement);
  if (prepared.reader) return prepared.all(...params) as Row[];
  prepared.run(...params);
  return [];
}

/** The app in this process over a temp SQLite file, with a clock the test moves. A fresh app and database per reset. */
export const nodeTarget: TargetKind = {
  name: 'node',
  async start() {
    let current: TestApp = makeTestApp();
    const totpSecrets = new Map<string, string>();
    return {
      name: 'node',
      get baseUrl() { return current.api.baseUrl; },
      get api() { return current.api; },
      get fetch() { return current.fetch; },
      get received() { return current.received; },
      request: (path, init) => current.fetch(current.api.baseUrl + path, init ?? {}),
      storedBytes: () => databaseFilesBytes(current.dbPath),
      get db() { return current.database.db; },
      issueSetupToken: () => setupToken(current.database.db),
      sql: (statement, ...params) => runSql(current.database.sqlite, statement, params),
      async addOrganisation(orgName, username) {
        const created = await addOrganisation(current, orgName, username);
        totpSecrets.set(username, created.totpSecret);
        return created;
      },
      async signIn(username, api) {
        current.clock.now += 30_000; // a fresh TOTP step each time, so no code is reused
        return signIn(api ?? current.api, { username, password: TEST_PASSWORD, totp: totpCodeAt(totpSecrets.get(username)!, current.clock.now) }, TEST_KDF);
      },
      totpSecret: (username) => totpSecrets.get(username)!,
      now: () => current.clock.now,
      async letChallengesExpire() {
        current.clock.now += TEST_CONFIG.challengeTtlMs + 60_000;
      },
      async reset() {
        current.close();
        current = makeTestApp();
      },
      async close() {
        current.close();
      },
    };
  },
};

/** Short enough for a test to wait out; long enough that no other test's challenge expires in use. */
const WORKERD_CHALLENGE_TTL_SECONDS = 3;

// Tables that belong to D1 or to the migrators rather than to Parley, and the instance
// settings, which the running worker has cached (the KDF salt) and which a reset keeps.
const KEPT_TABLES = /^(sqlite_|_cf_|d1_migrations$|instance_settings$)/;

/**
 * Deletes every row Parley stored, in one transaction: foreign keys off (any order will do),
 * triggers set aside and restored (the audit log refuses deletes by trigger). secure_delete
 * zeroes the freed pages and a truncating checkpoint empties the WAL, so storedBytes() finds
 * no earlier test's bytes, as with the Node target's fresh file.
 */
function emptyTables(sqlite: Database.Database): void {
  const objects = runSql<{ type: string; name: string; sql: string }>(sqlite, "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')", []);
  const tables = objects.filter((o) => o.type === 'table' && !KEPT_TABLES.test(o.name));
  const triggers = objects.filter((o) => o.type === 'trigger');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('secure_delete = ON');
  sqlite.transaction(() => {
    for (const trigger of triggers) sqlite.prepare(`DROP TRIGGER "${trigger.name}"`).run();
    for (const table of tables) sqlite.prepare(`DELETE FROM "${table.name}"`).run();
    for (const trigger of triggers) sqlite.prepare(trigger.sql).run();
  })();
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export interface WorkerdTargetOptions {
  /** Static assets to serve; by default an empty directory, as API-only as the Node target. */
  assetsDir?: string;
  /** The Argon2id cost the server offers; organisations are made with it too. */
  kdf?: KdfParams;
  /** Challenge lifetime (default: short, so a test can wait one out). */
  challengeTtlSeconds?: number;
  logLevel?: 'log' | 'warn' | 'error';
  /** Adds wrangler dev's /__scheduled route, so a test can run the cron's work (server.runScheduled()). */
  testScheduled?: boolean;
  /** More worker vars (e.g. PARLEY_NOTICE_FROM), beside the test settings below. */
  vars?: Record<string, string>;
}

/**
 * The Workers build in workerd (wrangler's dev server), local D1 migrated by the wrangler CLI.
 * One worker per target; a reset empties the tables in place (starting workerd per test
 * would cost seconds each). For a browser test of the pages on workerd:
 * `startWorkerdTarget({ assetsDir: 'dist/web', kdf: PRODUCTION_KDF })`, then open `baseUrl`.
 */
export async function startWorkerdTarget(options: WorkerdTargetOptions = {}): Promise<ApiTarget & { server: WorkerdServer; persistTo: string }> {
  const kdf = options.kdf ?? TEST_KDF;
  const challengeTtlSeconds = options.challengeTtlSeconds ?? WORKERD_CHALLENGE_TTL_SECONDS;
  const serverSecret = crypto.getRandomValues(new Uint8Array(32));
  const totpSecrets = new Map<string, string>();
  const worker = await startLocalWorker({
    ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}),
    logLevel: options.logLevel ?? 'warn',
    testScheduled: options.testScheduled ?? false,
    vars: {
      PARLEY_KDF_OPS_LIMIT: String(kdf.opsLimit),
      PARLEY_KDF_MEMORY_BYTES: String(kdf.memLimitBytes),
      PARLEY_CHALLENGE_TTL_SECONDS: String(challengeTtlSeconds),
      // As TEST_CONFIG on Node: hand-made requests without work, many failures per mailbox.
      PARLEY_WORK_BITS: '0',
      PARLEY_MAILBOX_FREE_FAILURES: '1000',
      PARLEY_PUBLIC_FIGURES: 'on',
      // A secret in production (wrangler secret put); a var is the same binding to the worker.
      PARLEY_SERVER_SECRET: bytesToB64(serverSecret),
      ...options.vars,
    },
  });
  const { server: running, persistTo, sqlite: connection, db } = worker;
  const received: ReceivedRequest[] = [];
  const fetch = recordingFetch(received, (request) => globalThis.fetch(request));
  return {
    name: 'workerd',
    server: running,
    persistTo,
    baseUrl: running.url,
    api: new ApiClient(running.url, fetch),
    fetch,
    received,
    request: (path, init) => fetch(running.url + path, init ?? {}),
    storedBytes: () => Buffer.concat(filesUnder(persistTo).map((path) => readFileSync(path))),
    db,
    issueSetupToken: () => setupToken(db),
    sql: (statement, ...params) => runSql(connection, statement, params),
    async addOrganisation(orgName, username) {
      const created = await createOrganisation(db, { orgName, username, password: TEST_PASSWORD, kdf, now: Date.now(), serverSecret });
      totpSecrets.set(username, created.totpSecret);
      return created;
    },
    // workerd keeps the real time: the current code (tests sign each fresh account in once per step).
    signIn: (username, api) => signIn(api ?? new ApiClient(running.url, fetch), { username, password: TEST_PASSWORD, totp: totpCodeAt(totpSecrets.get(username)!, Date.now()) }, kdf),
    totpSecret: (username) => totpSecrets.get(username)!,
    now: () => Date.now(),
    letChallengesExpire: () => new Promise((resolve) => setTimeout(resolve, challengeTtlSeconds * 1000 + 500)),
    async reset() {
      emptyTables(connection);
      received.length = 0;
    },
    close: () => worker.close(),
  };
}

export const workerdTarget: TargetKind = { name: 'workerd', start: () => startWorkerdTarget() };

/**
 * Both targets with the scheduled work runnable: on Node as its hourly timer runs it (at the
 * test's clock), on workerd through the cron handler (wrangler's /__scheduled route).
 */
export function scheduledTargets(): { targets: TargetKind[]; runScheduled(t: ApiTarget): Promise<void> } {
  let workerdScheduled: (() => Promise<{ status: number; body: string }>) | undefined;
  const workerd: TargetKind = {
    name: 'workerd',
    async start() {
      const started = await startWorkerdTarget({ testScheduled: true });
      workerdScheduled = () => started.server.runScheduled();
      return started;
    },
  };
  return {
    targets: [nodeTarget, workerd],
    async runScheduled(t) {
      if (t.name === 'node') await runScheduledWork({ db: t.db, config: TEST_CONFIG, files: databaseFileStore(t.db) }, t.now());
      else {
        const run = await workerdScheduled!();
        if (run.status !== 200) throw new Error(`the scheduled run answered ${run.status}: ${run.body}`);
      }
    },
  };
}

/**
 * The API suite runs against each of these: `describe.each(API_TARGETS)` in every
 * test/worker file, rather than one vitest project per target, so each case visibly runs on
 * both runtimes, a single file run covers both, and `npm test` needs no extra config.
 */
export const API_TARGETS: readonly TargetKind[] = [nodeTarget, workerdTarget];

/**
 * The hooks every API suite shares: one server per file (started once, closed at the end),
 * and before each test an empty database with one organisation, "Anti-Corruption Unit",
 * whose administrator is alice.
 */
export function useTarget(kind: TargetKind, assign: (target: ApiTarget) => void): void {
  let started: ApiTarget | undefined;
  // Starting workerd builds the worker and applies the migrations to a fresh local D1: over a
  // minute on a loaded 2-core machine (a CI run timed out at the default 60 s).
  beforeAll(async () => {
    await sodiumReady();
    started = await kind.start();
    assign(started);
  }, 240_000);
  afterAll(() => started?.close());
  beforeEach(async () => {
    await started!.reset();
    await started!.addOrganisation('Anti-Corruption Unit', 'alice');
  });
}
