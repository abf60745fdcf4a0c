// Writes that must land together. D1 has no interactive transactions, so there the
// statements go in one batch of D1's client (which D1 runs as a transaction); on better-sqlite3 they
// run inside a synchronous transaction on the same connection, shared with the other writes
// gathered into the same group commit (group-commit.ts: one fsync for all, each answered after it).
//
// A check that must hold when the write lands (not merely when a route looked) goes into the
// same write as a guard: requireThat(condition, refusal). The guard inserts into write_guards
// exactly when its condition is false; a trigger then aborts the whole write, and
// runAtomically throws the guard's refusal. Check and write are one atomic step on both
// runtimes, so nothing can change between them.
import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { ParleyDb } from './database.js';
import { writeGuards } from './schema.js';
import { commitGrouped } from './group-commit.js';
import { boundD1, d1ClientOf, type D1Prepared } from './d1-statements.js';

export type Runnable = BatchItem<'sqlite'> & { run(): unknown };

type Values = Record<string, unknown>;

/**
 * A write compiled once with placeholders (db/prepared.ts) and this write's values. Drizzle
 * builds a query's SQL afresh each time it runs one (~30 µs an insert on Node, issue 16); a
 * request's hot writes are compiled once instead and only bound.
 */
export interface PreparedWrite {
  readonly kind: 'prepared';
  readonly statement: { run(values: Values): unknown };
  readonly values: Values;
}

export const preparedWrite = (statement: PreparedWrite['statement'], values: Values): PreparedWrite => ({ kind: 'prepared', statement, values });

/**
 * A condition the write needs, and what to throw when it does not hold: built for this write
 * (requireThat), or compiled once with placeholders (guardStatement) and bound (requireBound).
 */
export type Guard =
  | { readonly kind: 'guard'; readonly condition: SQL; readonly refusal: Error }
  | { readonly kind: 'guard'; readonly compiled: PreparedWrite['statement']; readonly values: Values; readonly refusal: Error };

export function requireThat(condition: SQL, refusal: Error): Guard {
  return { kind: 'guard', condition, refusal };
}

/** The placeholder a compiled guard's position in its write is bound to (named so no condition's own placeholder takes it). */
const GUARD_INDEX = 'writeGuardIndex';

const guardInsert = (db: ParleyDb, condition: SQL, index: SQL) => db.insert(writeGuards).select(sql`SELECT ${index} WHERE NOT (${condition})`);

/** A guard's statement compiled once (db/prepared.ts): `condition` may hold placeholders, bound by requireBound. */
export const guardStatement = (db: ParleyDb, condition: SQL): PreparedWrite['statement'] =>
  guardInsert(db, condition, sql`${sql.placeholder(GUARD_INDEX)}`).prepare() as unknown as PreparedWrite['statement'];

export function requireBound(compiled: PreparedWrite['statement'], values: Values, refusal: Error): Guard {
  return { kind: 'guard', compiled, values, refusal };
}

export type WriteStep = Runnable | Guard | PreparedWrite;

const isGuard = (step: WriteStep): step is Guard => (step as Guard).kind === 'guard';
const isPrepared = (step: Runnable | PreparedWrite): step is PreparedWrite => (step as PreparedWrite).kind === 'prepared';

/** What drizzle's batch does with a query built for the request: prepare it, then bind its parameters. */
type Built = { _prepare(): D1Prepared & { getQuery(): { params: unknown[] } } };

/** A step as one statement of D1's own batch. */
function boundForD1(step: Runnable | PreparedWrite): unknown {
  if (isPrepared(step)) return boundD1(step.statement as unknown as D1Prepared, step.values);
  const prepared = (step as unknown as Built)._prepare();
  return prepared.stmt.bind(...prepared.getQuery().params);
}

/** Which guard (by its position in the write) aborted it, if one did. */
function failedGuardIndex(error: unknown): number | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const match = /guard: (\d+)/.exec(e.message);
    if (match) return Number(match[1]);
  }
  return null;
}

export async function runAtomically(db: ParleyDb, steps: readonly WriteStep[]): Promise<void> {
  if (steps.length === 0) return;
  const statements = steps.map((step, index): Runnable | PreparedWrite => {
    if (!isGuard(step)) return step;
    if ('compiled' in step) return preparedWrite(step.compiled, { ...step.values, [GUARD_INDEX]: String(index) });
    return guardInsert(db, step.condition, sql`${String(index)}`) as unknown as Runnable;
  });
  try {
    // D1 runs a batch as one transaction: the client's own, since drizzle's takes no prepared statement.
    const d1 = d1ClientOf(db);
    if (d1) {
      await d1.batch(statements.map(boundForD1));
      return;
    }
    await inOneCommit(db, () => {
      for (const statement of statements) {
        if (isPrepared(statement)) statement.statement.run(statement.values);
        else statement.run();
      }
    });
  } catch (error) {
    const index = failedGuardIndex(error);
    const step = index === null ? undefined : steps[index];
    if (step && isGuard(step)) throw step.refusal;
    throw error;
  }
}

/**
 * Runs `work` as one commit: on better-sqlite3 (whose queries run synchronously) in the next
 * group commit, so it is answered once on disk; on D1, where each statement commits by itself, as is.
 */
export async function inOneCommit<T>(db: ParleyDb, work: () => T): Promise<Awaited<T>> {
  const sqlite = (db as unknown as { $client?: Parameters<typeof commitGrouped>[0] }).$client;
  if (sqlite && typeof (sqlite as { transaction?: unknown }).transaction === 'function') return commitGrouped(sqlite, work) as Promise<Awaited<T>>;
  return await work();
}
