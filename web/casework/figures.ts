// A unit's figures (issue 15): per month, quarter or year, reports received, by category,
// acknowledged and answered within the deadline, the median days to a first response, and
// outcomes. Pure: the console computes them on the investigator's device, where the categories
// are decrypted, so no category is ever stored or sent in clear. Anything exported or published
// goes through `suppressFigures` first (small counts could single a reporter out).
import { daysBetween } from './calendar.js';
import { REPORT_CATEGORIES, type CaseStatus, type ReportCategory } from '../protocol/documents.js';

export type FiguresPeriod = 'month' | 'quarter' | 'year';
export const FIGURES_PERIODS: readonly FiguresPeriod[] = ['month', 'quarter', 'year'];

/** The outcomes counted: where each case stands now (its current status). */
export const OUTCOME_STATUSES = ['investigating', 'intelligence_recorded', 'passed_on', 'no_further_action', 'closed'] as const satisfies readonly CaseStatus[];
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export const CATEGORY_IDS: readonly ReportCategory[] = REPORT_CATEGORIES.map((c) => c.id);

/** What the device knows of one case: the server's day-only bookkeeping and the category it decrypted (null: the report did not open). */
export interface CaseFacts {
  receivedDay: string;
  status: CaseStatus;
  deadlines: { ackDueDay: string | null; ackDay: string | null; feedbackDueDay: string | null; feedbackDay: string | null };
  category: ReportCategory | null;
}

export interface PeriodFigures {
  /** "2026-03", "2026-Q1" or "2026". */
  period: string;
  received: number;
  byCategory: Record<ReportCategory, number>;
  /** Reports whose category could not be read on this device. */
  unreadable: number;
  /** Acknowledged (the unit's first message with words) on or before the due day. */
  acknowledgedWithin: number;
  /** Feedback given on or before its due day. */
  feedbackWithin: number;
  /** Median whole days from receipt to the acknowledgement, over the cases acknowledged; null if none. */
  medianDaysToFirstResponse: number | null;
  /** How many cases the median is over. */
  responded: number;
  outcomes: Record<OutcomeStatus, number>;
}

