// The unit's figures from a seeded set of cases, against a count done by hand (the comments
// beside each case say what it adds), and what leaves the unit: counts 1–4 as "fewer than 5",
// medians over fewer than 5 cases withheld, in the figures and in the CSV.
import { describe, expect, it } from 'vitest';
import { computeFigures, figuresCsv, periodOf, suppressFigures, type CaseFacts, type FiguresCsvWords } from '../../web/casework/figures.js';

const fact = (receivedDay: string, status: CaseFacts['status'], category: CaseFacts['category'], ack: [string, string | null] | null, feedback: [string, string | null] | null = null): CaseFacts => ({
  receivedDay, status, category,
  deadlines: { ackDueDay: ack?.[0] ?? null, ackDay: ack?.[1] ?? null, feedbackDueDay: feedback?.[0] ?? null, feedbackDay: feedback?.[1] ?? null },
});

// [due, done] pairs. "resp n": days from receipt to the acknowledgement.
const SEEDED: CaseFacts[] = [
  fact('2025-12-31', 'received', 'bribery', ['2026-01-07', null]), //                                 2025: no response
  fact('2026-01-05', 'investigating', 'bribery', ['2026-01-12', '2026-01-08'], ['2026-04-05', '2026-03-01']), // ack in, feedback in, resp 3
  fact('2026-01-10', 'closed', 'bribery', ['2026-01-17', '2026-01-20'], ['2026-04-10', '2026-04-05']), //     ack late, feedback in, resp 10
  fact('2026-01-15', 'passed_on', 'domestic_abuse', ['2026-01-22', '2026-01-16']), //                          ack in, resp 1
  fact('2026-01-20', 'received', 'other', ['2026-01-27', null]), //                                              not acknowledged
  fact('2026-01-25', 'no_further_action', 'bribery', ['2026-02-01', '2026-01-30'], ['2026-04-25', '2026-05-01']), // ack in, feedback late, resp 5
  fact('2026-01-31', 'intelligence_recorded', null, ['2026-02-07', '2026-02-02']), //                            unreadable, ack in, resp 2
  fact('2026-01-31', 'investigating', 'personal_advantage', ['2026-02-07', '2026-02-09']), //                    ack late, resp 9
  fact('2026-02-28', 'assessing', 'discrimination', ['2026-03-07', '2026-03-02']), //                            ack in, resp 2
  fact('2026-04-01', 'closed', 'other', ['2026-04-08', '2026-04-01'], ['2026-07-01', '2026-04-01']), //           ack in, feedback in, resp 0
];

const NO_CATEGORY = { bribery: 0, personal_advantage: 0, sexual_misconduct: 0, domestic_abuse: 0, discrimination: 0, disability_discrimination: 0, other: 0 };
const NO_OUTCOME = { investigating: 0, intelligence_recorded: 0, passed_on: 0, no_further_action: 0, closed: 0 };

