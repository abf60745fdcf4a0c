// The one guard for a write that acts on members by id (see db/atomic.ts): it is made in the
// write itself, so no removal can land between a route's check and its change.
import { inArray, sql } from 'drizzle-orm';
import { members } from '../schema.js';

/** Whether each of `memberIds` is a current member of the unit `orgId` (in it, not removed). */
export function currentMembersOf(orgId: string, memberIds: readonly string[]) {
  const ids = [...new Set(memberIds)];
  return sql`(SELECT COUNT(*) FROM ${members} WHERE ${members.orgId} = ${orgId} AND ${members.removedAt} IS NULL AND ${inArray(members.id, ids)}) = ${ids.length}`;
}
