// What the console page may ask of its engine, and the plain data it gets back. Keys and the
// session token never cross this boundary: the page sees decrypted text and metadata only.
import type { CaseStatus } from '../client/wire-types.js';
import type { CaseFacts } from '../casework/figures.js';
import type { InstanceFigures } from '../client/figures.js';
export type { InstanceFigures };
import type { ProtocolErrorKind, ReportDocument, Role, ThreadDocument } from '../protocol/index.js';

export type { CaseStatus };

export interface Account {
  username: string;
  organisationName: string;
  role: 'admin' | 'investigator';
  /** May invite whole new organisations to this instance. */
  instanceAdmin: boolean;
  /** False until an administrator has given this member the organisation's keys. */
  hasKeys: boolean;
  /** Kept by the page for this username's next sign-in here (worker/device-token.ts). */
  deviceToken: string;
}

/** A new account's second factor, shown once. The key that confirms it stays in the engine. */
export interface Enrolment {
  username: string;
  secret: string;
  uri: string;
}

export interface InviteSummary {
  kind: 'member' | 'organisation';
  role: 'admin' | 'investigator';
  orgName: string | null;
}

export interface MemberRow {
  id: string;
  username: string;
  role: 'admin' | 'investigator';
  totpConfirmed: boolean;
  hasKeys: boolean;
  isMe: boolean;
  /** The member's public key, as 10 groups of 4 hex digits. */
  fingerprint: string;
  /** How this device checked the key (protocol 2); null: it could not, and nothing will be sealed to it. */
  keyCheck: 'endorsed' | 'proved' | null;
}

/** An open invitation, as the admin client reads it. */
import type { Invite as InviteRow } from '../client/admin.js';
export type { InviteRow };

export interface OtherOrganisation {
  id: string;
  name: string;
}

/** A case's due days (fixed when the report arrived) and the days each was met (null: not yet). */
export interface CaseDeadlines {
  ackDueDay: string | null;
  ackDay: string | null;
  feedbackDueDay: string | null;
  feedbackDay: string | null;
}

export interface CaseRow {
  id: string;
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  lastReporterDay: string;
  deadlines: CaseDeadlines;
  /** The member the case is assigned to. */
  assignedTo: string | null;
  report: ReportDocument | null;
  /** The report did not verify or decrypt: show a warning, never contents. */
  reportProblem: ProtocolErrorKind | null;
  /** The day retention deletes the case (docs/RETENTION.md). */
  deletionDay: string;
  /** The assignee's name (null: a former member, or none). */
  assigneeName: string | null;
  /** A message from the reporter this member has not seen, or a case they have never opened. */
  unread: boolean;
}

/** Which cases the list asks the server for, and in what order (the category is filtered on this device). */
export interface CaseListQuery {
  status: CaseStatus | null;
  sort: 'received' | 'due';
  due: 'overdue' | 'week' | null;
  /** A member's id, 'me' or 'none'; null: anyone or nobody. */
  assignee: string | null;
  reference: string | null;
}

/** A member a case can be assigned to. */
export interface Assignee {
  id: string;
  username: string;
}

/** An internal note of the unit, as this device read it: its text, or why it could not be checked. */
export interface NoteView {
  id: string;
  authorName: string;
  createdAt: number;
  text: string | null;
  problem: ProtocolErrorKind | null;
}

export interface CaseListPage {
  rows: CaseRow[];
  /** Give back to listCases for the next page; null on the last. */
  nextCursor: string | null;
  /** The unit's day (its time zone), which deadlines' states count from. */
  today: string;
  /** Over all the unit's cases, not this page. */
  summary: { overdue: number; dueThisWeek: number };
}

/** A case another unit offers to pass to this one. */
export interface TransferRow {
  caseId: string;
  reference: string;
  fromOrgName: string | null;
  receivedDay: string;
}

/**
 * A file attached to a message, as its sender described it inside the encrypted message (the
 * file's key stays in the engine), and whether the server holds all of it.
 */
export interface AttachmentView {
  id: string;
  /** The sender's words: shown as text, and made safe before a file is saved under it. */
  name: string;
  type: string;
  size: number;
  /** ready: complete on the server; uploading: declared, not all parts there yet; missing: the server has none (expired or removed). */
  state: 'ready' | 'uploading' | 'missing';
}

export type ThreadItem =
  | { id: string; role: Role; organisationName: string | null; day: string; document: ThreadDocument; problem: null; attachments: AttachmentView[] }
  | { id: string; role: Role; organisationName: string | null; day: string; document: null; problem: ProtocolErrorKind; attachments: [] };

