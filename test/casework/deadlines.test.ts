// Deadlines and retention days, counted as the server and the console both count them:
// across month ends, leap years, and "today" in the unit's time zone either side of a
// daylight-saving change.
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayIn, daysBetween, isDay, isTimeZone } from '../../web/casework/calendar.js';
import { DEFAULT_DEADLINES, deadlineState, dueDays, isDueWithinWeek, nextDueDay } from '../../web/casework/deadlines.js';
import { DEFAULT_RETENTION, deletionDay, isDueForDeletion } from '../../web/casework/retention.js';

describe('calendar days', () => {
  it('adds days across month and year ends and 29 February', () => {
    expect(addDays('2026-01-28', 7)).toBe('2026-02-04');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2028-02-26', 7)).toBe('2028-03-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('adds calendar months, a day the month lacks becoming its last', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-01-31', 3)).toBe('2026-04-30');
    expect(addMonths('2026-10-15', 3)).toBe('2027-01-15');
    expect(addMonths('2026-12-31', 12)).toBe('2027-12-31');
  });

  it('counts days between, through a daylight-saving change (no lost or extra day)', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2026-12-31', '2026-12-01')).toBe(-30);
  });

  it("gives the day in the unit's time zone, not UTC, either side of the clocks changing", () => {
    // 23:30 UTC on 28 March 2026 is 23:30 GMT: still the 28th in London.
    expect(dayIn(Date.UTC(2026, 2, 28, 23, 30), 'Europe/London')).toBe('2026-03-28');
    // 23:30 UTC on 29 March 2026 is 00:30 BST on the 30th.
    expect(dayIn(Date.UTC(2026, 2, 29, 23, 30), 'Europe/London')).toBe('2026-03-30');
    // 23:30 UTC on 24 October 2026 is 00:30 BST on the 25th; on 25 October (GMT again) it is still the 25th.
    expect(dayIn(Date.UTC(2026, 9, 24, 23, 30), 'Europe/London')).toBe('2026-10-25');
    expect(dayIn(Date.UTC(2026, 9, 25, 23, 30), 'Europe/London')).toBe('2026-10-25');
    expect(dayIn(Date.UTC(2026, 9, 25, 23, 30), 'UTC')).toBe('2026-10-25');
    expect(dayIn(Date.UTC(2026, 9, 25, 12, 0), 'Pacific/Auckland')).toBe('2026-10-26');
  });

  it('checks days and zones', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-2-1')).toBe(false);
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('deadlines', () => {
  it('are 7 days and 3 calendar months from the day received, by default', () => {
    expect(dueDays('2026-01-31', DEFAULT_DEADLINES)).toEqual({ ackDueDay: '2026-02-07', feedbackDueDay: '2026-04-30' });
    expect(dueDays('2026-11-30', DEFAULT_DEADLINES)).toEqual({ ackDueDay: '2026-12-07', feedbackDueDay: '2027-02-28' });
    expect(dueDays('2026-12-02', { ackDays: 5, feedbackMonths: 1 })).toEqual({ ackDueDay: '2026-12-07', feedbackDueDay: '2027-01-02' });
  });

  it('are met, late, due or overdue', () => {
    expect(deadlineState('2026-12-09', '2026-12-09', '2026-12-20')).toBe('met');
    expect(deadlineState('2026-12-09', '2026-12-10', '2026-12-20')).toBe('late');
    expect(deadlineState('2026-12-09', null, '2026-12-09')).toBe('due');
    expect(deadlineState('2026-12-09', null, '2026-12-10')).toBe('overdue');
  });

  it('are due this week from today to six days on', () => {
    expect(isDueWithinWeek('2026-12-03', null, '2026-12-03')).toBe(true);
    expect(isDueWithinWeek('2026-12-09', null, '2026-12-03')).toBe(true);
    expect(isDueWithinWeek('2026-12-10', null, '2026-12-03')).toBe(false);
    expect(isDueWithinWeek('2026-12-02', null, '2026-12-03')).toBe(false);
    expect(isDueWithinWeek('2026-12-05', '2026-12-01', '2026-12-03')).toBe(false);
  });

  it('the next one open: acknowledgement, then feedback, none once settled', () => {
    const open = { status: 'assessing', ackDueDay: '2026-12-09', ackDay: null, feedbackDueDay: '2027-03-02', feedbackDay: null };
    expect(nextDueDay(open)).toEqual({ kind: 'acknowledge', day: '2026-12-09' });
    expect(nextDueDay({ ...open, ackDay: '2026-12-04' })).toEqual({ kind: 'feedback', day: '2027-03-02' });
    expect(nextDueDay({ ...open, ackDay: '2026-12-04', feedbackDay: '2027-01-04' })).toBeNull();
    expect(nextDueDay({ ...open, status: 'closed' })).toBeNull();
  });
});

describe('retention', () => {
  const closed = { status: 'closed', closedDay: '2026-01-10', lastReporterDay: '2025-12-01', lastUnitDay: '2026-01-10' };

  it('keeps a closed case for keepClosedDays after it closed', () => {
    expect(deletionDay(closed, DEFAULT_RETENTION)).toBe('2027-01-10');
    expect(isDueForDeletion(closed, DEFAULT_RETENTION, '2027-01-09')).toBe(false);
    expect(isDueForDeletion(closed, DEFAULT_RETENTION, '2027-01-10')).toBe(true);
  });

  it('never deletes within 30 days of the reporter writing', () => {
    const wrote = { ...closed, lastReporterDay: '2027-01-01' };
    expect(deletionDay(wrote, DEFAULT_RETENTION)).toBe('2027-01-31');
    expect(isDueForDeletion(wrote, DEFAULT_RETENTION, '2027-01-10')).toBe(false);
  });

  it('deletes an open case only at the inactivity ceiling', () => {
    const open = { status: 'assessing', closedDay: null, lastReporterDay: '2020-01-01', lastUnitDay: '2020-02-01' };
    expect(deletionDay(open, DEFAULT_RETENTION)).toBe(addDays('2020-02-01', DEFAULT_RETENTION.keepInactiveDays));
    expect(deletionDay({ ...open, status: 'closed', closedDay: '2020-02-01' }, { keepClosedDays: 90, keepInactiveDays: 3650 })).toBe('2020-05-01');
  });
});