describe('figures', () => {
  it('puts a day in its month, quarter and year', () => {
    expect(['2026-01-01', '2026-03-31', '2026-04-01', '2026-12-31'].map((d) => periodOf(d, 'quarter'))).toEqual(['2026-Q1', '2026-Q1', '2026-Q2', '2026-Q4']);
    expect(periodOf('2026-02-28', 'month')).toBe('2026-02');
    expect(periodOf('2026-02-28', 'year')).toBe('2026');
  });

  it('equal a hand count, per month', () => {
    const months = computeFigures(SEEDED, 'month');
    expect(months.map((m) => m.period)).toEqual(['2025-12', '2026-01', '2026-02', '2026-04']);
    expect(months[1]).toEqual({
      period: '2026-01',
      received: 7,
      byCategory: { ...NO_CATEGORY, bribery: 3, domestic_abuse: 1, other: 1, personal_advantage: 1 },
      unreadable: 1,
      acknowledgedWithin: 4,
      feedbackWithin: 2,
      // Responses 3, 10, 1, 5, 2, 9 → sorted 1 2 3 5 9 10: the middle two, 3 and 5.
      medianDaysToFirstResponse: 4,
      responded: 6,
      outcomes: { investigating: 2, intelligence_recorded: 1, passed_on: 1, no_further_action: 1, closed: 1 },
    });
    expect(months[0]).toMatchObject({ received: 1, acknowledgedWithin: 0, medianDaysToFirstResponse: null, responded: 0, outcomes: NO_OUTCOME });
    expect(months[2]).toMatchObject({ received: 1, acknowledgedWithin: 1, medianDaysToFirstResponse: 2, outcomes: NO_OUTCOME });
  });

  it('equal a hand count, per quarter and per year', () => {
    const quarters = computeFigures(SEEDED, 'quarter');
    expect(quarters.map((q) => [q.period, q.received])).toEqual([['2025-Q4', 1], ['2026-Q1', 8], ['2026-Q2', 1]]);
    // Q1: responses 3 10 1 5 2 9 2 → 1 2 2 3 5 9 10.
    expect(quarters[1]).toMatchObject({ acknowledgedWithin: 5, feedbackWithin: 2, medianDaysToFirstResponse: 3, responded: 7 });
    const years = computeFigures(SEEDED, 'year');
    expect(years.map((y) => [y.period, y.received])).toEqual([['2025', 1], ['2026', 9]]);
    // 2026: 0 1 2 2 3 5 9 10 → (2 + 3) / 2.
    expect(years[1]).toMatchObject({ acknowledgedWithin: 6, feedbackWithin: 3, medianDaysToFirstResponse: 2.5, byCategory: { ...NO_CATEGORY, bribery: 3, domestic_abuse: 1, other: 2, personal_advantage: 1, discrimination: 1 } });
  });

  it('suppress counts of 1 to 4 and medians over fewer than 5 cases; 0 stays 0', () => {
    const [, january, february] = computeFigures(SEEDED, 'month').map(suppressFigures);
    expect(january).toEqual({
      period: '2026-01',
      received: 7,
      byCategory: { ...NO_CATEGORY, bribery: 'fewer_than_5', domestic_abuse: 'fewer_than_5', other: 'fewer_than_5', personal_advantage: 'fewer_than_5' },
      unreadable: 'fewer_than_5',
      acknowledgedWithin: 'fewer_than_5',
      feedbackWithin: 'fewer_than_5',
      medianDaysToFirstResponse: 4,
      outcomes: { investigating: 'fewer_than_5', intelligence_recorded: 'fewer_than_5', passed_on: 'fewer_than_5', no_further_action: 'fewer_than_5', closed: 'fewer_than_5' },
    });
    expect(february).toMatchObject({ received: 'fewer_than_5', medianDaysToFirstResponse: 'withheld', feedbackWithin: 0 });
    const q1 = suppressFigures(computeFigures(SEEDED, 'quarter')[1]!);
    expect(q1).toMatchObject({ received: 8, acknowledgedWithin: 5, medianDaysToFirstResponse: 3 });
  });

  it('export as a suppressed CSV', () => {
    const words: FiguresCsvWords = {
      period: 'Period', received: 'Received',
      category: { bribery: 'Bribery', personal_advantage: 'Personal advantage', sexual_misconduct: 'Sexual', domestic_abuse: 'Domestic abuse', discrimination: 'Discrimination, hate', disability_discrimination: 'Disability', other: '=Other' },
      unreadable: 'Unreadable', acknowledgedWithin: 'Acknowledged in time', feedbackWithin: 'Feedback in time', medianDaysToFirstResponse: 'Median days',
      outcome: { investigating: 'Investigating', intelligence_recorded: 'Intelligence', passed_on: 'Passed on', no_further_action: 'NFA', closed: 'Closed' },
      fewerThan5: 'fewer than 5', withheld: 'withheld',
    };
    const csv = figuresCsv(computeFigures(SEEDED, 'quarter').map(suppressFigures), words);
    const lines = csv.split('\r\n');
    expect(lines).toEqual([
      // A comma is quoted; a leading "=" cannot become a formula.
      'Period,Received,Bribery,Personal advantage,Sexual,Domestic abuse,"Discrimination, hate",Disability,\'=Other,Unreadable,Acknowledged in time,Feedback in time,Median days,Investigating,Intelligence,Passed on,NFA,Closed',
      '2025-Q4,fewer than 5,fewer than 5,0,0,0,0,0,0,0,0,0,withheld,0,0,0,0,0',
      '2026-Q1,8,fewer than 5,fewer than 5,0,fewer than 5,fewer than 5,0,fewer than 5,fewer than 5,5,fewer than 5,3,fewer than 5,fewer than 5,fewer than 5,fewer than 5,fewer than 5',
      '2026-Q2,fewer than 5,0,0,0,0,0,0,fewer than 5,0,fewer than 5,fewer than 5,withheld,0,0,0,0,fewer than 5',
      '',
    ]);
    // No count from 1 to 4 survives anywhere in the rows (column 12 is the median, a number of days).
    const counts = lines.slice(1, -1).flatMap((line) => line.split(',').filter((_, column) => column !== 0 && column !== 12));
    expect(counts.filter((v) => /^[1-4]$/.test(v))).toEqual([]);
  });
});
