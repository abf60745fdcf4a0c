// Group commit on better-sqlite3 (issue 16): writes asked for in the same turn of the event
// loop run in one transaction, each in a savepoint of its own (one that fails rolls back alone
// and its caller hears why), and every caller hears its outcome only after the COMMIT. With
// synchronous=FULL the COMMIT returns after the fsync, so an acknowledged write is exactly as
// durable as before; N writes arriving together cost one fsync instead of N. Nothing is held
// back that a caller has been told about, and nothing is answered before it is on disk.
//
// The commit waits while each turn of the event loop brings more writes (requests that arrived
// while the last ones were being handled), up to MAX_HELD_TURNS turns or MAX_GROUP writes: a
// write's share of a COMMIT falls as the group grows (0.46 ms a write in fives, 0.38 in tens
// on Parley's schema: bench/RESULTS.md), and a lone write waits one empty turn.
import type Database from 'better-sqlite3';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Group {
  pending: Pending[];
  /** How many writes it held at the last turn, and how many turns it has waited. */
  seen: number;
  turns: number;
}

/** At most this many turns of the event loop between a write and its COMMIT. */
export const MAX_HELD_TURNS = 8;
/** A group this large commits at the next turn, whatever else is arriving. */
export const MAX_GROUP = 64;

const groups = new WeakMap<Database.Database, Group>();
const committed = new WeakMap<Database.Database, { commits: number; writes: number }>();

/** How many group commits this connection has made, and the writes in them (for the benchmarks: bench/server.ts). */
export function groupCommitCounts(sqlite: Database.Database): { commits: number; writes: number } {
  return { ...(committed.get(sqlite) ?? { commits: 0, writes: 0 }) };
}

/** Runs `work` (synchronous statements) in the next group commit on this connection. */
export function commitGrouped<T>(sqlite: Database.Database, work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let group = groups.get(sqlite);
    if (!group) {
      group = { pending: [], seen: 0, turns: 0 };
      groups.set(sqlite, group);
      setImmediate(() => turn(sqlite));
    }
    group.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
  });
}

/** Once a turn: commit, unless this turn brought more writes and the group may wait another. */
function turn(sqlite: Database.Database): void {
  const group = groups.get(sqlite)!;
  const grew = group.pending.length > group.seen;
  if (grew && group.pending.length < MAX_GROUP && group.turns < MAX_HELD_TURNS) {
    group.seen = group.pending.length;
    group.turns++;
    setImmediate(() => turn(sqlite));
    return;
  }
  groups.delete(sqlite);
  const counts = committed.get(sqlite) ?? { commits: 0, writes: 0 };
  committed.set(sqlite, { commits: counts.commits + 1, writes: counts.writes + group.pending.length });
  flush(sqlite, group.pending);
}

/** Thrown inside the batch when SQLite itself rolled the whole transaction back (a full disk, I/O error). */
class BatchLost extends Error {}

function flush(sqlite: Database.Database, batch: Pending[]): void {
  const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
  try {
    sqlite.transaction(() => {
      for (const pending of batch) {
        try {
          outcomes.push({ ok: true, value: sqlite.transaction(pending.work)() });
        } catch (error) {
          // Some errors (SQLITE_FULL, SQLITE_IOERR…) end the whole transaction, not just the
          // savepoint: the writes before this one are gone too, so none of the batch may be told it landed.
          if (!sqlite.inTransaction) throw new BatchLost('the group commit was rolled back', { cause: error });
          outcomes.push({ ok: false, error });
        }
      }
    })();
  } catch (error) {
    const cause = error instanceof BatchLost ? error.cause : error;
    for (const pending of batch) pending.reject(cause);
    return;
  }
  batch.forEach((pending, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) pending.resolve(outcome.value);
    else pending.reject(outcome.error);
  });
}
