// A database made by protocol 1 is neither converted nor served: the server refuses to start
// on it, naming the file and what to do, and every row it held is still there afterwards.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../db/open-node.js';
import { startNodeServer } from '../../worker/node-server.js';
import { DataProtocolError } from '../../worker/data-protocol.js';
import { TEST_CONFIG } from '../support/test-app.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Migrations 0005 and later came after protocol 1. */
const isAfterProtocol1 = (name: string) => /^\d{4}_/.test(name) && Number(name.slice(0, 4)) >= 5;

/** The migrations protocol 1 shipped (0000–0004), applied as that release applied them, and one organisation with a case. */
function protocol1Database(path: string): void {
  const v1Migrations = join(dir, 'v1-migrations');
  cpSync(MIGRATIONS_DIR, v1Migrations, { recursive: true });
  for (const name of readdirSync(v1Migrations)) if (isAfterProtocol1(name)) rmSync(join(v1Migrations, name));
  const journal = join(v1Migrations, 'meta', '_journal.json');
  const meta = JSON.parse(readFileSync(journal, 'utf8')) as { entries: { tag: string }[] };
  meta.entries = meta.entries.filter((e) => !isAfterProtocol1(e.tag));
  writeFileSync(journal, JSON.stringify(meta));
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: v1Migrations });
  sqlite.prepare("INSERT INTO organisations (id, name, box_public_key, sign_public_key, key_version, created_at) VALUES ('org1', 'Old Unit', 'b', 's', 1, 0)").run();
  sqlite.prepare("INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at) VALUES ('case1', 'AAAA-BBBB', 'org1', 'received', '2026-01-01', '2026-01-01', 0)").run();
  sqlite.close();
}

describe('a database made by protocol 1', () => {
  it('is refused at start with a message naming the file and the way forward, and loses nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-upgrade-'));
    const dbPath = join(dir, 'parley.sqlite');
    protocol1Database(dbPath);
    const starting = startNodeServer({ host: '127.0.0.1', port: 0, dbPath, config: TEST_CONFIG, serverSecret: Buffer.alloc(32, 7).toString('base64url') });
    await expect(starting).rejects.toBeInstanceOf(DataProtocolError);
    await expect(starting).rejects.toThrow(new RegExp(`${dbPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} holds data made by Parley protocol 1.*Nothing has been changed or deleted.*docs/OPERATIONS.md`));
    const sqlite = new Database(dbPath, { readonly: true });
    expect(sqlite.prepare('SELECT id, name FROM organisations').all()).toEqual([{ id: 'org1', name: 'Old Unit' }]);
    expect(sqlite.prepare('SELECT reference FROM cases').all()).toEqual([{ reference: 'AAAA-BBBB' }]);
    sqlite.close();
  });

  it('an empty database is not affected: the server starts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-upgrade-'));
    const server = await startNodeServer({ host: '127.0.0.1', port: 0, dbPath: join(dir, 'parley.sqlite'), config: TEST_CONFIG, serverSecret: Buffer.alloc(32, 7).toString('base64url') });
    expect((await fetch(`${server.url}/api/config`)).status).toBe(200);
    await server.close();
  });
});
