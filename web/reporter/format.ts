// Turning engine data into words: coarse dates and category names.
import { REPORT_CATEGORIES, type ReportCategory } from '../protocol/documents.js';

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The server dates reporter-visible events to the day only ("2025-03-04"); show it as such. */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : DAY_FORMAT.format(date);
}

export function categoryLabel(id: ReportCategory): string {
  return REPORT_CATEGORIES.find((c) => c.id === id)?.label ?? id;
}
