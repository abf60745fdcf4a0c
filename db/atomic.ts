// Writes that must land together. D1 has no interactive transactions, so there the
// statements go in one db.batch (which D1 runs as a transaction); on better-sqlite3 they
// run inside a synchronous transaction on the same connection.
import type { BatchItem } from 'drizzle-orm/batch';
import type { ParleyDb } from './database.js';

export type Runnable = BatchItem<'sqlite'> & { run(): unknown };

export async function runAtomically(db: ParleyDb, statements: readonly Runnable[]): Promise<void> {
  if (statements.length === 0) return;
  const batchable = db as unknown as { batch?: (items: readonly Runnable[]) => Promise<unknown> };
  if (typeof batchable.batch === 'function') {
    await batchable.batch(statements);
    return;
  }
  const syncDb = db as unknown as { transaction(run: () => void): void };
  syncDb.transaction(() => {
    for (const statement of statements) statement.run();
  });
}
