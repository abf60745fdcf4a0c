// Crash durability, short version of `npm run soak`: the Node server under concurrent writes
// is SIGKILLed at random moments and restarted on the same file; every acknowledged write
// must still be there, the file must pass integrity_check and the schema's invariants.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ackedTotal } from '../crash-soak/format.js';
import { runCrashSoak, type SoakOptions } from '../crash-soak/run.js';

const SHORT: SoakOptions = { cycles: 3, seed: 20_261_122, concurrency: 4, investigatorLanes: 1, killAfterMs: { min: 100, max: 700 }, reportsPerCycle: 2, maxSeconds: 150 };

describe('crash durability of the Node server', () => {
  it('keeps every acknowledged write through SIGKILL mid-load, with a sound file after each kill', async () => {
    const result = await runCrashSoak(SHORT);
    expect(result.problems).toEqual([]);
    expect(result.cycles).toHaveLength(SHORT.cycles);
    // The test means something only if writes were acknowledged and the kills hit them mid-flight.
    for (const cycle of result.cycles) {
      expect(ackedTotal(cycle.load), `cycle ${cycle.cycle}: acknowledged writes`).toBeGreaterThan(0);
      expect(cycle.load.inFlightAtKill, `cycle ${cycle.cycle}: writes in flight at the kill`).toBeGreaterThan(0);
      expect(cycle.verify.lost).toBe(0);
      expect(cycle.afterKill.integrity).toBe('ok');
      expect(cycle.afterKill.violations).toEqual([]);
    }
    expect(result.cycles.at(-1)!.verify.checkedReplies).toBeGreaterThan(0);
    expect(result.lostAcknowledged).toBe(0);
    expect(result.final?.integrity).toBe('ok');
    expect(result.ok).toBe(true);
  }, 150_000);

  it('notices an acknowledged report that is gone after the restart', async () => {
    let removed = '';
    const result = await runCrashSoak({
      ...SHORT,
      cycles: 1,
      reportsPerCycle: 1,
      // Stands in for a durability bug: the whole acknowledged case vanishes with the crash.
      afterKill(dbPath, ledger) {
        removed = ledger.cases.keys().next().value!;
        const sqlite = new Database(dbPath);
        for (const table of ['case_reads', 'case_notes', 'messages', 'mailboxes', 'case_keys', 'cases']) sqlite.prepare(`DELETE FROM ${table} WHERE ${table === 'cases' ? 'id' : 'case_id'} = ?`).run(removed);
        sqlite.close();
      },
    });
    // A failed run keeps its database for inspection; this failure was made on purpose.
    if (result.dbPath) rmSync(dirname(result.dbPath), { recursive: true, force: true });
    expect(result.ok).toBe(false);
    expect(result.lostAcknowledged).toBeGreaterThan(0);
    expect(result.problems).toContainEqual(expect.stringContaining(`LOST report ${removed}`));
    expect(result.dbPath).not.toBeNull();
  }, 150_000);
});
