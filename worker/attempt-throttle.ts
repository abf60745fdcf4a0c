// Growing delay after failed attempts at one account or one mailbox, with no record of who
// attempted: the key is a hash of the username or locator. The first few failures are
// free (people mistype); after that each failure doubles the wait, up to a ceiling.
import { utf8ToBytes } from '../web/protocol/encoding.js';
import type { ParleyDb } from '../db/database.js';
import { clearThrottle, findThrottle, saveThrottle } from '../db/repo/throttle.js';
import { ApiError } from './errors.js';
import { sha256B64 } from './server-crypto.js';

export interface ThrottlePolicy {
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export function throttleKey(kind: 'sign_in' | 'mailbox', value: string): Promise<string> {
  return sha256B64(utf8ToBytes(`parley/throttle/${kind}\u0000${value}`));
}

export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures <= policy.freeFailures) return 0;
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (failures - policy.freeFailures - 1));
}

/** Throws rate_limited while the key is in its waiting period; says whether failures are on record. */
export async function refuseIfThrottled(db: ParleyDb, keyHash: string, now: number): Promise<boolean> {
  const row = await findThrottle(db, keyHash);
  if (row && row.blockedUntil > now) {
    const seconds = Math.ceil((row.blockedUntil - now) / 1000);
    throw new ApiError('rate_limited', `Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, seconds);
  }
  return row !== undefined;
}

export async function recordFailure(db: ParleyDb, keyHash: string, now: number, policy: ThrottlePolicy): Promise<void> {
  const failures = ((await findThrottle(db, keyHash))?.failures ?? 0) + 1;
  await saveThrottle(db, { keyHash, failures, blockedUntil: now + delayAfter(failures, policy), lastFailureAt: now });
}

export function recordSuccess(db: ParleyDb, keyHash: string): Promise<void> {
  return clearThrottle(db, keyHash);
}
