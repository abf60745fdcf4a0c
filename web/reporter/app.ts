// What every reporter view is given: the engine, the views it can move to, and the quick
// exit. The state of a report in progress lives here, in memory only, never in storage.
import type { connectEngine } from '../ui/engine-rpc.js';
import { REPORT_TEXT_FIELDS, type ReportCategory, type ReportTextField } from '../protocol/documents.js';
import type { MailboxView, ReporterEngine, SentReport } from './engine-api.js';
import type { EvidenceFile } from './views/evidence.js';
import type { Timers } from './idle-lock.js';

export type Engine = ReturnType<typeof connectEngine<ReporterEngine>>;

/** The report form as typed, kept so that going back to it loses nothing. */
export type ReportDraft = {
  /** An organisation id, NOT_SURE, or '' when nothing is chosen yet. */
  organisation: string;
  category: ReportCategory | '';
} & Record<ReportTextField, string>;

export const NOT_SURE = 'not-sure';

export function emptyDraft(): ReportDraft {
  const text = Object.fromEntries(REPORT_TEXT_FIELDS.map((field) => [field, ''])) as Record<ReportTextField, string>;
  return { organisation: '', category: '', ...text };
}

/** A report being written: the draft, the files added (held by the engine) and, once made, its passphrase's words. */
export interface ReportInProgress {
  draft: ReportDraft;
  words: string[] | null;
  evidence: EvidenceFile[];
}

export interface ReporterApp {
  engine: Engine;
  /** The clock views time things with (the idle lock): the window's, or a test's. */
  timers: Timers;
  /** Leaves at once (the quick exit), dropping keys. */
  exit(): void;
  go: {
    landing(): void;
    reportForm(report: ReportInProgress): void;
    passphrase(report: ReportInProgress): void;
    confirm(report: ReportInProgress): void;
    sent(result: SentReport): void;
    /** `notice`: said at the top, e.g. why an open report was locked. */
    unlock(notice?: string): void;
    mailbox(view: MailboxView): void;
  };
}
