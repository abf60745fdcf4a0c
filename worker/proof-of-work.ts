// Server side of the proof of work and of the intake cap. A challenge carries the
// difficulty asked when it was issued; a request that spends it must show a nonce whose
// hash has that many leading zero bits (one SHA-256 to check). Difficulty rises with the
// instance's intake this minute, so a flood of reports makes each one dearer to send,
// then slower to be accepted — never lost: refused senders are told when to retry.
import { b64ToBytes } from '../web/protocol/encoding.js';
import { leadingZeroBits, workInput, WORK_NONCE_BYTES } from '../web/protocol/work-puzzle.js';
import { countIntake, intakeThisMinute } from '../db/repo/throttle.js';
import { ApiError } from './errors.js';
import { sha256 } from './server-crypto.js';
import type { AppDeps } from './deps.js';

/** Beyond this many times the cap per minute, reports are refused until the next minute. */
const HARD_CAP_FACTOR = 8;

export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000);
}

/** Base difficulty, plus two bits for every doubling of intake beyond the cap. */
export function workBitsForIntake(baseBits: number, intake: number, capPerMinute: number): number {
  if (baseBits === 0 || intake <= capPerMinute) return baseBits;
  return baseBits + 2 * Math.ceil(Math.log2(intake / capPerMinute));
}

export async function currentWorkBits(deps: AppDeps): Promise<number> {
  if (deps.config.workBits === 0) return 0;
  return workBitsForIntake(deps.config.workBits, await intakeThisMinute(deps.db, minuteOf(deps.clock())), deps.config.intakePerMinute);
}

export async function hasEnoughWork(challenge: Uint8Array, nonceHeader: string | undefined, bits: number): Promise<boolean> {
  if (bits === 0) return true;
  const nonce = nonceHeader ? b64ToBytes(nonceHeader) : null;
  if (!nonce || nonce.length !== WORK_NONCE_BYTES) return false;
  return leadingZeroBits(await sha256(workInput(challenge, nonce))) >= bits;
}


/** Counts a report against this minute's intake; refuses, with a time to retry, past the hard cap. */
export async function admitReport(deps: AppDeps): Promise<void> {
  const now = deps.clock();
  const count = await countIntake(deps.db, minuteOf(now));
  if (count > deps.config.intakePerMinute * HARD_CAP_FACTOR) {
    const seconds = Math.ceil((60_000 - (now % 60_000)) / 1000);
    throw new ApiError('rate_limited', `Many reports are arriving right now. Yours is safe on your device: try again in ${seconds} seconds.`, seconds);
  }
}
