// What the console page may ask of its engine, and the plain data it gets back. Keys and the
// session token never cross this boundary: the page sees decrypted text and metadata only.
import type { CaseStatus } from '../client/wire-types.js';
import type { ProtocolErrorKind, ReportDocument, Role, ThreadDocument } from '../protocol/index.js';

export type { CaseStatus };

export interface Account {
  username: string;
  organisationName: string;
}

export interface CaseRow {
  id: string;
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  lastReporterDay: string;
  report: ReportDocument | null;
  /** The report did not verify or decrypt: show a warning, never contents. */
  reportProblem: ProtocolErrorKind | null;
}

export type ThreadItem =
  | { id: string; role: Role; organisationName: string | null; day: string; document: ThreadDocument; problem: null }
  | { id: string; role: Role; organisationName: string | null; day: string; document: null; problem: ProtocolErrorKind };

export interface CaseDetailView {
  id: string;
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  lastReporterDay: string;
  /** In order; the first is normally the report itself. */
  thread: ThreadItem[];
}

export interface ConsoleEngine {
  [method: string]: (...args: never[]) => Promise<unknown>;
  signIn(username: string, password: string, totp: string): Promise<Account>;
  listCases(): Promise<CaseRow[]>;
  openCase(caseId: string): Promise<CaseDetailView>;
  reply(caseId: string, text: string, status: CaseStatus | null): Promise<CaseDetailView>;
  setStatus(caseId: string, status: CaseStatus): Promise<CaseDetailView>;
  signOut(): Promise<void>;
}
