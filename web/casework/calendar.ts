// Calendar days as "YYYY-MM-DD" strings: the unit the service keeps time in for cases (reporter
// activity is recorded to the day, UTC). Plain arithmetic on the proleptic Gregorian calendar,
// done in UTC so no daylight-saving change can add or lose an hour, let alone a day.

const DAY_MS = 24 * 60 * 60 * 1000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string): [number, number, number] {
  const match = DAY.exec(day);
  if (!match) throw new RangeError(`not a day: ${day}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function dayFromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const [y, m, d] = parts(value);
  return dayFromUtc(Date.UTC(y, m - 1, d)) === value;
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = parts(day);
  return dayFromUtc(Date.UTC(y, m - 1, d) + days * DAY_MS);
}

/** `months` calendar months on; a day the month lacks becomes its last day (31 Jan + 1 month = 28 or 29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = parts(day);
  const target = Date.UTC(y, m - 1 + months, 1);
  const lastDay = new Date(Date.UTC(y, m + months, 0)).getUTCDate();
  return dayFromUtc(target + (Math.min(d, lastDay) - 1) * DAY_MS);
}

/** Whole days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / DAY_MS);
}

// A formatter for each zone and what it reads, made once: building an Intl.DateTimeFormat costs
// far more than formatting with one (a third of a millisecond in workerd, where the case list asks
// for its unit's day on every page; issue 16). It holds no dates. Bounded: a zone name is stored
// as a unit's administrator typed it, and the runtime accepts it in any capitalisation.
const MAX_FORMATTERS = 256;
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string, fields: 'day' | 'hour'): Intl.DateTimeFormat {
  const key = `${fields} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatter = new Intl.DateTimeFormat('en-GB', fields === 'day' ? { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' } : { timeZone, hour: '2-digit', hourCycle: 'h23' });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The calendar day it is at `ms` in an IANA time zone (e.g. "Europe/London": BST or GMT, as the date has it). */
export function dayIn(ms: number, timeZone: string): string {
  const fields = formatterOf(timeZone, 'day').formatToParts(new Date(ms));
  const get = (type: string) => fields.find((f) => f.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The hour (0–23) it is at `ms` in an IANA time zone. */
export function hourIn(ms: number, timeZone: string): number {
  return Number(formatterOf(timeZone, 'hour').formatToParts(new Date(ms)).find((f) => f.type === 'hour')!.value);
}

/** An IANA zone name this runtime knows. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return value.length > 0 && value.length <= 64;
  } catch {
    return false;
  }
}

/** The later of two days (ISO days compare as strings). */
export function laterDay(a: string, b: string): string {
  return a > b ? a : b;
}
