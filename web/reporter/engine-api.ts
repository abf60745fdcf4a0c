// The calls the reporter page can make to its engine (the Web Worker), and the display data
// that comes back. Keys never cross this boundary: only words to show, text and dates.
import type { ReportDocument, ThreadDocument } from '../protocol/documents.js';
import type { CaseStatus } from '../../db/schema.js';
import type { PassphraseProblem } from '../protocol/passphrase.js';
import type { Finding } from '../files/index.js';

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
  /** null: the message did not verify (altered, or out of place in the signed order); it is not shown. Its files' keys stay in the engine. */
  document: ThreadDocument | null;
  /** The files the message carries, as its sender described them. */
  files: AttachmentView[];
}

/** A file a message carries, as the page may show it: its key never leaves the engine. */
export interface AttachmentView {
  id: string;
  /** As the sender named it (neutral by default: evidence-1.jpg). Shown as text only, never opened in the page. */
  name: string;
  /** Bytes of content. */
  size: number;
  /** ready: it can be downloaded; uploading: still being sent, or never finished; missing: the service does not have it (expired, or removed). */
  state: 'ready' | 'uploading' | 'missing';
}

export interface MailboxView {
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  /** The day the unit aims to answer by; null when nothing is owed. */
  replyBy: string | null;
  items: ThreadItem[];
  /** The day the closed report will be deleted; null unless the unit's signed messages say it is closed. */
  deletionDay: string | null;
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
  /** A file is over the service's limit (for one file, or for the report's files together). */
  fileTooBig: 'file_too_large',
  /** The service could not be reached. */
  offline: 'offline',
  /** Too many tries, or the service is flooded: the message is the number of seconds to wait. */
  wait: 'wait',
  /** A call that needs keys came when none are held (after forget, or before unlock). */
  noKeys: 'no_keys',
} as const;

/** What the cleaner found in a file and took out. */
export type { Finding };

/**
 * A file the reporter added, once the engine has looked at it. Its bytes (cleaned, or as they
 * came when they cannot be cleaned) stay in the engine under `handle`.
 */
export interface PreparedFile {
  handle: string;
  /** The name it has on this device: shown on this page only, never sent (it can identify). */
  originalName: string;
  /** The type it is sent as. */
  type: string;
  /** Bytes that would be sent. */
  size: number;
  /** What cleaning took out ([]: nothing hidden found), or why it cannot be cleaned. */
  cleaning: { removed: Finding[] } | { cannotClean: 'unsupported_type' | 'unreadable' };
  /** Over the service's limit for one file: it cannot be sent. */
  tooBig: boolean;
}

/** A prepared file to send, and the name it is sent under (neutral: evidence-1.jpg). */
export interface FileChoice {
  handle: string;
  name: string;
}

/** A file being sent after its message was received; `id` names it in the upload notices. */
export interface UploadItem {
  id: string;
  name: string;
  size: number;
}

/** After an attempt to send the files of a message: which are there in full, which are not yet. */
export interface UploadOutcome {
  sent: string[];
  notSent: string[];
}

export interface FileLimits {
  /** Bytes of content one file may have. */
  maxFileBytes: number;
  /** Files one message may carry. */
  maxFiles: number;
}

export type ReporterEngine = {
  /** Fetches the instance's configuration once; later calls reuse it. */
  loadConfig(): Promise<{ organisations: OrganisationChoice[]; limits: FileLimits }>;
  /** Cleans a file on this device (hidden details out) and keeps the result for sending. */
  prepareFile(file: File): Promise<PreparedFile>;
  /** Forgets a prepared file. */
  dropFile(handle: string): Promise<void>;
  /** A fresh passphrase from the CSPRNG; its Argon2id derivation starts at once in the background. */
  newPassphrase(): Promise<{ words: string[] }>;
  /** Encrypts and sends the report with the keys of the passphrase made by newPassphrase, then forgets them. */
  sendReport(orgId: string, report: ReportDocument, files: FileChoice[]): Promise<SentReport>;
  /** Checks typed words on the device only: no network. */
  checkPassphrase(typed: string): Promise<PassphraseCheck>;
  /** Checks, then derives the mailbox keys (the slow step) and keeps them in the engine. */
  unlock(typed: string): Promise<PassphraseCheck>;
  /** Fetches and opens the thread with the held keys. */
  readMailbox(): Promise<MailboxView>;
  /** Sends an answer; its files are then sent with sendFiles. */
  reply(text: string, files: FileChoice[]): Promise<{ uploads: UploadItem[] }>;
  /**
   * Sends the files of the last message sent, each from where it stopped (the service says which
   * parts it lacks), telling the page how far with UploadNotices. Never throws for a file: those
   * that could not be sent are listed, and a later call carries on with them.
   */
  sendFiles(): Promise<UploadOutcome>;
  /** A file of the open mailbox, decrypted on this device, as bytes to save (never to show). */
  downloadFile(id: string): Promise<Blob>;
  /** Wipes every key and passphrase the engine holds. */
  forget(): Promise<void>;
};

/** The report was received; its files (if any) are sent next, with sendFiles. */
export interface SentReport {
  reference: string;
  receivedDay: string;
  uploads: UploadItem[];
}

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

/** How far a file's sending or fetching has got, in bytes of ciphertext: sent to the page as it goes. */
export interface TransferNotice {
  transfer: { id: string; direction: 'up' | 'down'; done: number; total: number };
}

export function isTransferNotice(notice: unknown): notice is TransferNotice {
  return typeof notice === 'object' && notice !== null && 'transfer' in notice;
}
