// Queries compiled once per database handle. Drizzle builds and compiles a query's SQL every
// time it runs (~50 µs on Node, issue 16); a prepared one only binds its values. Keyed by the
// handle, so each connection (and each D1 binding) has its own; it holds no rows.
import { sql, type Placeholder } from 'drizzle-orm';
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

/** An insert's values as placeholders named by their keys: compiled once, bound to a row with those keys at each run. */
export function placeholdersFor<const K extends string>(keys: readonly K[]): Record<K, Placeholder<K>> {
  return Object.fromEntries(keys.map((key) => [key, sql.placeholder(key)])) as Record<K, Placeholder<K>>;
}
