// The calls the reporter page can make to its engine (the Web Worker), and the display data
// that comes back. Keys never cross this boundary: only words to show, text and dates.
import type { ReportDocument, ThreadDocument } from '../protocol/documents.js';
import type { CaseStatus } from '../../db/schema.js';
import type { PassphraseProblem } from '../protocol/passphrase.js';

export interface OrganisationChoice {
  id: string;
  name: string;
  /** Of the unit's signing key, to compare with the one the unit publishes elsewhere. */
  fingerprint: string;
}

export interface ThreadItem {
  id: string;
  from: 'reporter' | 'organisation';
  organisationName: string | null;
  day: string;
  /** null: the message did not verify (altered, or out of place in the signed order); it is not shown. */
  document: ThreadDocument | null;
}

export interface MailboxView {
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  items: ThreadItem[];
  /** How many messages could not be verified. */
  unverifiable: number;
}

/** A failed check carries the parser's problem, which the page puts into words in its own language. */
export type PassphraseCheck = { ok: true } | { ok: false; problem: PassphraseProblem };

/** Error codes the engine raises on purpose, so the page can choose the right words. */
export const ENGINE_ERROR = {
  /** Wrong or unknown passphrase, or a mailbox that would not open: one calm message for all. */
  notOpened: 'not_opened',
  /** The passphrase was right, but the service's answer did not verify (it may have been tampered with). */
  unverified: 'unverified',
  /** The service could not be reached. */
  offline: 'offline',
  /** Too many tries, or the service is flooded: the message is the number of seconds to wait. */
  wait: 'wait',
  /** A call that needs keys came when none are held (after forget, or before unlock). */
  noKeys: 'no_keys',
} as const;

export type ReporterEngine = {
  /** Fetches the instance's configuration once; later calls reuse it. */
  loadConfig(): Promise<{ organisations: OrganisationChoice[] }>;
  /** A fresh passphrase from the CSPRNG; its Argon2id derivation starts at once in the background. */
  newPassphrase(): Promise<{ words: string[] }>;
  /** Encrypts and sends the report with the keys of the passphrase made by newPassphrase, then forgets them. */
  sendReport(orgId: string, report: ReportDocument): Promise<{ reference: string; receivedDay: string }>;
  /** Checks typed words on the device only: no network. */
  checkPassphrase(typed: string): Promise<PassphraseCheck>;
  /** Checks, then derives the mailbox keys (the slow step) and keeps them in the engine. */
  unlock(typed: string): Promise<PassphraseCheck>;
  /** Fetches and opens the thread with the held keys. */
  readMailbox(): Promise<MailboxView>;
  reply(text: string): Promise<void>;
  /** Wipes every key and passphrase the engine holds. */
  forget(): Promise<void>;
};

/**
 * What the engine tells the page unasked while it derives keys (Argon2id): which engine, and how
 * far it has got, 0 to 1. The engine without WebAssembly ('noble') says it as it goes; libsodium,
 * in one call of a few seconds, says only 1 at the end.
 */
export interface DerivationNotice {
  derivation: { engine: 'libsodium' | 'noble'; fraction: number };
}

export function isDerivationNotice(notice: unknown): notice is DerivationNotice {
  return typeof notice === 'object' && notice !== null && 'derivation' in notice;
}
