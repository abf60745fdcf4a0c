// Reads that do not depend on each other, made in one go (and, with writeThenRead, after a write
// whose answer they go with). On D1 every call is a round trip to the database, so they go in one
// db.batch: one trip however many reads (issue 16). On better-sqlite3 a read is a function call,
// and each runs by itself. Each read is a prepared statement (once, db/prepared.ts, unless its
// shape varies by request) and its values, so a query is written once for both runtimes.
// No joins of tables that share a column name: D1's batch answers rows keyed by column name,
// so one of the two columns would be lost. Select such tables' columns under names of their own
// (prefixedColumns), or read them as separate reads of the batch.
import { getTableColumns, sql, type InferSelectModel, type SQL, type Table } from 'drizzle-orm';
import type { ParleyDb } from './database.js';
import { inOneCommit } from './atomic.js';
import { boundD1, d1ClientOf, isD1Prepared, type D1Client, type D1Prepared as Bindable } from './d1-statements.js';
import { mapRows, type JoinsNotNullable, type SelectedField, type Selection } from './row-mapper.js';

type Values = Record<string, unknown>;

interface Statement<T> {
  get?(values: Values): T | Promise<T>;
  all?(values: Values): T | Promise<T>;
}

export interface Read<T> {
  readonly statement: Statement<T>;
  readonly values: Values;
  readonly mode: 'get' | 'all';
}

/** The first row, or undefined. */
export const readOne = <T>(statement: { get(values: Values): T | Promise<T> }, values: Values): Read<T> => ({ statement, values, mode: 'get' });
export const readAll = <T>(statement: { all(values: Values): T | Promise<T> }, values: Values): Read<T> => ({ statement, values, mode: 'all' });

/**
 * A table's columns selected as `<prefix>_<column>`, each decoded as its column decodes it: a
 * join of tables that share column names can then be one read of a batch. A left-joined table
 * that found no row comes back with every field null (drizzle nulls only a table selected whole).
 */
export function prefixedColumns<T extends Table>(table: T, prefix: string): { [K in keyof InferSelectModel<T>]: SQL.Aliased<InferSelectModel<T>[K]> } {
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([key, column]) => [key, sql`${column}`.mapWith(column).as(`${prefix}_${column.name}`)]),
  ) as { [K in keyof InferSelectModel<T>]: SQL.Aliased<InferSelectModel<T>[K]> };
}

/** What drizzle's D1 prepared query keeps besides its statement: its selection and its own row mapping. */
interface D1Prepared extends Bindable {
  fields?: SelectedField[];
  joinsNotNullableMap?: JoinsNotNullable;
  customResultMapper?: unknown;
  mapAllResult(result: unknown, isFromBatch: true): unknown;
  mapGetResult(result: unknown, isFromBatch: true): unknown;
}

export type Results<R extends readonly Read<unknown>[]> = { -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never };

/** D1's client, if this is D1 and every read is a prepared D1 statement (else each runs by itself). */
function d1Client(db: ParleyDb, reads: readonly Read<unknown>[]): D1Client | null {
  const client = d1ClientOf(db);
  return client && reads.every((r) => isD1Prepared(r.statement as object) && typeof (r.statement as Partial<D1Prepared>).mapGetResult === 'function') ? client : null;
}

async function inOneBatch(client: D1Client, reads: readonly Read<unknown>[]): Promise<unknown[]> {
  const prepared = reads.map((r) => r.statement as object as D1Prepared);
  const results = await client.batch(prepared.map((s, i) => boundD1(s, reads[i]!.values)));
  return results.map((result, i) => decoded(prepared[i]!, reads[i]!.mode, result.results as Record<string, unknown>[]));
}

/**
 * A batch answer as the read wants it: every row ('all') or the first or undefined ('get'),
 * shaped by the statement's selection (db/row-mapper.ts). A statement drizzle maps otherwise
 * (a relational query's own mapper, or no selection) keeps drizzle's mapping.
 */
function decoded(statement: D1Prepared, mode: Read<unknown>['mode'], results: Record<string, unknown>[]): unknown {
  if (statement.fields && !statement.customResultMapper) {
    const rows = mapRows(statement as Selection, (mode === 'get' ? results.slice(0, 1) : results).map((row) => Object.values(row)));
    return mode === 'all' ? rows : rows[0];
  }
  if (mode === 'all') return statement.mapAllResult({ results }, true);
  return results.length === 0 ? undefined : statement.mapGetResult({ results }, true);
}

const oneByOne = (read: Read<unknown>) => (read.mode === 'get' ? read.statement.get!(read.values) : read.statement.all!(read.values));

export async function readTogether<const R extends readonly Read<unknown>[]>(db: ParleyDb, reads: R): Promise<Results<R>> {
  if (reads.length === 0) return [] as unknown as Results<R>;
  const client = d1Client(db, reads);
  if (client) return (await inOneBatch(client, reads)) as Results<R>;
  const out: unknown[] = [];
  for (const r of reads) out.push(await oneByOne(r));
  return out as Results<R>;
}

/**
 * A write that answers rows (INSERT … RETURNING), then reads, in one trip on D1: a batch runs its
 * statements in order, in one transaction, so the reads see the write, and a write that fails
 * fails them all. On better-sqlite3 the write goes into the next group commit (answered once it
 * is on disk, db/atomic.ts) and the reads follow it, so a read that fails there leaves the write
 * done. `ifWriteFails` may answer for a failed write (or rethrow): the reads are then made alone.
 * On D1 it sees the batch's error, which a failing read could have caused.
 */
export async function writeThenRead<W, const R extends readonly Read<unknown>[]>(
  db: ParleyDb,
  write: Read<W>,
  reads: R,
  ifWriteFails: (error: unknown) => W,
): Promise<[W, Results<R>]> {
  const client = d1Client(db, [write, ...reads]);
  let written: W;
  if (client) {
    try {
      const [first, ...read] = await inOneBatch(client, [write, ...reads]);
      return [first as W, read as Results<R>];
    } catch (error) {
      written = ifWriteFails(error);
    }
  } else {
    try {
      written = (await inOneCommit(db, () => oneByOne(write))) as W;
    } catch (error) {
      written = ifWriteFails(error);
    }
  }
  return [written, await readTogether(db, reads)];
}
