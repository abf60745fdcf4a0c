// Migration 0011 on a database made before it: upload parts were 16 chunks then, and each file
// keeps the part size it was declared with, so its stored part count still adds up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { FILE_PART_BYTES_BEFORE_0011, fileCipherLength, filePartCount } from '../../web/protocol/file-lengths.js';
import { migrateAll, migrateBefore } from '../support/migrations.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('gives the files already stored the 16-chunk parts they were declared with', () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-0011-'));
  const path = join(dir, 'parley.sqlite');
  migrateBefore(dir, path, 11);
  const sqlite = new Database(path);
  sqlite.prepare("INSERT INTO organisations (id, name, box_public_key, sign_public_key, key_version, created_at) VALUES ('org1', 'Unit', 'b', 's', 1, 0)").run();
  sqlite.prepare("INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at) VALUES ('c1', 'AAAA-0001', 'org1', 'received', '2026-12-04', '2026-12-04', 0)").run();
  sqlite.prepare("INSERT INTO messages (id, case_id, seq, role, envelope, signature, day) VALUES ('m1', 'c1', 1, 'reporter', 'e', 's', '2026-12-04')").run();
  const bytes = fileCipherLength(3_000_000);
  // As the server before 0011 declared it: parts of 16 chunks.
  const parts = Math.ceil(bytes / (16 * 65552));
  sqlite.prepare("INSERT INTO files (id, case_id, message_id, role, bytes, parts, complete, created_day) VALUES ('f1', 'c1', 'm1', 'reporter', ?, ?, 0, '2026-12-04')").run(bytes, parts);
  sqlite.close();

  const upgraded = migrateAll(path);
  const row = upgraded.prepare('SELECT part_bytes, parts FROM files').get() as { part_bytes: number; parts: number };
  expect(row).toEqual({ part_bytes: FILE_PART_BYTES_BEFORE_0011, parts });
  expect(filePartCount(bytes, row.part_bytes)).toBe(row.parts);
  upgraded.close();
});
