// Queries compiled once per database handle. Drizzle builds and compiles a query's SQL every
// time it runs (~50 µs on Node, issue 16); a prepared one only binds its values. Keyed by the
// handle, so each connection (and each D1 binding) has its own; it holds no rows.
import type { ParleyDb } from './database.js';

export function preparedOnce<T>(make: (db: ParleyDb) => T): (db: ParleyDb) => T {
  const made = new WeakMap<ParleyDb, T>();
  return (db) => {
    let statements = made.get(db);
    if (statements === undefined) {
      statements = make(db);
      made.set(db, statements);
    }
    return statements;
  };
}
