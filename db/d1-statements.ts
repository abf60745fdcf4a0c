// D1: statements bound to this request's values for one batch of D1's own client, which is how
// a batch mixes drizzle's prepared statements (compiled once, with placeholders) and queries
// built for the request: drizzle's db.batch takes only the latter. Used by the reads made
// together (read-together.ts) and by the atomic write (atomic.ts).
import { fillPlaceholders } from 'drizzle-orm';
import type { ParleyDb } from './database.js';

export type D1Client = { batch(statements: unknown[]): Promise<{ results: unknown[] }[]> };

/** What drizzle's D1 prepared query keeps: the D1 statement and its parameters (placeholders among them). */
export interface D1Prepared {
  stmt: { bind(...params: unknown[]): unknown };
  query: { params: unknown[] };
}

/** D1's client, or null on better-sqlite3 (whose client has no batch). */
export function d1ClientOf(db: ParleyDb): D1Client | null {
  const client = (db as unknown as { $client?: Partial<D1Client> }).$client;
  return typeof client?.batch === 'function' ? (client as D1Client) : null;
}

export const isD1Prepared = (s: object): s is D1Prepared => 'stmt' in s && 'query' in s;

/** A prepared statement bound to `values`, for the client's batch. */
export const boundD1 = (prepared: D1Prepared, values: Record<string, unknown>) => prepared.stmt.bind(...fillPlaceholders(prepared.query.params, values));
