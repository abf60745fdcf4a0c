// What the app factory needs from its runtime. Tests pass their own (a temp database,
// a fixed clock, cheap KDF parameters); entry points pass the real ones.
import type { ParleyDb } from '../db/database.js';
import type { KdfParams } from '../web/protocol/labels.js';
import type { ThrottlePolicy } from './attempt-throttle.js';
import type { FileStore } from './file-store.js';
import { fileCipherLength } from '../web/protocol/file-lengths.js';

export interface AppConfig {
  /** Argon2id cost the reporter's device uses for the passphrase. */
  mailboxKdf: KdfParams;
  /** Argon2id cost an investigator's device uses for the password. */
  investigatorKdf: KdfParams;
  challengeTtlMs: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  maxBodyBytes: number;
  /** Leading zero bits the proof of work needs on report submission and mailbox access; 0 turns it off. */
  workBits: number;
  /** New reports per minute, instance-wide, before submitters are asked to wait and retry. */
  intakePerMinute: number;
  signInThrottle: ThrottlePolicy;
  mailboxThrottle: ThrottlePolicy;
  inviteTtlMs: number;
  /** Largest stored (ciphertext) length one file may have. */
  maxFileBytes: number;
  /** Stored bytes of all the files of one case together. */
  maxCaseFileBytes: number;
  /** Publish suppressed instance-wide figures at GET /api/figures (PARLEY_PUBLIC_FIGURES=on); off, it answers 404. */
  publicFigures: boolean;
}

/**
 * Where the built web bundles come from: a map read from dist/web on Node, the ASSETS
 * binding on Workers. Returns null for a path it does not have. Given the request's
 * Accept-Encoding, it may answer with an encoded copy, naming its contentEncoding.
 */
export interface AssetSource {
  get(path: string, acceptEncoding?: string): Promise<{ body: ArrayBuffer | Uint8Array | ReadableStream; contentType: string; contentEncoding?: string } | null>;
}

/** Moments a test can hold a request at, to make a race happen deterministically. */
export type Checkpoint = 'report:before-write' | 'keyring-grant:before-write' | 'rotation:before-write';

export interface AppDeps {
  db: ParleyDb;
  /** Milliseconds since the epoch. */
  clock: () => number;
  randomBytes: (length: number) => Uint8Array;
  config: AppConfig;
  /** Built pages and scripts; absent in API-only tests. */
  assets?: AssetSource;
  /** 32 bytes kept outside the database; encrypts TOTP secrets. */
  serverSecret: Uint8Array;
  /** The parts of uploaded files (worker/file-store.ts). */
  files: FileStore;
  /** Tests only: awaited at each checkpoint, so a test can run something in between. */
  checkpoint?: (at: Checkpoint) => Promise<void>;
}

export const DEFAULT_CONFIG: Omit<AppConfig, 'mailboxKdf' | 'investigatorKdf'> = {
  challengeTtlMs: 2 * 60 * 1000,
  sessionIdleMs: 30 * 60 * 1000,
  sessionAbsoluteMs: 12 * 60 * 60 * 1000,
  maxBodyBytes: 128 * 1024,
  // 16 bits: about 65,000 hashes, some 60 ms in a browser (bench/RESULTS.md); rises with intake.
  workBits: 16,
  intakePerMinute: 600,
  signInThrottle: { freeFailures: 5, firstDelayMs: 1000, maxDelayMs: 15 * 60 * 1000 },
  // Ten free mistakes, then 1 s, 2 s, 4 s… up to an hour, per mailbox (passphrases are typed by hand).
  mailboxThrottle: { freeFailures: 10, firstDelayMs: 1000, maxDelayMs: 60 * 60 * 1000 },
  inviteTtlMs: 7 * 24 * 60 * 60 * 1000,
  // A file of 100 MiB (issue 14: what the threat needs; SecureDrop's 500 MB, GlobaLeaks' 30 MB),
  // and ten such per case.
  maxFileBytes: fileCipherLength(100 * 1024 ** 2),
  maxCaseFileBytes: 1024 ** 3,
  publicFigures: false,
};

export function webCryptoRandomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** Reporter activity is recorded to the day only (UTC), so timing cannot single anyone out. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayStartMs(ms: number): number {
  return Date.parse(`${dayOf(ms)}T00:00:00Z`);
}