/** The period a day falls in (UTC days, as the server records them). */
export function periodOf(day: string, period: FiguresPeriod): string {
  const year = day.slice(0, 4);
  if (period === 'year') return year;
  if (period === 'month') return day.slice(0, 7);
  return `${year}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** What a period's figures are made from: its counts, and the whole days to the first response of each case answered. */
export interface PeriodTally extends Omit<PeriodFigures, 'medianDaysToFirstResponse' | 'responded'> {
  firstResponseDays: number[];
}

export const emptyTally = (period: string): PeriodTally => ({
  period, received: 0, byCategory: zeroes(CATEGORY_IDS), unreadable: 0, acknowledgedWithin: 0, feedbackWithin: 0, firstResponseDays: [], outcomes: zeroes(OUTCOME_STATUSES),
});

/** The figures of a tally: the one place a median is taken and the responses counted. */
export function figuresOf({ firstResponseDays, ...counts }: PeriodTally): PeriodFigures {
  return { ...counts, medianDaysToFirstResponse: median(firstResponseDays), responded: firstResponseDays.length };
}

/** Figures per period, oldest first; a period with no reports is absent. */
export function computeFigures(cases: readonly CaseFacts[], period: FiguresPeriod): PeriodFigures[] {
  const tallies = new Map<string, PeriodTally>();
  for (const c of cases) {
    const key = periodOf(c.receivedDay, period);
    let tally = tallies.get(key);
    if (tally === undefined) tallies.set(key, (tally = emptyTally(key)));
    tally.received++;
    if (c.category === null) tally.unreadable++;
    else tally.byCategory[c.category]++;
    const { ackDueDay, ackDay, feedbackDueDay, feedbackDay } = c.deadlines;
    if (ackDay !== null) {
      tally.firstResponseDays.push(daysBetween(c.receivedDay, ackDay));
      if (ackDueDay !== null && ackDay <= ackDueDay) tally.acknowledgedWithin++;
    }
    if (feedbackDay !== null && feedbackDueDay !== null && feedbackDay <= feedbackDueDay) tally.feedbackWithin++;
    if ((OUTCOME_STATUSES as readonly string[]).includes(c.status)) tally.outcomes[c.status as OutcomeStatus]++;
  }
  return [...tallies.keys()].sort().map((key) => figuresOf(tallies.get(key)!));
}

/** Below this, a count is shown as "fewer than 5" and a median over so few cases is withheld. */
export const SUPPRESSION_THRESHOLD = 5;

/** A count as it may be shown outside the unit: exact, or "fewer than 5" (0 stays 0: it identifies no one). */
export type ShownCount = number | 'fewer_than_5';
/** A median as it may be shown outside the unit: withheld when over too few cases (or none). */
export type ShownMedian = number | 'withheld';

export interface SuppressedFigures {
  period: string;
  received: ShownCount;
  byCategory: Record<ReportCategory, ShownCount>;
  unreadable: ShownCount;
  acknowledgedWithin: ShownCount;
  feedbackWithin: ShownCount;
  medianDaysToFirstResponse: ShownMedian;
  outcomes: Record<OutcomeStatus, ShownCount>;
}

export function suppressCount(count: number): ShownCount {
  return count > 0 && count < SUPPRESSION_THRESHOLD ? 'fewer_than_5' : count;
}

export function suppressMedian(value: number | null, over: number): ShownMedian {
  return value === null || over < SUPPRESSION_THRESHOLD ? 'withheld' : value;
}

const suppressAll = <K extends string>(counts: Record<K, number>) =>
  Object.fromEntries(Object.entries<number>(counts).map(([k, v]) => [k, suppressCount(v)])) as Record<K, ShownCount>;

/** What may leave the unit: every count and median suppressed. */
export function suppressFigures(figures: PeriodFigures): SuppressedFigures {
  return {
    period: figures.period,
    received: suppressCount(figures.received),
    byCategory: suppressAll(figures.byCategory),
    unreadable: suppressCount(figures.unreadable),
    acknowledgedWithin: suppressCount(figures.acknowledgedWithin),
    feedbackWithin: suppressCount(figures.feedbackWithin),
    medianDaysToFirstResponse: suppressMedian(figures.medianDaysToFirstResponse, figures.responded),
    outcomes: suppressAll(figures.outcomes),
  };
}

/** The words a CSV needs, from the caller's catalogue: a heading per column and the suppression words. */
export interface FiguresCsvWords {
  period: string;
  received: string;
  category: Record<ReportCategory, string>;
  unreadable: string;
  acknowledgedWithin: string;
  feedbackWithin: string;
  medianDaysToFirstResponse: string;
  outcome: Record<OutcomeStatus, string>;
  fewerThan5: string;
  withheld: string;
}

/** RFC 4180 field; a leading =, +, - or @ is quoted away so a spreadsheet does not run it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV of suppressed figures, one row per period, CRLF line ends (RFC 4180). */
export function figuresCsv(rows: readonly SuppressedFigures[], words: FiguresCsvWords): string {
  const shown = (value: ShownCount | ShownMedian) => (value === 'fewer_than_5' ? words.fewerThan5 : value === 'withheld' ? words.withheld : String(value));
  const header = [
    words.period, words.received, ...CATEGORY_IDS.map((c) => words.category[c]), words.unreadable,
    words.acknowledgedWithin, words.feedbackWithin, words.medianDaysToFirstResponse, ...OUTCOME_STATUSES.map((s) => words.outcome[s]),
  ];
  const lines = rows.map((r) => [
    r.period, shown(r.received), ...CATEGORY_IDS.map((c) => shown(r.byCategory[c])), shown(r.unreadable),
    shown(r.acknowledgedWithin), shown(r.feedbackWithin), shown(r.medianDaysToFirstResponse), ...OUTCOME_STATUSES.map((s) => shown(r.outcomes[s])),
  ]);
  return [header, ...lines].map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
}
