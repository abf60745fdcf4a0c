// Server side of the proof of work and of the intake cap.
//
// Issuing a challenge writes nothing (challenge-token.ts). Spending one is checked cheapest
// first: its MAC and expiry, then the work (one SHA-256) against the difficulty asked *now*,
// and only then, work paid, is it remembered as spent (one row, so it cannot be spent twice).
// A report submission remembers it in the report's own write (one commit, issue 16), and on
// its own only when the submission is refused after the work checked out.
// Difficulty rises with the intake of the last minute, counted in memory: a count per minute
// kept in the database would date each report finer than the day (issue 11).
import { b64ToBytes, bytesToB64 } from '../web/protocol/encoding.js';
import { leadingZeroBits, workInput, WORK_NONCE_BYTES } from '../web/protocol/work-puzzle.js';
import { challengeSpent, spendChallenge, spendChallengeSteps, type SpentChallenge } from '../db/repo/challenges.js';
import { readTogether, writeThenRead, type Read, type Results } from '../db/read-together.js';
import type { WriteStep } from '../db/atomic.js';
import { ApiError } from './errors.js';
import { storageFault } from './storage-faults.js';
import { sha256, sha256B64 } from './server-crypto.js';
import { challengeKey, issueChallenge, readChallenge } from './challenge-token.js';
import { dayStartMs, type AppDeps } from './deps.js';
import type { Context } from 'hono';
import { PROOF_HEADERS } from '../web/protocol/proof-message.js';
import { WORK_HEADER } from '../web/protocol/work-puzzle.js';
import { workBitsWithFiles } from '../web/protocol/file-work.js';

/** Beyond this many times the cap per minute, reports are refused until the next minute. */
const HARD_CAP_FACTOR = 8;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Base difficulty, plus two bits for every doubling of intake beyond the cap. */
export function workBitsForIntake(baseBits: number, intake: number, capPerMinute: number): number {
  if (baseBits === 0 || intake <= capPerMinute) return baseBits;
  return baseBits + 2 * Math.ceil(Math.log2(intake / capPerMinute));
}

/**
 * Reports admitted in the last minute, in this process (Node) or this isolate (Workers, where
 * the figure is per isolate: the cap then holds per isolate, which bounds a flood no less).
 * A sliding window of two fixed minutes, weighted, so the count does not drop to zero on the
 * minute; a clock that jumps back simply starts a fresh window.
 */
export class IntakeGauge {
  private minute = -1;
  private current = 0;
  private previous = 0;

  private roll(now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    if (minute === this.minute) return;
    this.previous = minute === this.minute + 1 ? this.current : 0;
    this.current = 0;
    this.minute = minute;
  }

  lastMinute(now: number): number {
    this.roll(now);
    const elapsed = (now % MINUTE_MS) / MINUTE_MS;
    return Math.ceil(this.current + this.previous * (1 - elapsed));
  }

  add(now: number): void {
    this.roll(now);
    this.current++;
  }
}

/** Why a challenge could not be spent: the client needs a new one, or it was never good. */
export type SpendRefusal = 'work_too_weak' | 'invalid';

/** The zero bits the request's work achieved (0 without a well-formed nonce). */
async function achievedWork(challenge: Uint8Array, nonceHeader: string | undefined): Promise<number> {
  const nonce = nonceHeader ? b64ToBytes(nonceHeader) : null;
  if (!nonce || nonce.length !== WORK_NONCE_BYTES) return 0;
  return leadingZeroBits(await sha256(workInput(challenge, nonce)));
}

/**
 * What a spent challenge paid: the zero bits its work achieved and the bits asked of it. A
 * message with files needs more (web/protocol/file-work.ts), checked once its body is read.
 */
export interface WorkPaid {
  zeroBits: number;
  askedBits: number;
}

const NO_WORK: WorkPaid = { zeroBits: 0, askedBits: 0 };

