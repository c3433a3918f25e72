import { isJapaneseHoliday } from './japanese-holidays';

// Municipal offices close on weekends, 国民の祝日 and 年末年始 (12/29–1/3).
// Dates are plain ISO strings; all arithmetic is UTC so the host time zone never matters.

const SUNDAY = 0;
const SATURDAY = 6;

export function isBusinessDay(date: string): boolean {
  const day = parseIsoDate(date);
  const weekday = day.getUTCDay();
  if (weekday === SATURDAY || weekday === SUNDAY) return false;
  if (isYearEndClosure(day)) return false;
  return !isJapaneseHoliday(date);
}

export function addBusinessDays(from: string, days: number): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a non-negative integer, got ${days}`);
  parseIsoDate(from);
  let date = from;
  if (days === 0) {
    while (!isBusinessDay(date)) date = nextDay(date);
    return date;
  }
  for (let counted = 0; counted < days; ) {
    date = nextDay(date);
    if (isBusinessDay(date)) counted++;
  }
  return date;
}

export function businessDaysBetween(from: string, to: string): number {
  parseIsoDate(from);
  parseIsoDate(to);
  let count = 0;
  // ISO strings of the same shape compare chronologically.
  for (let date = nextDay(from); date <= to; date = nextDay(date)) {
    if (isBusinessDay(date)) count++;
  }
  return count;
}

function isYearEndClosure(day: Date): boolean {
  const month = day.getUTCMonth() + 1;
  const dayOfMonth = day.getUTCDate();
  return (month === 12 && dayOfMonth >= 29) || (month === 1 && dayOfMonth <= 3);
}

function nextDay(date: string): string {
  const day = parseIsoDate(date);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

function parseIsoDate(date: string): Date {
  const day = new Date(`${date}T00:00:00Z`);
  // The round trip rejects both malformed strings and impossible dates such as 02-30.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
    throw new RangeError(`Expected an ISO date (YYYY-MM-DD), got "${date}"`);
  }
  return day;
}
