// Group commit on better-sqlite3 (issue 16): writes asked for in the same turn of the event
// loop run in one transaction, each in a savepoint of its own (one that fails rolls back alone
// and its caller hears why), and every caller hears its outcome only after the COMMIT. With
// synchronous=FULL the COMMIT returns after the fsync, so an acknowledged write is exactly as
// durable as before; N writes arriving together cost one fsync instead of N. Nothing is held
// back that a caller has been told about, and nothing is answered before it is on disk.
import type Database from 'better-sqlite3';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const queues = new WeakMap<Database.Database, Pending[]>();

/** Runs `work` (synchronous statements) in the next group commit on this connection. */
export function commitGrouped<T>(sqlite: Database.Database, work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let queue = queues.get(sqlite);
    if (!queue) {
      queue = [];
      queues.set(sqlite, queue);
      setImmediate(() => flush(sqlite));
    }
    queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
  });
}

/** Thrown inside the batch when SQLite itself rolled the whole transaction back (a full disk, I/O error). */
class BatchLost extends Error {}

function flush(sqlite: Database.Database): void {
  const batch = queues.get(sqlite) ?? [];
  queues.delete(sqlite);
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
