// The one guard for a write that acts on members by id (see db/atomic.ts): it is made in the
// write itself, so no removal can land between a route's check and its change.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { members } from '../schema.js';

/**
 * `column` is one of `ids`, the ids bound as one JSON array: D1 binds at most 100 parameters to
 * a statement, and a rotation names up to 400 members (test/edge/guard-parameters.test.ts).
 */
export function isOneOf(column: AnyColumn, ids: readonly string[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

/** Whether each of `memberIds` is a current member of the unit `orgId` (in it, not removed). */
export function currentMembersOf(orgId: string, memberIds: readonly string[]): SQL {
  const ids = [...new Set(memberIds)];
  return sql`(SELECT COUNT(*) FROM ${members} WHERE ${members.orgId} = ${orgId} AND ${members.removedAt} IS NULL AND ${isOneOf(members.id, ids)}) = ${ids.length}`;
}
