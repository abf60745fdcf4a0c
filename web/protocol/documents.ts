// What is inside the encryption: the report and the messages of a thread, as JSON.
// Checked by hand rather than with zod to keep the reporter bundle small.
import { ProtocolError } from './errors.js';
import { bytesToUtf8, utf8ToBytes } from './encoding.js';

export const REPORT_CATEGORIES = [
  { id: 'bribery', label: 'Accepting bribes, or trading police information or influence for money or favours' },
  { id: 'personal_advantage', label: 'Using the police position for personal advantage' },
  { id: 'sexual_misconduct', label: 'Crossing professional boundaries for sexual purposes' },
  { id: 'domestic_abuse', label: 'Abusing or controlling a partner or others close to them' },
  { id: 'discrimination', label: 'Racist, homophobic or misogynistic conduct, on or off duty, online or in person' },
  { id: 'disability_discrimination', label: 'Discriminating against disabled people' },
  { id: 'other', label: 'Other' },
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number]['id'];

/** The report's free-text fields, in the order the form asks them; only the first is required. */
export const REPORT_TEXT_FIELDS = ['whatHappened', 'whenAndWhere', 'anythingElse', 'contact'] as const;
export type ReportTextField = (typeof REPORT_TEXT_FIELDS)[number];
export type OptionalReportField = Exclude<ReportTextField, 'whatHappened'>;
export const OPTIONAL_REPORT_FIELDS = REPORT_TEXT_FIELDS.filter((field): field is OptionalReportField => field !== 'whatHappened');

export type ReportDocument = {
  kind: 'report';
  category: ReportCategory;
  whatHappened: string;
  /** The reporter chose "Not sure" for the organisation; the report went to the first one listed. */
  organisationNotSure?: boolean;
} & { [F in OptionalReportField]?: string };

/** The statuses a case moves through; carried inside the organisation's signed messages (protocol 2). */
export const CASE_STATUSES = ['received', 'assessing', 'investigating', 'passed_on', 'no_further_action', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface MessageDocument {
  kind: 'message';
  text: string;
  /** From the organisation: the case's status from this message on. */
  status?: CaseStatus;
}

/** From the organisation: a status change with no words. */
export interface StatusDocument {
  kind: 'status';
  status: CaseStatus;
}

export type ThreadDocument = ReportDocument | MessageDocument | StatusDocument;

function statusOf(value: unknown): CaseStatus {
  const status = CASE_STATUSES.find((s) => s === value);
  if (!status) throw new ProtocolError('malformed', 'unknown status');
  return status;
}

export function encodeDocument(doc: ThreadDocument): Uint8Array {
  return utf8ToBytes(JSON.stringify(doc));
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ProtocolError('malformed', `${field} must be text`);
  return value;
}

export function decodeDocument(bytes: Uint8Array): ThreadDocument {
  let value: unknown;
  try {
    value = JSON.parse(bytesToUtf8(bytes));
  } catch {
    throw new ProtocolError('malformed', 'document is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new ProtocolError('malformed', 'document is not an object');
  const doc = value as Record<string, unknown>;
  if (doc.kind === 'message' && typeof doc.text === 'string') return doc.status === undefined ? { kind: 'message', text: doc.text } : { kind: 'message', text: doc.text, status: statusOf(doc.status) };
  if (doc.kind === 'status') return { kind: 'status', status: statusOf(doc.status) };
  if (doc.kind === 'report') {
    const category = REPORT_CATEGORIES.find((c) => c.id === doc.category)?.id;
    if (!category || typeof doc.whatHappened !== 'string') throw new ProtocolError('malformed', 'report lacks a category or text');
    const report: ReportDocument = { kind: 'report', category, whatHappened: doc.whatHappened };
    for (const field of OPTIONAL_REPORT_FIELDS) {
      const value = optionalText(doc[field], field);
      if (value !== undefined) report[field] = value;
    }
    if (doc.organisationNotSure !== undefined) {
      if (typeof doc.organisationNotSure !== 'boolean') throw new ProtocolError('malformed', 'organisationNotSure must be true or false');
      report.organisationNotSure = doc.organisationNotSure;
    }
    return report;
  }
  throw new ProtocolError('malformed', 'unknown document kind');
}
