// A database migrated only up to a given migration, as an older Parley left it: the migration
// tests put rows in it, then apply the current migrations as the server does at start.
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { MIGRATIONS_DIR } from '../../db/open-node.js';

/** Applies the migrations numbered below `first` to the SQLite file at `path` (a copy of them is made in `dir`). */
export function migrateBefore(dir: string, path: string, first: number): void {
  const older = join(dir, `migrations-before-${first}`);
  const kept = (name: string) => !/^\d{4}_/.test(name) || Number(name.slice(0, 4)) < first;
  cpSync(MIGRATIONS_DIR, older, { recursive: true });
  for (const name of readdirSync(older)) if (!kept(name)) rmSync(join(older, name));
  const journal = join(older, 'meta', '_journal.json');
  const meta = JSON.parse(readFileSync(journal, 'utf8')) as { entries: { tag: string }[] };
  meta.entries = meta.entries.filter((e) => kept(e.tag));
  writeFileSync(journal, JSON.stringify(meta));
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: older });
  sqlite.close();
}

/** The current migrations, as the server applies them at start. */
export function migrateAll(path: string): Database.Database {
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS_DIR });
  return sqlite;
}
