// Group commit (db/group-commit.ts, issue 16) on a real SQLite file opened as the server opens
// it (WAL, synchronous=FULL): writes asked for together share one commit, each is answered only
// once it is on disk, one that fails fails alone, and a batch SQLite rolls back is answered as lost.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCheckedSqlite } from '../../db/open-node.js';
import { commitGrouped, MAX_GROUP, MAX_HELD_TURNS } from '../../db/group-commit.js';

let dir: string;
let path: string;
let sqlite: Database.Database;
let other: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-group-commit-'));
  path = join(dir, 'test.sqlite');
  sqlite = openCheckedSqlite(path);
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  // A second connection sees only what is committed.
  other = new Database(path, { readonly: true });
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
});
afterEach(() => {
  other.close();
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (id: number) => () => sqlite.prepare('INSERT INTO t (id, v) VALUES (?, ?)').run(id, `row ${id}`).changes;
const committedIds = () => (other.prepare('SELECT id FROM t ORDER BY id').all() as { id: number }[]).map((r) => r.id);

/** Commits in the WAL file: frames whose header records a database size (only a commit's last frame does). */
function walCommits(): number {
  const wal = readFileSync(`${path}-wal`);
  if (wal.length === 0) return 0;
  const pageSize = wal.readUInt32BE(8);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) if (wal.readUInt32BE(at + 4) !== 0) commits++;
  return commits;
}

describe('group commit', () => {
  it('puts the writes asked for in one turn into one commit, and answers each only once it is committed', async () => {
    const seenWhenAnswered: number[][] = [];
    const writes = [1, 2, 3, 4, 5].map((id) => commitGrouped(sqlite, insert(id)).then((changes) => (seenWhenAnswered.push(committedIds()), changes)));
    expect(committedIds()).toEqual([]);
    expect(await Promise.all(writes)).toEqual([1, 1, 1, 1, 1]);
    expect(seenWhenAnswered.every((ids) => ids.length === 5)).toBe(true);
    expect(walCommits()).toBe(1);
    // The next turn's writes are the next commit.
    await commitGrouped(sqlite, insert(6));
    expect(walCommits()).toBe(2);
  });

  it('holds the commit while each turn of the event loop brings more writes, and commits at the first that brings none', async () => {
    const asked: Promise<number>[] = [];
    const answeredAt: number[] = [];
    let turn = 0;
    // One write in each of three turns (as requests arriving while others are handled), then none.
    await new Promise<void>((allAsked) => {
      const ask = () => {
        turn++;
        asked.push(commitGrouped(sqlite, insert(turn)).then((changes) => (answeredAt.push(committedIds().length), changes)));
        if (turn < 3) setImmediate(ask);
        else allAsked();
      };
      ask();
    });
    expect(committedIds()).toEqual([]);
    await Promise.all(asked);
    expect(walCommits()).toBe(1);
    expect(answeredAt).toEqual([3, 3, 3]);
  });

  it(`commits after ${MAX_HELD_TURNS} turns of waiting, however many writes keep arriving`, async () => {
    const firstAnswered = { atTurn: 0 };
    let turn = 0;
    const asked: Promise<unknown>[] = [];
    await new Promise<void>((allAsked) => {
      const ask = () => {
        turn++;
        const write = commitGrouped(sqlite, insert(turn));
        if (turn === 1) void write.then(() => (firstAnswered.atTurn = turn));
        asked.push(write);
        if (turn < 4 * MAX_HELD_TURNS) setImmediate(ask);
        else allAsked();
      };
      ask();
    });
    await Promise.all(asked);
    expect(firstAnswered.atTurn).toBeLessThanOrEqual(MAX_HELD_TURNS + 2);
    expect(walCommits()).toBeGreaterThanOrEqual(3);
    expect(committedIds()).toHaveLength(4 * MAX_HELD_TURNS);
  });

  it(`commits ${MAX_GROUP} writes at the next turn without waiting for more`, async () => {
    const full = Array.from({ length: MAX_GROUP }, (_, i) => commitGrouped(sqlite, insert(i + 1)));
    // Asked a turn later: after the full group's commit, not in it.
    const late = new Promise((answered) => setImmediate(() => answered(commitGrouped(sqlite, insert(MAX_GROUP + 1)))));
    await Promise.all(full);
    expect(walCommits()).toBe(1);
    await late;
    expect(walCommits()).toBe(2);
  });

  it("keeps each write's savepoint journal in memory, not in a temporary file written for every write", () => {
    // 2 = MEMORY. With a file, a batch of five submissions cost a third more a write (bench/RESULTS.md, session 32).
    expect(sqlite.pragma('temp_store', { simple: true })).toBe(2);
  });

  it('fails a write alone: the others in its commit land, and its caller hears its own error', async () => {
    await commitGrouped(sqlite, insert(2));
    const results = await Promise.allSettled([1, 2, 3].map((id) => commitGrouped(sqlite, insert(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(committedIds()).toEqual([1, 2, 3]);
  });

  it('answers every write of a batch SQLite rolled back as failed, and keeps none of it', async () => {
    const endsTransaction = () => {
      sqlite.exec('ROLLBACK'); // as SQLite does itself on some errors (a full disk, an I/O error)
      throw new Error('disk I/O error');
    };
    const results = await Promise.allSettled([commitGrouped(sqlite, insert(1)), commitGrouped(sqlite, endsTransaction), commitGrouped(sqlite, insert(3))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/disk I\/O error/);
    expect(committedIds()).toEqual([]);
    // The connection is fine afterwards.
    await commitGrouped(sqlite, insert(4));
    expect(committedIds()).toEqual([4]);
  });
});
