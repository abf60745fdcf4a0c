// What is inside the encryption: the report and the messages of a thread, as JSON.
// Checked by hand rather than with zod to keep the reporter bundle small.
import { ProtocolError } from './errors.js';
import { b64ToBytes, bytesToUtf8, utf8ToBytes } from './encoding.js';
import { SIZES } from './labels.js';
import { FILE_MAX_SIZE } from './file-lengths.js';

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

/**
 * A file sent with a report or message (docs/PROTOCOL.md §9.1): what opens it, sealed under the
 * case key with the rest of the document, so the server never sees its key, name or type.
 */
export interface AttachmentDescriptor {
  /** The file id, 16 bytes as base64url: its name on the server and in its chunks' nonces. */
  id: string;
  /** The file's own key, 32 bytes as base64url. */
  key: string;
  /** 1–255 characters, no control characters or slashes; neutral by default ("evidence-1.jpg"). */
  name: string;
  /** A MIME type, type/subtype with no parameters, ≤ 127 characters. */
  type: string;
  /** Content bytes after cleaning, 0 … 2^40. */
  size: number;
}

export const MAX_ATTACHMENTS = 20;
export const MAX_ATTACHMENT_NAME_CHARS = 255;
export const MAX_ATTACHMENT_TYPE_CHARS = 127;

export type ReportDocument = {
  kind: 'report';
  category: ReportCategory;
  whatHappened: string;
  /** The reporter chose "Not sure" for the organisation; the report went to the first one listed. */
  organisationNotSure?: boolean;
  attachments?: AttachmentDescriptor[];
} & { [F in OptionalReportField]?: string };

/** The statuses a case moves through; carried inside the organisation's signed messages (protocol 2). */
export const CASE_STATUSES = ['received', 'assessing', 'investigating', 'intelligence_recorded', 'passed_on', 'no_further_action', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface MessageDocument {
  kind: 'message';
  text: string;
  /** From the organisation: the case's status from this message on. */
  status?: CaseStatus;
  attachments?: AttachmentDescriptor[];
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
  // A sender is held to what every reader checks: no descriptor goes out that decoding refuses.
  if (doc.kind !== 'status') attachmentsOf(doc.attachments);
  return utf8ToBytes(JSON.stringify(doc));
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ProtocolError('malformed', `${field} must be text`);
  return value;
}

// RFC 6838 restricted names, type/subtype; case as sent (MIME types are case-insensitive).
const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

/** A type a descriptor may carry: type/subtype, no parameters, at most 127 characters (senders check before they send). */
export function isAttachmentType(type: string): boolean {
  return type.length <= MAX_ATTACHMENT_TYPE_CHARS && MIME_TYPE.test(type);
}
// C0 and C1 controls, DEL, and both slashes: a name is shown and saved, never a path.
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f/\\]/;

function b64Field(value: unknown, bytes: number, what: string): string {
  const decoded = typeof value === 'string' ? b64ToBytes(value) : null;
  if (!decoded || decoded.length !== bytes) throw new ProtocolError('malformed', `attachment ${what} must be ${bytes} bytes of base64url`);
  return value as string;
}

/** A descriptor's five fields, checked; fields this protocol does not define are dropped, as elsewhere. */
function attachmentOf(value: unknown): AttachmentDescriptor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtocolError('malformed', 'an attachment is not an object');
  const a = value as Record<string, unknown>;
  const id = b64Field(a.id, SIZES.caseId, 'id');
  const key = b64Field(a.key, SIZES.key, 'key');
  const { name, type, size } = a;
  if (typeof name !== 'string' || name.length === 0 || [...name].length > MAX_ATTACHMENT_NAME_CHARS || NAME_FORBIDDEN.test(name)) {
    throw new ProtocolError('malformed', `attachment name must be 1–${MAX_ATTACHMENT_NAME_CHARS} characters, with no control character or slash`);
  }
  if (typeof type !== 'string' || !isAttachmentType(type)) throw new ProtocolError('malformed', 'attachment type must be a MIME type');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > FILE_MAX_SIZE) throw new ProtocolError('malformed', 'attachment size must be an integer in 0…2^40');
  return { id, key, name, type, size };
}

/** The optional attachments of a report or message: 0–20 descriptors, no file id twice. */
function attachmentsOf(value: unknown): AttachmentDescriptor[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > MAX_ATTACHMENTS) throw new ProtocolError('malformed', `attachments must be a list of at most ${MAX_ATTACHMENTS}`);
  const attachments = value.map(attachmentOf);
  if (new Set(attachments.map((a) => a.id)).size !== attachments.length) throw new ProtocolError('malformed', 'two attachments have the same file id');
  return attachments;
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
  if (doc.kind === 'message' && typeof doc.text === 'string') {
    const message: MessageDocument = { kind: 'message', text: doc.text };
    if (doc.status !== undefined) message.status = statusOf(doc.status);
    const attachments = attachmentsOf(doc.attachments);
    if (attachments) message.attachments = attachments;
    return message;
  }
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
    const attachments = attachmentsOf(doc.attachments);
    if (attachments) report.attachments = attachments;
    return report;
  }
  throw new ProtocolError('malformed', 'unknown document kind');
}
