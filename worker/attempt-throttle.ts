// Growing delay after failed attempts at one account or one mailbox, with no record of who
// attempted: the key is a hash of the username or locator. The first few failures are
// free (people mistype); after that each failure doubles the wait, up to a ceiling.
//
// Two ways to count, for two jobs:
// - Sign-in, where the throttle is what bounds password and TOTP guessing, *reserves* each
//   attempt in one atomic statement before checking it (counted as a failure until it
//   succeeds), so concurrent guesses cannot all be checked before any is counted, on
//   SQLite or D1 alike.
// - Mailbox proofs only check, then record failures: a mailbox is guessed through its
//   passphrase (Argon2id on the guesser's device, a new locator each time), not by
//   repeating one locator, so reserving there would add two writes to every reporter's
//   visit for no bound it does not already have.
// A wait longer than the failures on record could have caused means the clock went back:
// it is not honoured (a 1 s delay must not become an hour).
import { sql } from 'drizzle-orm';
import { utf8ToBytes } from '../web/protocol/encoding.js';
import type { ParleyDb } from '../db/database.js';
import { attemptThrottle } from '../db/schema.js';
import { clearThrottle, clearThrottleStatement, findThrottle, saveThrottle, type ThrottleRow } from '../db/repo/throttle.js';
import type { WriteStep } from '../db/atomic.js';
import { ApiError } from './errors.js';
import { sha256B64 } from './server-crypto.js';

export interface ThrottlePolicy {
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export type ThrottleKind = 'sign_in' | 'sign_in_known_device' | 'mailbox';

export function throttleKey(kind: ThrottleKind, value: string): Promise<string> {
  return sha256B64(utf8ToBytes(`parley/throttle/${kind}\u0000${value}`));
}

export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures <= policy.freeFailures) return 0;
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (failures - policy.freeFailures - 1));
}

/** The wait still to run, or 0; a wait beyond what the failures explain is a clock that went back. */
function waitLeft(row: ThrottleRow | undefined, now: number, policy: ThrottlePolicy): number {
  if (!row) return 0;
  const left = row.blockedUntil - now;
  return left > 0 && left <= delayAfter(row.failures, policy) ? left : 0;
}

function rateLimited(waitMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new ApiError('rate_limited', `Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, seconds);
}

/** Throws rate_limited while the key is in its waiting period; says whether failures are on record. */
export async function refuseIfThrottled(db: ParleyDb, keyHash: string, now: number, policy: ThrottlePolicy): Promise<boolean> {
  return refuseWhileWaiting(await findThrottle(db, keyHash), now, policy);
}

/** refuseIfThrottled for a counter already read (a mailbox open reads it with the mailbox). */
export function refuseWhileWaiting(row: ThrottleRow | undefined, now: number, policy: ThrottlePolicy): boolean {
  const left = waitLeft(row, now, policy);
  if (left > 0) throw rateLimited(left);
  return row !== undefined;
}

export async function recordFailure(db: ParleyDb, keyHash: string, now: number, policy: ThrottlePolicy): Promise<void> {
  const failures = ((await findThrottle(db, keyHash))?.failures ?? 0) + 1;
  await saveThrottle(db, { keyHash, failures, blockedUntil: now + delayAfter(failures, policy), lastFailureAt: now });
}

/** delayAfter() in SQL, for a failure count given as an expression. */
function delaySql(failures: ReturnType<typeof sql>, policy: ThrottlePolicy) {
  return sql`(CASE WHEN ${failures} <= ${policy.freeFailures} THEN 0 ELSE min(${policy.maxDelayMs}, ${policy.firstDelayMs} << min(40, ${failures} - ${policy.freeFailures} - 1)) END)`;
}

/**
 * Counts one attempt before it is checked, atomically: the count goes up and the wait is set
 * as if it will fail, unless a wait is running, in which case nothing changes and the attempt
 * is refused. The write of a successful attempt clears it (recordSuccessSteps).
 */
export async function reserveAttempt(db: ParleyDb, keyHash: string, now: number, policy: ThrottlePolicy): Promise<void> {
  const failures = sql`${attemptThrottle.failures}`;
  const reserved = await db
    .insert(attemptThrottle)
    .values({ keyHash, failures: 1, blockedUntil: now + delayAfter(1, policy), lastFailureAt: now })
    .onConflictDoUpdate({
      target: attemptThrottle.keyHash,
      set: { failures: sql`${failures} + 1`, blockedUntil: sql`${now} + ${delaySql(sql`${failures} + 1`, policy)}`, lastFailureAt: now },
      setWhere: sql`${attemptThrottle.blockedUntil} <= ${now} OR ${attemptThrottle.blockedUntil} - ${now} > ${delaySql(failures, policy)}`,
    })
    .returning({ failures: attemptThrottle.failures })
    .all();
  if (reserved.length === 0) throw rateLimited(waitLeft(await findThrottle(db, keyHash), now, policy));
}

export function recordSuccess(db: ParleyDb, keyHash: string): Promise<void> {
  return clearThrottle(db, keyHash);
}

/** recordSuccess as a step of the successful attempt's own write: cleared only if that lands. */
export function recordSuccessSteps(db: ParleyDb, keyHash: string): WriteStep[] {
  return [clearThrottleStatement(db, keyHash)];
}
