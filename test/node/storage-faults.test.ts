// Issue 11, faults: a full disk is a condition, not a bug. Writes are refused with their own
// code and a Retry-After, and what needs no write — a reporter opening their mailbox, an
// investigator reading the case list — keeps working. Real SQLite, made full by capping its
// page count at its size after compaction (no free page is left, so any row that needs a new
// page fails with SQLITE_FULL, as on a full disk).
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { b64ToBytes, sodiumReady } from '../../web/protocol/index.js';
import { openMailbox } from '../../web/client/reporter.js';
import { listCases, signOut } from '../../web/client/investigator.js';
import { nodeHousekeeping } from '../../worker/node-server.js';
import { sha256B64 } from '../../worker/server-crypto.js';
import { databaseFilesBytes } from '../support/bytes-search.js';
import { addOrganisation, makeTestApp, signInAs, TEST_CONFIG, type TestApp } from '../support/test-app.js';
import { draftReport, fileReport } from '../support/reports.js';

let t: TestApp;
beforeAll(sodiumReady);
afterEach(() => t.close());

function fillTheDisk(app: TestApp): void {
  const sqlite = app.database.sqlite;
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('VACUUM');
  const pages = sqlite.pragma('page_count', { simple: true }) as number;
  expect(sqlite.pragma('freelist_count', { simple: true })).toBe(0);
  sqlite.pragma(`max_page_count = ${pages}`);
}

describe('a full disk', () => {
  it('refuses writes with storage_full and a time to retry, and keeps reads working', async () => {
    t = makeTestApp();
    const { totpSecret } = await addOrganisation(t, 'Unit', 'alice');
    const { keys, config } = await fileReport(t.api, 'before the disk filled');
    const alice = await signInAs(t, 'alice', totpSecret);

    fillTheDisk(t);
    const refused = await t.app.request('/api/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify((await draftReport(t.api, 'x'.repeat(3000), { config })).submission),
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('storage_full');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // The reporter still reads their mailbox; the investigator still reads the list, a minute on.
    await expect(openMailbox(t.api, keys)).resolves.toMatchObject({ status: 'received' });
    t.clock.now += 90_000;
    await expect(listCases(t.api, alice)).resolves.toHaveLength(1);
  });
});

describe('a database held by another process', () => {
  it('answers reads, and refuses writes with storage_busy and a time to retry, instead of a 500', async () => {
    t = makeTestApp();
    await addOrganisation(t, 'Unit', 'alice');
    const { submission: whileHeld } = await draftReport(t.api, 'while held');
    const other = new Database(t.dbPath);
    other.exec('BEGIN IMMEDIATE');
    other.prepare("INSERT INTO instance_settings (key, value) VALUES ('held', 'by another process')").run();
    try {
      expect((await t.app.request('/api/config')).status).toBe(200);
      const refused = await t.app.request('/api/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(whileHeld),
      });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('storage_busy');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});

describe('what the files keep of deleted rows', () => {
  it('an ended session is gone from the database and its log after the hourly housekeeping', async () => {
    t = makeTestApp();
    const { totpSecret } = await addOrganisation(t, 'Unit', 'alice');
    const alice = await signInAs(t, 'alice', totpSecret);
    const tokenHash = await sha256B64(b64ToBytes(alice.token)!);
    await signOut(t.api, alice);
    // The row was deleted, but the log still holds the page from before.
    expect(databaseFilesBytes(t.dbPath).includes(tokenHash)).toBe(true);
    await nodeHousekeeping(t.database, TEST_CONFIG, t.clock.now);
    expect(databaseFilesBytes(t.dbPath).includes(tokenHash)).toBe(false);
  });
});