export interface WorkGate {
  /** A fresh challenge and the difficulty asked now. */
  issue(): Promise<{ challenge: string; expiresInSeconds: number; workBits: number }>;
  /** Checks a challenge is live and carries enough work for the load now, writing nothing: the spend to remember. */
  check(challenge: Uint8Array | null, nonceHeader: string | undefined): Promise<({ ok: true; spent: SpentChallenge } & WorkPaid) | { ok: false; refusal: SpendRefusal }>;
  /** Remembers a checked challenge as spent; false if it was spent before. */
  remember(spent: SpentChallenge): Promise<boolean>;
  /** remember, with reads made in the same trip to the database (after the spend, on D1 in its batch). */
  rememberWith<const R extends readonly Read<unknown>[]>(spent: SpentChallenge, reads: R): Promise<{ fresh: boolean; results: Results<R> }>;
  /** Spends a challenge if it is live, unspent and carries enough work for the load now (check, then remember). */
  spend(challenge: Uint8Array | null, nonceHeader: string | undefined): Promise<({ ok: true } & WorkPaid) | { ok: false; refusal: SpendRefusal }>;
  /** Whether work is asked at all (PARLEY_WORK_BITS=0 turns it off). */
  readonly required: boolean;
  /** Counts a report against the last minute's intake; refuses, with a time to retry, past the hard cap. */
  admitReport(): void;
}

export function workGate(deps: AppDeps, gauge = new IntakeGauge()): WorkGate {
  const key = challengeKey(deps.serverSecret);
  const bitsNow = (now: number) => workBitsForIntake(deps.config.workBits, gauge.lastMinute(now), deps.config.intakePerMinute);
  return {
    required: deps.config.workBits > 0,
    async issue() {
      const now = deps.clock();
      const workBits = bitsNow(now);
      const challenge = await issueChallenge(await key, { expiresAtMs: now + deps.config.challengeTtlMs, workBits }, deps.randomBytes);
      return { challenge: bytesToB64(challenge), expiresInSeconds: Math.floor(deps.config.challengeTtlMs / 1000), workBits };
    },
    async check(challenge, nonceHeader) {
      const now = deps.clock();
      // readChallenge refuses a challenge of the wrong length itself.
      const terms = challenge ? await readChallenge(await key, challenge, now) : null;
      if (!terms) return { ok: false, refusal: 'invalid' };
      const askedBits = Math.max(terms.workBits, bitsNow(now));
      const zeroBits = askedBits === 0 ? 0 : await achievedWork(challenge!, nonceHeader);
      if (zeroBits < askedBits) return { ok: false, refusal: 'work_too_weak' };
      // Kept to the end of its expiry's day: an exact expiry would date the request it paid for.
      return { ok: true, zeroBits, askedBits, spent: { challengeHash: await sha256B64(challenge!), keepUntil: dayStartMs(terms.expiresAtMs) + DAY_MS, workBits: terms.workBits } };
    },
    async remember(spent) {
      return (await this.rememberWith(spent, [])).fresh;
    },
    async rememberWith(spent, reads) {
      const [inserted, results] = await writeThenRead(deps.db, spendChallenge(deps.db, spent), reads, (error) => {
        // With the disk full the spend cannot be remembered; reporters still get in (a replay then
        // reuses work, no more), and anything that must be written is refused by its own write.
        if (storageFault(error)?.code === 'storage_full') return [{ challengeHash: spent.challengeHash }];
        throw error;
      });
      return { fresh: inserted.length === 1, results };
    },
    async spend(challenge, nonceHeader) {
      const checked = await this.check(challenge, nonceHeader);
      if (!checked.ok) return checked;
      return (await this.remember(checked.spent)) ? { ok: true, zeroBits: checked.zeroBits, askedBits: checked.askedBits } : { ok: false, refusal: 'invalid' };
    },
    admitReport() {
      const now = deps.clock();
      if (gauge.lastMinute(now) >= deps.config.intakePerMinute * HARD_CAP_FACTOR) {
        const seconds = Math.ceil((MINUTE_MS - (now % MINUTE_MS)) / 1000);
        throw new ApiError('rate_limited', `Many reports are arriving right now. Yours is safe on your device: try again in ${seconds} seconds.`, seconds);
      }
      gauge.add(now);
    },
  };
}

