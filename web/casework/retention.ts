// How long a unit keeps a case, and the day it is deleted. Shared by the scheduled deletion
// (server), the console's warnings and the reporter's mailbox ("will be deleted on"), so all
// three name the same day.
import { addDays, daysBetween, laterDay } from './calendar.js';

export interface RetentionSettings {
  /** Days a closed case (closed, or no further action) is kept after it was closed. */
  keepClosedDays: number;
  /** The ceiling: days a case of any status is kept after its last activity from either side. */
  keepInactiveDays: number;
}

// Closed: a year, for complaints and appeals about how the report was handled. Inactive: six
// years, the usual retention for misconduct records in UK policing (docs/RETENTION.md).
export const DEFAULT_RETENTION: RetentionSettings = { keepClosedDays: 365, keepInactiveDays: 6 * 365 };
export const RETENTION_LIMITS = { keepClosedDays: { min: 30, max: 10 * 365 }, keepInactiveDays: { min: 365, max: 20 * 365 } } as const;

/** A reporter who wrote within this many days is still there: their case is not deleted until it has passed. */
export const RECENT_REPORTER_DAYS = 30;
/** The console warns this many days before a case is deleted. */
export const DELETION_WARNING_DAYS = 30;

export const CLOSED_STATUSES = ['no_further_action', 'closed'] as const;

export interface RetentionFacts {
  status: string;
  /** The day the case was last closed; null while open. */
  closedDay: string | null;
  lastReporterDay: string;
  /** The day of the unit's last change to the case. */
  lastUnitDay: string;
}

/** The day each rule would delete the case: `closed` only for a closed case. */
function ruleDays(facts: RetentionFacts, settings: RetentionSettings): { closed: string | null; inactive: string } {
  const inactive = addDays(laterDay(facts.lastReporterDay, facts.lastUnitDay), settings.keepInactiveDays);
  const closed = (CLOSED_STATUSES as readonly string[]).includes(facts.status) && facts.closedDay !== null ? addDays(facts.closedDay, settings.keepClosedDays) : null;
  return { closed, inactive };
}

/** The day the case is deleted: the earlier of the closed and the inactivity rule, never within RECENT_REPORTER_DAYS of the reporter's last message. */
export function deletionDay(facts: RetentionFacts, settings: RetentionSettings): string {
  const { closed, inactive } = ruleDays(facts, settings);
  const rule = closed !== null && closed < inactive ? closed : inactive;
  return laterDay(rule, addDays(facts.lastReporterDay, RECENT_REPORTER_DAYS));
}

/** Which rule deletes the case, for the audit entry: kept its time after closing, or inactive up to the ceiling. */
export function deletionReason(facts: RetentionFacts, settings: RetentionSettings): 'closed' | 'inactive' {
  const { closed, inactive } = ruleDays(facts, settings);
  return closed !== null && closed < inactive ? 'closed' : 'inactive';
}

/** Deleted by the scheduled work on or after its deletion day. */
export function isDueForDeletion(facts: RetentionFacts, settings: RetentionSettings, today: string): boolean {
  return deletionDay(facts, settings) <= today;
}

/** Whether the console warns of the deletion: it falls within DELETION_WARNING_DAYS of `today` (or has passed, awaiting the next run). */
export function isDeletionNear(deletionDayOfCase: string, today: string): boolean {
  return daysBetween(today, deletionDayOfCase) < DELETION_WARNING_DAYS;
}
