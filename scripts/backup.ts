// `npm run backup [-- --out FILE]`: a consistent copy of the Node server's database, taken
// while the server keeps running. Copying parley.sqlite with cp is not a backup: acknowledged
// reports still in parley.sqlite-wal are left behind, and integrity_check still says ok.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../db/schema.js';
import type { ParleyDb } from '../db/database.js';
import { migrationState } from '../db/open-node.js';
import { readNodeEnv } from '../worker/env-node.js';
import { judgeServerSecret, type ServerSecretVerdict } from '../worker/server-secret-check.js';
import { readNodeServerSecret, serverSecretPath } from '../worker/server-secret-node.js';

/** Why a backup failed; each is printed by name. */
export type BackupFailure = 'no_database' | 'output_exists' | 'copy_failed' | 'integrity_failed' | 'migrations_differ';

export class BackupError extends Error {
  override name = 'BackupError';
  constructor(readonly failure: BackupFailure, message: string) {
    super(`${failure}: ${message}`);
  }
}

export interface BackupResult {
  path: string;
  bytes: number;
  counts: { organisations: number; cases: number; messages: number };
  /** Migrations applied (the same as the source's), how many this release would still apply, and whether a newer release made it. */
  migrations: { applied: number; pending: number; newerThanCode: boolean };
}

interface MigrationRow {
  hash: string;
  created_at: number;
}

function appliedMigrations(sqlite: Database.Database): MigrationRow[] {
  return sqlite.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at, id').all() as MigrationRow[];
}

/**
 * Copies the database at `sourcePath` to `outPath` with VACUUM INTO on a read-only connection
 * of its own: one read transaction, so the copy is the database as of one moment, WAL
 * included, and the server's writers are not blocked (unlike the backup API, which starts
 * over whenever another process writes). The copy is written beside the target as
 * `.partial`, synced, checked (integrity_check, same migrations as the source), and only
 * then renamed into place, so a file at `outPath` is always a checked backup.
 */
export function backupDatabase(sourcePath: string, outPath: string): BackupResult {
  if (sourcePath === ':memory:' || !existsSync(sourcePath)) throw new BackupError('no_database', `no database at ${sourcePath} (PARLEY_DB)`);
  if (existsSync(outPath)) throw new BackupError('output_exists', `${outPath} already exists; choose another --out`);
  const partial = `${outPath}.partial`;
  mkdirSync(dirname(outPath), { recursive: true, mode: 0o700 });
  let sourceMigrations: MigrationRow[];
  try {
    // Owner-only from the start: it holds the same ciphertext and wrapped keys as the database.
    writeFileSync(partial, '', { mode: 0o600, flag: 'wx' });
    const source = new Database(sourcePath, { readonly: true, fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      sourceMigrations = appliedMigrations(source);
      source.prepare('VACUUM INTO ?').run(partial);
    } finally {
      source.close();
    }
    // VACUUM INTO does not sync its output; a backup that a power cut can tear is not one.
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError('copy_failed', `could not copy ${sourcePath} to ${partial}: ${(error as Error).message}`);
  }

  let counts: BackupResult['counts'];
  let migrations: BackupResult['migrations'];
  try {
    const copy = new Database(partial, { readonly: true, fileMustExist: true });
    try {
      const integrity = (copy.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      if (integrity.join() !== 'ok') throw new BackupError('integrity_failed', `integrity_check of the copy says: ${integrity.slice(0, 5).join('; ')}`);
      const copied = appliedMigrations(copy);
      if (JSON.stringify(copied) !== JSON.stringify(sourceMigrations)) {
        throw new BackupError('migrations_differ', `the copy has ${copied.length} migrations, the source had ${sourceMigrations.length} (was the server upgraded during the backup?)`);
      }
      const count = (table: string) => (copy.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      counts = { organisations: count('organisations'), cases: count('cases'), messages: count('messages') };
      migrations = { applied: copied.length, ...migrationState(copy) };
    } finally {
      copy.close();
    }
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError('integrity_failed', `could not read the copy: ${(error as Error).message}`);
  }

  if (existsSync(outPath)) {
    rmSync(partial, { force: true });
    throw new BackupError('output_exists', `${outPath} appeared during the backup; choose another --out`);
  }
  renameSync(partial, outPath);
  syncDirectory(dirname(outPath));

  return { path: outPath, bytes: statSync(outPath).size, counts, migrations };
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot open a directory for sync; the file itself is already synced.
  }
}

/**
 * `./backups/parley-YYYY-MM-DD-N.sqlite`: the UTC day and the first free counter. The name
 * says no more than the day; it is the operator's file, and the file's own times say the rest.
 */
export function defaultBackupPath(dir: string, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10);
  for (let n = 1; ; n++) {
    const path = join(dir, `parley-${day}-${n}.sqlite`);
    if (!existsSync(path) && !existsSync(`${path}.partial`)) return path;
  }
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Whether the server secret the server would use now is the one this backup's sealed values were made under. */
async function secretVerdict(backupPath: string, secret: Uint8Array): Promise<ServerSecretVerdict> {
  const sqlite = new Database(backupPath, { readonly: true, fileMustExist: true });
  try {
    return await judgeServerSecret(drizzle(sqlite, { schema }) as unknown as ParleyDb, secret);
  } finally {
    sqlite.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const env = readNodeEnv(process.env);
  const out = resolve(values.out ?? defaultBackupPath('./backups'));
  const result = backupDatabase(env.PARLEY_DB, out);
  const { applied, pending, newerThanCode } = result.migrations;
  console.log(`Backed up ${env.PARLEY_DB} to ${result.path}`);
  console.log(`  ${formatBytes(result.bytes)}; integrity_check ok`);
  console.log(`  ${result.counts.cases} cases, ${result.counts.messages} messages, ${result.counts.organisations} organisations`);
  console.log(
    `  schema: ${applied} migrations, as in the source` +
      (newerThanCode ? ' (from a newer Parley: restore it with that release)' : pending > 0 ? ` (this release applies ${pending} more when it starts on it)` : ''),
  );

  // The secret is deliberately not in the database (worker/server-secret-node.ts), so not in the backup.
  const fromEnv = process.env.PARLEY_SERVER_SECRET;
  const secretAt = fromEnv !== undefined ? 'PARLEY_SERVER_SECRET' : serverSecretPath(env.PARLEY_DB);
  console.log(`The server secret (${secretAt}) is NOT in this backup. Keep a copy of it apart from the backups;`);
  console.log('without it no investigator can sign in (their TOTP secrets are sealed with it). See docs/OPERATIONS.md, "Backup and restore".');
  // The backup itself is sound either way; these say what a restore would run into.
  try {
    const secret = readNodeServerSecret(env.PARLEY_DB, fromEnv);
    const verdict: ServerSecretVerdict | null = secret ? await secretVerdict(result.path, secret) : null;
    if (verdict === null) console.log(`  warning: there is no server secret at ${secretAt} yet.`);
    else if (verdict === 'differs') console.log(`  warning: the server secret at ${secretAt} is not the one this database was set up with; find the right one before you need it.`);
  } catch (error) {
    console.log(`  warning: ${error instanceof Error ? error.message : String(error)}`);
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
