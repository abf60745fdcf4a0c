// The casework a seeded case carries, as a unit that mostly keeps its deadlines would leave it
// (bench/seed.ts): received over three years, due days fixed from the received day by the
// default settings (web/casework/deadlines.ts), nearly every case acknowledged and given
// feedback in time, older cases mostly settled (closed ones within the last year: retention
// has deleted the older ones), some open, a few overdue, many assigned.
import { addDays, daysBetween } from '../web/casework/calendar.js';
import { DEFAULT_DEADLINES, dueDays, nextDueDay } from '../web/casework/deadlines.js';
import { CLOSED_STATUSES, DEFAULT_RETENTION } from '../web/casework/retention.js';
import type { CaseStatus } from '../web/client/wire-types.js';

export interface CaseworkFacts {
  status: CaseStatus;
  receivedDay: string;
  lastReporterDay: string;
  ackDueDay: string;
  feedbackDueDay: string;
  ackDay: string | null;
  feedbackDay: string | null;
  closedDay: string | null;
  assignedTo: string | null;
  /** The unit's last change (ms). */
  updatedAt: number;
  /** The next open deadline, or null: what the case list sorts by (`sort=due`). */
  nextDueDay: string | null;
}

/** Three years of reports. */
export const HISTORY_DAYS = 3 * 365;
const ACK_MISSED = 0.01;
const ACK_LATE = 0.03;
const FEEDBACK_MISSED = 0.02;
const ASSIGNED_OPEN = 0.6;
const ASSIGNED_SETTLED = 0.8;
const SETTLED: readonly CaseStatus[] = ['passed_on', 'no_further_action', 'no_further_action', 'closed', 'closed', 'closed'];

const noonMs = (day: string) => Date.parse(`${day}T12:00:00Z`);
const laterOf = (...days: (string | null)[]) => days.reduce<string>((a, b) => (b !== null && b > a ? b : a), '');

/** One case's casework; `random` gives uniform draws in [0, 1), `assignee` the member cases may be assigned to. */
export function caseworkFacts(today: string, random: () => number, assignee: string): CaseworkFacts {
  const age = Math.floor(random() * HISTORY_DAYS);
  const receivedDay = addDays(today, -age);
  const { ackDueDay, feedbackDueDay } = dueDays(receivedDay, DEFAULT_DEADLINES);
  const pastAckDue = daysBetween(ackDueDay, today);

  // Acknowledged on time nearly always; late or not yet for a few (young cases: about half so far).
  let ackDay: string | null = null;
  const ack = random();
  if (pastAckDue < 0) ackDay = random() < 0.5 ? addDays(receivedDay, Math.floor(random() * (age + 1))) : null;
  else if (ack >= ACK_MISSED + ACK_LATE) ackDay = addDays(receivedDay, Math.floor(random() * (DEFAULT_DEADLINES.ackDays + 1)));
  else if (ack >= ACK_MISSED && pastAckDue > 0) ackDay = addDays(ackDueDay, 1 + Math.floor(random() * Math.min(pastAckDue, 14)));

  // Feedback once acknowledged: given in time for nearly all cases past their feedback day, for some before it.
  let feedbackDay: string | null = null;
  if (ackDay !== null) {
    const room = daysBetween(ackDay, feedbackDueDay < today ? feedbackDueDay : today);
    const given = feedbackDueDay < today ? random() >= FEEDBACK_MISSED : random() < 0.3;
    if (given && room >= 0) feedbackDay = addDays(ackDay, Math.floor(random() * (room + 1)));
  }

  // The older the case, the likelier it is settled; a closed case closed within the last year.
  const settled = random() < Math.min(0.9, age / 365);
  const status: CaseStatus = settled ? SETTLED[Math.floor(random() * SETTLED.length)]! : age < DEFAULT_DEADLINES.ackDays ? (random() < 0.7 ? 'received' : 'assessing') : random() < 0.3 ? 'assessing' : 'investigating';
  const closedDay = (CLOSED_STATUSES as readonly string[]).includes(status) ? addDays(today, -Math.floor(random() * Math.min(age, DEFAULT_RETENTION.keepClosedDays - 2))) : null;
  const assignedTo = random() < (settled ? ASSIGNED_SETTLED : ASSIGNED_OPEN) ? assignee : null;
  const lastReporterDay = random() < 0.2 ? addDays(receivedDay, Math.floor(random() * (age + 1))) : receivedDay;
  const facts = { status, receivedDay, lastReporterDay, ackDueDay, feedbackDueDay, ackDay, feedbackDay, closedDay, assignedTo, updatedAt: noonMs(laterOf(receivedDay, ackDay, feedbackDay, closedDay)) };
  return { ...facts, nextDueDay: nextDueDay(facts)?.day ?? null };
}

/** A case closed long enough ago that retention deletes it on its next run (one the last hourly run did not reach yet). */
export function dueForDeletionFacts(today: string): CaseworkFacts {
  const closedDay = addDays(today, -(DEFAULT_RETENTION.keepClosedDays + 5));
  const receivedDay = addDays(closedDay, -60);
  const { ackDueDay, feedbackDueDay } = dueDays(receivedDay, DEFAULT_DEADLINES);
  const ackDay = addDays(receivedDay, 2);
  return { status: 'closed', receivedDay, lastReporterDay: receivedDay, ackDueDay, feedbackDueDay, ackDay, feedbackDay: addDays(ackDay, 30), closedDay, assignedTo: null, updatedAt: noonMs(closedDay), nextDueDay: null };
}