/**
 * The one check at the door of every route that pays (reports, sign-in, TOTP confirmation),
 * before its body is read. With the work off (PARLEY_WORK_BITS=0) a request without a
 * challenge passes; one that brings a challenge must spend it.
 */
export async function requireWorkPaid(work: WorkGate, c: Context, refusal: string): Promise<WorkPaid> {
  const challengeHeader = c.req.header(PROOF_HEADERS.challenge);
  if (!work.required && challengeHeader === undefined) return NO_WORK;
  const spent = await work.spend(challengeFromHeader(challengeHeader), c.req.header(WORK_HEADER));
  if (!spent.ok) throw new ApiError('work_required', refusal);
  return spent;
}

/** The extra work a message's files cost, checked against the hash already spent (no second challenge). */
export function requireWorkForFiles(paid: WorkPaid, totalCipherBytes: number, refusal: () => ApiError): void {
  if (paid.zeroBits < workBitsWithFiles(paid.askedBits, totalCipherBytes)) throw refusal();
}

/** What withWorkPaid hands the route's write. */
export interface PaidRequest<B, R extends readonly Read<unknown>[]> {
  /** The steps that spend the challenge, to run in the route's write. */
  spend: WriteStep[];
  paid: WorkPaid;
  body: B;
  /** The route's reads, made in the challenge's lookup trip. */
  results: Results<R>;
}

/**
 * requireWorkPaid for a route whose own write remembers the spend: the work is checked, then the
 * body parsed, and the challenge looked up in one trip with the reads the body names (on D1 one
 * batch; issue 16). A spent challenge is refused before anything is verified, whatever the body
 * (a malformed one included: the lookup is made without its reads). `write` gets the steps that
 * spend it, to run in its write; if it, or the body, is refused for any other reason, the
 * challenge is remembered on its own, so a refused request cannot pay for another.
 */
export async function withWorkPaid<T, B, const R extends readonly Read<unknown>[]>(
  work: WorkGate,
  deps: AppDeps,
  c: Context,
  refusal: string,
  request: { parse: () => Promise<B>; reads: (body: B) => R },
  write: (paid: PaidRequest<B, R>) => Promise<T>,
): Promise<T> {
  const challengeHeader = c.req.header(PROOF_HEADERS.challenge);
  const unpaid = !work.required && challengeHeader === undefined;
  const checked = unpaid ? null : await work.check(challengeFromHeader(challengeHeader), c.req.header(WORK_HEADER));
  const refused = new ApiError('work_required', refusal);
  if (checked && !checked.ok) throw refused;
  try {
    const parsed = await request.parse().then((body) => ({ body }), (error: unknown) => ({ error }));
    const reads = 'body' in parsed ? request.reads(parsed.body) : ([] as unknown as R);
    const lookup = checked ? [challengeSpent(deps.db, checked.spent.challengeHash)] : [];
    const found = await readTogether(deps.db, [...lookup, ...reads]);
    if (checked && found[0] !== undefined) throw refused;
    if ('error' in parsed) throw parsed.error;
    const results = found.slice(lookup.length) as unknown as Results<R>;
    return await write({ spend: checked ? spendChallengeSteps(deps.db, checked.spent, refused) : [], paid: checked ?? NO_WORK, body: parsed.body, results });
  } catch (error) {
    // The refusal is what the client hears: failing to remember too changes nothing for it.
    if (checked && error !== refused) await work.remember(checked.spent).catch(() => false);
    throw error;
  }
}

/** The request's challenge header as bytes, or null; readChallenge refuses any of the wrong length. */
export function challengeFromHeader(header: string | undefined): Uint8Array | null {
  return header === undefined ? null : b64ToBytes(header);
}
