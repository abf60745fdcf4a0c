// Words both audiences see alike, the reporter's pages and the console: days and category names.
import type { ReportCategory } from '../protocol/documents.js';
import { t, type MessageKey } from './i18n.js';

/**
 * The server dates reporter-visible events to the day only ("2025-03-04"); shown as "4 March 2025".
 * Month names come from the catalogue, not Intl.DateTimeFormat: browsers carry date names for only
 * some languages (Chromium has none for Welsh and would show an English month).
 */
export function formatDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const [, year, month, date] = match as unknown as [string, string, string, string];
  if (Number(month) < 1 || Number(month) > 12) return day;
  return t('date.day', { day: String(Number(date)), month: `m${Number(month)}`, year });
}

/** Written out, so the catalogue tests (which read web/i18n/ for both audiences) see each key used. */
const CATEGORY_KEYS: Record<ReportCategory, MessageKey> = {
  bribery: 'category.bribery',
  personal_advantage: 'category.personal_advantage',
  sexual_misconduct: 'category.sexual_misconduct',
  domestic_abuse: 'category.domestic_abuse',
  discrimination: 'category.discrimination',
  disability_discrimination: 'category.disability_discrimination',
  other: 'category.other',
};

/** A category's name in the page's language; one the catalogue does not know is "Other". */
export function categoryLabel(category: ReportCategory): string {
  return t(CATEGORY_KEYS[category] ?? 'category.other');
}
