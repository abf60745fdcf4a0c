// The words the console shows for codes: statuses, categories, days, and what went wrong, all
// from the page's catalogue (web/i18n/console/<language>.json).
// Imported from documents.ts directly, not the protocol index, so the page bundle stays free of libsodium.
import type { ProtocolErrorKind } from '../protocol/errors.js';
import { activeLanguage, activeLocale, t, type MessageKey } from '../i18n/i18n.js';
import type { CaseStatus } from './engine-api.js';
import { dayIn } from '../casework/calendar.js';
import { isDeletionNear } from '../casework/retention.js';

// Typed as a Record over CaseStatus, so the compiler catches a status added to or removed from db/schema.ts.
const STATUS_KEYS: Record<CaseStatus, MessageKey> = {
  received: 'status.received',
  assessing: 'status.assessing',
  investigating: 'status.investigating',
  intelligence_recorded: 'status.intelligence_recorded',
  passed_on: 'status.passed_on',
  no_further_action: 'status.no_further_action',
  closed: 'status.closed',
};

export const STATUSES = Object.keys(STATUS_KEYS) as CaseStatus[];

export function statusLabel(status: CaseStatus): string {
  const key = STATUS_KEYS[status];
  return key ? t(key) : status;
}

/** A moment as "3 May, 14:05" in the page's language; the hour and minute come from Intl (local time). */
export function momentLabel(ms: number): string {
  const date = new Date(ms);
  const time = new Intl.DateTimeFormat(activeLocale(), { hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
  return t('date.dayTime', { day: String(date.getDate()), month: `m${date.getMonth() + 1}`, time });
}

/** A file's size as people read it: "640 bytes", "1.2 MB" (decimal units, as file managers show them). */
export function fileSizeLabel(bytes: number): string {
  if (bytes < 1000) return t('case.files.size.bytes', { count: bytes });
  const size = (n: number) => new Intl.NumberFormat(activeLocale(), { maximumFractionDigits: 1 }).format(n);
  if (bytes < 1e6) return t('case.files.size.kb', { size: size(bytes / 1e3) });
  if (bytes < 1e9) return t('case.files.size.mb', { size: size(bytes / 1e6) });
  return t('case.files.size.gb', { size: size(bytes / 1e9) });
}

export function unverifiedText(): string {
  return t('problem.unverifiedText');
}

/** Why a message could not be shown, in words; the kind is kept for whoever investigates it. */
export function problemLabel(kind: ProtocolErrorKind): string {
  switch (kind) {
    case 'bad_signature':
      return t('problem.bad_signature');
    case 'authentication_failed':
      return t('problem.authentication_failed');
    case 'wrong_binding':
      return t('problem.wrong_binding');
    case 'unsupported_version':
      return t('problem.unsupported_version');
    case 'missing_key':
      return t('problem.missing_key');
    default:
      return t('problem.malformed');
  }
}

/**
 * Parley's own server writes these codes' messages for people (what changed, what to do). The
 * English console shows the server's words, which can be more particular; other languages show
 * the catalogue's message for the code.
 */
const WRITTEN_FOR_PEOPLE: Record<string, MessageKey> = {
  clock_skew: 'error.clockSkew',
  storage_full: 'error.storageFull',
  storage_busy: 'error.storageBusy',
  storage_unwritable: 'error.storageUnwritable',
  forbidden: 'error.forbidden',
  org_key_changed: 'error.orgKeyChanged',
  members_changed: 'error.membersChanged',
  rotation_pending: 'error.rotationPending',
  cannot_remove_self: 'error.cannotRemoveSelf',
  already_shared: 'error.alreadyShared',
  duplicate_id: 'error.duplicateId',
  username_taken: 'error.usernameTaken',
};

/** Engine and API errors, as something a person can act on. */
export function errorText(error: unknown, context: 'sign-in' | 'account' | 'other'): string {
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  if (context === 'account') {
    if (code === 'not_found' || code === 'token_invalid') return t('error.linkDead');
    if (code === 'username_taken') return t('error.usernameTaken');
    if (code === 'unauthorised') return t('error.codeRefused');
    if (code === 'invalid_body') return t('error.detailsRefused');
  }
  const written = code !== undefined && Object.hasOwn(WRITTEN_FOR_PEOPLE, code) ? WRITTEN_FOR_PEOPLE[code] : undefined;
  if (written) return activeLanguage() === 'en' && message ? message : t(written);
  // At sign-in a name the server cannot take (invalid_body) gets the same words as a wrong one.
  if (context === 'sign-in' && (code === 'unauthorised' || code === 'invalid_body')) return t('error.signInRefused');
  if (code === 'unauthorised') return t('error.sessionEnded');
  // The code was right but is spent: most often the one that just confirmed a new account.
  if (code === 'code_used') return t('signIn.spentCode');
  if (code === 'rate_limited') return t('error.rateLimited');
  if (code === 'not_found') return t('error.caseNotFound');
  if (code === 'authentication_failed' && context === 'sign-in') return t('error.keysNotOpened');
  if (name === 'ProtocolError') return context === 'sign-in' ? t('error.unverifiedSignIn') : t('error.unverified');
  if (name === 'TypeError') return t('error.unreachable');
  return t('error.other');
}

/** Whether a case's deletion day is near enough to warn of, counted from this device's own day. */
export function deletionNear(deletionDay: string): boolean {
  return isDeletionNear(deletionDay, dayIn(Date.now(), Intl.DateTimeFormat().resolvedOptions().timeZone));
}
