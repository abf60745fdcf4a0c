// The words the console shows for codes: statuses, categories, days, and what went wrong.
// Imported from documents.ts directly, not the protocol index, so the page bundle stays free of libsodium.
import { REPORT_CATEGORIES, type ReportCategory } from '../protocol/documents.js';
import type { ProtocolErrorKind } from '../protocol/errors.js';
import type { CaseStatus } from './engine-api.js';

// Typed as a Record over CaseStatus, so the compiler catches a status added to or removed from db/schema.ts.
export const STATUS_LABELS: Record<CaseStatus, string> = {
  received: 'Received',
  assessing: 'Being assessed',
  investigating: 'Under investigation',
  passed_on: 'Passed to another organisation',
  no_further_action: 'No further action',
  closed: 'Closed',
};

export const STATUSES = Object.keys(STATUS_LABELS) as CaseStatus[];

export function statusLabel(status: CaseStatus): string {
  return STATUS_LABELS[status] ?? status;
}

export function categoryLabel(category: ReportCategory): string {
  return REPORT_CATEGORIES.find((c) => c.id === category)?.label ?? 'Other';
}

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Days arrive as YYYY-MM-DD (UTC); shown as "3 May 2026". */
export function dayLabel(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) ? day : DAY_FORMAT.format(ms);
}

export const UNVERIFIED_TEXT = 'It may have been altered or damaged, so its contents are not shown.';

/** Why a message could not be shown, in words; the kind is kept for whoever investigates it. */
export function problemLabel(kind: ProtocolErrorKind): string {
  switch (kind) {
    case 'bad_signature':
      return 'the signature does not match its sender';
    case 'authentication_failed':
      return 'it does not decrypt with this case’s key';
    case 'wrong_binding':
      return 'it belongs to another case or message';
    case 'unsupported_version':
      return 'it uses a protocol version this console does not know';
    case 'missing_key':
      return 'it is sealed to a key version you have not been given: ask an administrator to give you access';
    default:
      return 'it is not in the expected format';
  }
}

/** Engine and API errors, as something a person can act on. */
export function errorText(error: unknown, context: 'sign-in' | 'account' | 'other'): string {
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  if (context === 'account') {
    if (code === 'not_found' || code === 'token_invalid') return 'This link does not work any more: it has been used, has expired, was withdrawn, or was copied incompletely. Ask for a new one.';
    if (code === 'username_taken') return 'That username is taken. Choose another.';
    if (code === 'unauthorised') return 'That code did not work. Check the time on your phone is right, then enter the newest code.';
    if (code === 'invalid_body') return 'The server did not accept these details. Check the username uses only lower-case letters, digits, dot, dash or underscore.';
  }
  // These come from Parley's own server, written for people: what changed, what to do.
  const WRITTEN_FOR_PEOPLE = ['clock_skew', 'storage_full', 'storage_busy', 'storage_unwritable', 'forbidden', 'org_key_changed', 'members_changed', 'rotation_pending', 'cannot_remove_self', 'already_shared', 'duplicate_id', 'username_taken'];
  if (code && WRITTEN_FOR_PEOPLE.includes(code) && message) return message;
  // At sign-in a name the server cannot take (invalid_body) gets the same words as a wrong one.
  if (context === 'sign-in' && (code === 'unauthorised' || code === 'invalid_body')) return 'Username, password or code is wrong.';
  if (code === 'unauthorised') return 'Your session has ended. Sign in again.';
  if (code === 'rate_limited') return 'Too many attempts. Wait a few minutes, then try again.';
  if (code === 'not_found') return 'This case is not available to your organisation.';
  if (code === 'authentication_failed' && context === 'sign-in') return 'Your organisation’s keys could not be opened with this password. Ask an administrator.';
  if (name === 'ProtocolError') {
    return context === 'sign-in'
      ? 'The server’s answer could not be verified on this device, so you are not signed in. Tell your administrator.'
      : 'Something the server sent could not be verified on this device, so it is not shown. Tell your administrator if this persists.';
  }
  if (name === 'TypeError') return 'The server could not be reached. Check your connection and try again.';
  return 'Something went wrong. Try again.';
}
