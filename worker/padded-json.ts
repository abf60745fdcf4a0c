// JSON responses padded to a size bucket, for answers whose length would otherwise tell a
// network observer something (how many messages a mailbox holds). The padding is a field
// of spaces that clients ignore.
import type { Context } from 'hono';

export const RESPONSE_BUCKETS = [16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024] as const;

export function paddedJsonText(payload: Record<string, unknown>): string {
  const bare = JSON.stringify({ ...payload, padding: '' });
  const length = new TextEncoder().encode(bare).length;
  // Past the largest bucket, round up to a multiple of it.
  const largest = RESPONSE_BUCKETS[RESPONSE_BUCKETS.length - 1]!;
  const target = RESPONSE_BUCKETS.find((bucket) => length <= bucket) ?? Math.ceil(length / largest) * largest;
  return JSON.stringify({ ...payload, padding: ' '.repeat(target - length) });
}

export function paddedJson(c: Context, payload: Record<string, unknown>): Response {
  return c.body(paddedJsonText(payload), 200, { 'content-type': 'application/json' });
}
