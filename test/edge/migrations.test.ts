// The one migrations folder, applied both ways: `wrangler d1 migrations apply DB --local`
// (what deployments and `npm run dev:edge` run) must apply cleanly from empty and leave
// exactly the schema the Node migrator (db/open-node.ts) makes.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openNodeDatabase } from '../../db/open-node.js';
import { applyD1Migrations, d1DatabaseFile, runWrangler } from '../support/workerd.js';

// Bookkeeping that is not Parley's schema: SQLite's own, D1's (_cf_*), and each migrator's record.
const NOT_PARLEY = /^(sqlite_|_cf_|d1_migrations$|__drizzle_migrations$)/;

/** Every table, column, foreign key, index and trigger, with the SQL SQLite keeps for it. */
function describeSchema(sqlite: Database.Database) {
  const objects = (sqlite.prepare('SELECT type, name, tbl_name AS tableName, sql FROM sqlite_master ORDER BY type, name').all() as { type: string; name: string; tableName: string; sql: string | null }[])
    .filter((o) => !NOT_PARLEY.test(o.tableName));
  const tables = objects.filter((o) => o.type === 'table').map((o) => o.name);
  return {
    objects,
    tables: Object.fromEntries(tables.map((table) => [table, {
      columns: sqlite.pragma(`table_xinfo("${table}")`),
      foreignKeys: sqlite.pragma(`foreign_key_list("${table}")`),
      indexes: (sqlite.pragma(`index_list("${table}")`) as { name: string }[])
        .map((index) => ({ ...index, columns: sqlite.pragma(`index_xinfo("${index.name}")`) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }])),
  };
}

describe('wrangler d1 migrations apply', () => {
  let dir: string;
  let firstRun: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-migrations-'));
    firstRun = await applyD1Migrations(join(dir, 'd1'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const migrationFiles = readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql')).sort();

  it('applies every migration in db/migrations cleanly from empty, and then has nothing left to do', async () => {
    expect(migrationFiles.length).toBeGreaterThan(0);
    for (const name of migrationFiles) expect(firstRun).toMatch(new RegExp(`${name.replace('.', '\\.')}\\s*│\\s*✅`));
    const d1 = new Database(d1DatabaseFile(join(dir, 'd1')), { readonly: true });
    try {
      expect(d1.prepare('SELECT name FROM d1_migrations ORDER BY id').pluck().all()).toEqual(migrationFiles);
    } finally {
      d1.close();
    }
    const again = await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', join(dir, 'd1')]);
    expect(again.code).toBe(0);
    expect(again.output).toContain('No migrations to apply');
  });

  it('leaves the same schema as the Node migrator', () => {
    const node = openNodeDatabase(join(dir, 'node.sqlite'));
    const d1 = new Database(d1DatabaseFile(join(dir, 'd1')), { readonly: true });
    try {
      const nodeSchema = describeSchema(node.sqlite);
      expect(Object.keys(nodeSchema.tables)).toContain('cases');
      expect(describeSchema(d1)).toEqual(nodeSchema);
    } finally {
      d1.close();
      node.close();
    }
  });
});