/** A file the unit sends with a reply, after cleaning on this device; the name is a neutral one the page chose. */
export interface OutgoingFile {
  bytes: Blob;
  name: string;
  type: string;
}

/** What the engine tells the page while it moves files: a download's bytes so far, or a reply's files' bytes so far, all together. */
export type TransferNotice =
  | { kind: 'download'; fileId: string; done: number; total: number }
  | { kind: 'upload'; caseId: string; done: number; total: number };

export interface CaseDetailView {
  id: string;
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  lastReporterDay: string;
  deadlines: CaseDeadlines;
  /** The day retention deletes the case (docs/RETENTION.md). */
  deletionDay: string;
  /** In order; the first is normally the report itself. */
  thread: ThreadItem[];
  assignedTo: string | null;
  /** The unit's internal notes, oldest first; never the reporter's to see. */
  notes: NoteView[];
}

export interface ConsoleEngine {
  [method: string]: (...args: never[]) => Promise<unknown>;
  signIn(username: string, password: string, totp: string, deviceToken: string | undefined): Promise<Account>;
  listCases(query: CaseListQuery, after: string | null): Promise<CaseListPage>;
  listTransfers(): Promise<TransferRow[]>;
  /** The unit's cases received from `from` to `to` (days), each category opened on the device, for the figures (web/casework/figures.ts). */
  figureFacts(from: string, to: string): Promise<CaseFacts[]>;
  /** For instance administrators: per organisation and month, what the server counts without decrypting. */
  instanceFigures(from: string, to: string): Promise<InstanceFigures>;
  /** Accepted only if the key opens the report on this device; otherwise declined as not opening. */
  acceptTransfer(caseId: string): Promise<{ accepted: boolean }>;
  declineTransfer(caseId: string): Promise<void>;
  openCase(caseId: string): Promise<CaseDetailView>;
  /**
   * Sends the message with its files declared, then uploads each (TransferNotice as it goes). If
   * an upload fails the message stands: the error's code is 'upload_unfinished' and
   * finishUploads resumes where it stopped.
   */
  /** `feedback`: the unit counts this reply as its feedback to the reporter. */
  reply(caseId: string, text: string, status: CaseStatus | null, files: OutgoingFile[], feedback: boolean): Promise<CaseDetailView>;
  finishUploads(caseId: string): Promise<CaseDetailView>;
  /** Downloads and decrypts an attachment of a case opened in this session (TransferNotice as it goes). */
  downloadAttachment(caseId: string, fileId: string): Promise<Blob>;
  setStatus(caseId: string, status: CaseStatus): Promise<CaseDetailView>;
  /** The members a case can be assigned to. */
  assignees(): Promise<Assignee[]>;
  /** memberId null: assigned to nobody. */
  assignCase(caseId: string, memberId: string | null): Promise<CaseDetailView>;
  addNote(caseId: string, text: string): Promise<CaseDetailView>;
  signOut(): Promise<void>;
  /** The member's own address for e-mail notices (null: none); setting null stops them. */
  noticeAddress(): Promise<string | null>;
  setNoticeAddress(email: string | null): Promise<string | null>;
  setUpFirstOrganisation(setupToken: string, orgName: string, username: string, password: string): Promise<Enrolment>;
  inspectInvite(token: string): Promise<InviteSummary>;
  acceptInvite(token: string, username: string, password: string): Promise<Enrolment>;
  /** Confirms the enrolment made last in this engine. */
  confirmTotp(code: string): Promise<void>;
  listMembers(): Promise<MemberRow[]>;
  organisationSettings(): Promise<OrganisationSettings>;
  /** Administrators only; new deadlines apply to reports received afterwards. */
  saveOrganisationSettings(settings: OrganisationSettings): Promise<OrganisationSettings>;
  listInvites(): Promise<InviteRow[]>;
  revokeInvite(inviteId: string): Promise<void>;
  /** Returns the invitation token; the page makes the link. */
  inviteMember(role: 'admin' | 'investigator'): Promise<string>;
  inviteOrganisation(orgName: string): Promise<string>;
  grantAccess(memberId: string): Promise<void>;
  /** keysActive: the new keys are in use already (no other member had to confirm them). */
  removeMember(memberId: string): Promise<{ keysActive: boolean }>;
  endSessions(memberId: string): Promise<void>;
  otherOrganisations(): Promise<OtherOrganisation[]>;
  passOn(caseId: string, orgId: string, keepAccess: boolean): Promise<void>;
}

/** The organisation's deadlines, retention and time zone (web/casework). */
export interface OrganisationSettings {
  ackDays: number;
  feedbackMonths: number;
  keepClosedDays: number;
  keepInactiveDays: number;
  timeZone: string;
}
