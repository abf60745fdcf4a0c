// When a unit must acknowledge a report and give feedback (ISO 37002; EU Directive 2019/1937:
// acknowledge within 7 days, feedback within 3 months), and whether it is late. Shared by the
// server (it stores each case's due days when the report arrives, and sorts and filters by them)
// and the console (which shows them), so both count the same way.
import { addDays, addMonths, daysBetween } from './calendar.js';

export interface DeadlineSettings {
  /** Days from the day a report is received to acknowledge it (the unit's first message). */
  ackDays: number;
  /** Calendar months from the day a report is received to give feedback (a message marked as feedback). */
  feedbackMonths: number;
}

export const DEFAULT_DEADLINES: DeadlineSettings = { ackDays: 7, feedbackMonths: 3 };
export const DEADLINE_LIMITS = { ackDays: { min: 1, max: 90 }, feedbackMonths: { min: 1, max: 12 } } as const;

/**
 * The due days of a report received on `receivedDay`. They are fixed when the report arrives:
 * the reporter's clock starts then, so a later change of the settings, or a pass-on to another
 * unit, does not move them.
 */
export function dueDays(receivedDay: string, settings: DeadlineSettings): { ackDueDay: string; feedbackDueDay: string } {
  return { ackDueDay: addDays(receivedDay, settings.ackDays), feedbackDueDay: addMonths(receivedDay, settings.feedbackMonths) };
}

/**
 * - `met`: done on or before the due day; `late`: done after it;
 * - `due`: not done, the due day is today or later; `overdue`: not done, the due day has passed.
 */
export type DeadlineState = 'met' | 'late' | 'due' | 'overdue';

export function deadlineState(dueDay: string, doneDay: string | null, today: string): DeadlineState {
  if (doneDay !== null) return doneDay <= dueDay ? 'met' : 'late';
  return today <= dueDay ? 'due' : 'overdue';
}

/** "Due this week": not done and due within the next seven days, today included. */
export function isDueWithinWeek(dueDay: string, doneDay: string | null, today: string): boolean {
  if (doneDay !== null) return false;
  const days = daysBetween(today, dueDay);
  return days >= 0 && days < 7;
}

/** Statuses after which nothing more is owed to the reporter: no deadline is open. */
export const SETTLED_STATUSES = ['passed_on', 'no_further_action', 'closed'] as const;

/**
 * The next deadline a case has open: acknowledgement until the unit has written, then feedback
 * until a message marked as feedback; none once both are done or the case is settled.
 */
export function nextDueDay(c: { status: string; ackDueDay: string; ackDay: string | null; feedbackDueDay: string; feedbackDay: string | null }): { kind: 'acknowledge' | 'feedback'; day: string } | null {
  if ((SETTLED_STATUSES as readonly string[]).includes(c.status)) return null;
  if (c.ackDay === null) return { kind: 'acknowledge', day: c.ackDueDay };
  if (c.feedbackDay === null) return { kind: 'feedback', day: c.feedbackDueDay };
  return null;
}
