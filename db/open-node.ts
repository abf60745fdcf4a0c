// Node: open (creating if need be) the embedded SQLite file and apply the migrations.
// A file Parley cannot write, or whose pages are damaged, is refused here, naming the file:
// served anyway, the first would fail every request and the second would lose more data.
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import * as schema from './schema.js';
import type { ParleyDb } from './database.js';
import { StartupRefusal } from '../worker/startup-refusal.js';
import { keepWritesCompiled } from './statement-cache.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface NodeDatabase {
  db: ParleyDb;
  sqlite: Database.Database;
  close(): void;
}

/** `path` may be ':memory:' for tests that need no file. Throws StartupRefusal for a file it cannot use. */
export function openNodeDatabase(path: string): NodeDatabase {
  const sqlite = openCheckedSqlite(path);
  const db = drizzle(sqlite, { schema });
  try {
    migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  } catch (error) {
    sqlite.close();
    throw refusalFor(error, path) ?? error;
  }
  // After the migrations: their DDL runs once.
  keepWritesCompiled(sqlite);
  return { db: db as unknown as ParleyDb, sqlite, close: () => sqlite.close() };
}

/**
 * The file with Parley's settings, checked writable and undamaged, without migrating it
 * (`npm run doctor` reports pending migrations rather than applying them).
 */
/** How long a write waits for another process's lock before answering storage_busy. */
export const BUSY_TIMEOUT_MS = 200;

export function openCheckedSqlite(path: string): Database.Database {
  let sqlite: Database.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path);
    // WAL + synchronous=FULL: an acknowledged write survives a crash or power loss.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // Deleted rows (used challenges, ended sessions) are overwritten, not left in free pages.
    sqlite.pragma('secure_delete = ON');
    // Group commit gives each write a savepoint (db/group-commit.ts), whose journal would
    // otherwise be a temporary file written for every write. In memory it costs no I/O; a
    // commit's durability is the WAL's alone, so nothing an acknowledged write relies on moves.
    sqlite.pragma('temp_store = MEMORY');
    // better-sqlite3 waits for a lock by blocking the event loop, so the wait is short: another
    // process holding the database (a migration, a tool) costs one request a 503 storage_busy
    // with Retry-After, not every request a freeze.
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    requireUndamaged(sqlite, path);
    requireWritable(sqlite);
    return sqlite;
  } catch (error) {
    sqlite?.close();
    throw refusalFor(error, path) ?? error;
  }
}

/** quick_check reads every page's structure (not index contents), so it stays fast on a large file. */
function requireUndamaged(sqlite: Database.Database, path: string): void {
  const findings = (sqlite.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check.replace(/\s*\n\s*/g, ' '));
  if (findings.length === 1 && findings[0] === 'ok') return;
  throw damaged(path, `PRAGMA quick_check reports: ${findings.slice(0, 3).join('; ')}${findings.length > 3 ? ` (and ${findings.length - 3} more)` : ''}`);
}

/** In WAL mode BEGIN IMMEDIATE succeeds on a read-only file; only writing a page finds out. Nothing is kept. */
function requireWritable(sqlite: Database.Database): void {
  const userVersion = sqlite.pragma('user_version', { simple: true }) as number;
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    sqlite.pragma(`user_version = ${userVersion}`);
  } finally {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
  }
}

/** The refusal for an error SQLite or the file system gave on this file, or null for one that is not the operator's to fix. */
function refusalFor(error: unknown, path: string): StartupRefusal | null {
  if (error instanceof StartupRefusal) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  const reason = error instanceof Error ? error.message : String(error);
  if (/^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/.test(code) || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    const uid = process.getuid?.();
    return new StartupRefusal(
      `Parley cannot write to the database ${path} (${reason}).`,
      `Give the user Parley runs as${uid === undefined ? '' : ` (uid ${uid})`} write access to that file and to its folder ${dirname(path)}, ` +
        `where SQLite keeps ${basename(path)}-wal and ${basename(path)}-shm, and check the folder is not on a read-only mount.`,
      { cause: error },
    );
  }
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return damaged(path, reason, error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StartupRefusal(`The disk holding the database ${path} is full (${reason}).`, 'Free space on that file system, then start again; `npm run doctor` shows how much is left.', { cause: error });
  }
  return null;
}

function damaged(path: string, finding: string, cause?: unknown): StartupRefusal {
  return new StartupRefusal(
    `The database ${path} is damaged (${finding}). Parley will not serve it, so nothing more is lost; nothing has been changed.`,
    `Stop anything else using the file, copy it aside together with any ${basename(path)}-wal beside it, and restore your latest backup in its place. ` +
      'To get back what the damaged copy still holds, run `sqlite3 <copy> .recover` (docs/OPERATIONS.md, "Start-up refusals").',
    cause === undefined ? undefined : { cause },
  );
}

/** Migrations this code has that the file has not had yet, and whether a newer Parley has migrated it further. */
export function migrationState(sqlite: Database.Database): { pending: number; newerThanCode: boolean } {
  const known = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get() !== undefined;
  // Drizzle applies every migration younger than the last one recorded (dialect.js, migrate()).
  const last = hasTable ? (sqlite.prepare('SELECT MAX(created_at) AS at FROM __drizzle_migrations').get() as { at: number | null }).at : null;
  const lastAt = last === null ? null : Number(last);
  return {
    pending: known.filter((m) => lastAt === null || lastAt < m.folderMillis).length,
    newerThanCode: lastAt !== null && known.every((m) => m.folderMillis < lastAt),
  };
}
