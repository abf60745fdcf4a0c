// Node: better-sqlite3 compiles a statement from its SQL text each time drizzle runs a query it
// built, and a report's write runs a dozen (~8 % of its CPU in a profile, issue 16). Writes
// (statements that return no rows) are kept compiled by their text and reused: a compiled
// statement holds no values (they are bound at each run), so reuse changes nothing stored or
// answered. Readers are not kept: drizzle switches a statement into raw mode for some callers
// and not for others, and the hot reads are prepared once already (db/prepared.ts).
import type Database from 'better-sqlite3';

/** Most distinct write statements kept (the least recently used goes first). */
export const KEPT_WRITES = 256;

export function keepWritesCompiled(sqlite: Database.Database, limit = KEPT_WRITES): void {
  const compile = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const found = kept.get(source);
    if (found) {
      // Map order is use order: the oldest use is the first key.
      kept.delete(source);
      kept.set(source, found);
      return found;
    }
    const statement = compile(source);
    if (!statement.reader) {
      kept.set(source, statement);
      if (kept.size > limit) kept.delete(kept.keys().next().value!);
    }
    return statement;
  }) as typeof sqlite.prepare;
}
