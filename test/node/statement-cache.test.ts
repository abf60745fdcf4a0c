// db/statement-cache.ts: a write statement is compiled once by its text and reused (issue 16:
// compiling was ~8 % of a report's CPU); readers are compiled afresh, and the kept ones are bounded.
import { afterEach, describe, expect, it } from 'vitest';
import { openNodeDatabase, type NodeDatabase } from '../../db/open-node.js';
import { KEPT_WRITES } from '../../db/statement-cache.js';

describe('write statements kept compiled (Node)', () => {
  let database: NodeDatabase | undefined;
  afterEach(() => database?.close());
  const insert = (n: number) => `INSERT INTO challenges (challenge_hash, expires_at) VALUES ('h${n}', ${n})`;

  it('the database Parley opens reuses a write statement with the same text, and runs it each time', () => {
    database = openNodeDatabase(':memory:');
    const { sqlite } = database;
    const sql = 'INSERT INTO challenges (challenge_hash, expires_at) VALUES (?, ?)';
    expect(sqlite.prepare(sql)).toBe(sqlite.prepare(sql));
    sqlite.prepare(sql).run('a', 1);
    sqlite.prepare(sql).run('b', 2);
    expect(sqlite.prepare('SELECT challenge_hash FROM challenges ORDER BY expires_at').pluck().all()).toEqual(['a', 'b']);
  });

  it('compiles readers afresh: drizzle puts some into raw mode', () => {
    database = openNodeDatabase(':memory:');
    const sql = 'SELECT challenge_hash FROM challenges';
    expect(database.sqlite.prepare(sql)).not.toBe(database.sqlite.prepare(sql));
  });

  it(`keeps at most ${KEPT_WRITES}, the least recently used going first`, () => {
    database = openNodeDatabase(':memory:');
    const { sqlite } = database;
    const first = sqlite.prepare(insert(0));
    const second = sqlite.prepare(insert(1));
    for (let n = 2; n <= KEPT_WRITES; n++) {
      sqlite.prepare(insert(n));
      // The first stays the most recently used.
      expect(sqlite.prepare(insert(0))).toBe(first);
    }
    // One over the limit: the second, used least recently, has gone; the first is still kept.
    expect(sqlite.prepare(insert(1))).not.toBe(second);
    expect(sqlite.prepare(insert(0))).toBe(first);
  });
});
