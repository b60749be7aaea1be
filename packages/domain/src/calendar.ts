// Calendar helpers shared by the ID number, age and synthetic-data rules. Dates of birth and other
// calendar days are plain 'YYYY-MM-DD' strings: they have no time of day and no time zone.

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

const MS_PER_DAY = 86_400_000;
// China Standard Time is UTC+8 and has had no daylight saving time since 1992, so "today" for a
// user in China is the UTC calendar day of (instant + 8 h).
const CHINA_OFFSET_MS = 8 * 3_600_000;

// Gregorian rule: every 4th year, except centuries, except every 400th year (1900 no, 2000 yes).
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isValidDateParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Parses a strict 'YYYY-MM-DD' string; returns null for anything else, incl. 2023-02-29. */
export function parseIsoDate(value: string): DateParts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return isValidDateParts(year, month, day) ? { year, month, day } : null;
}

export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== null;
}

export function formatIsoDate(parts: DateParts): string {
  const y = String(parts.year).padStart(4, '0');
  const m = String(parts.month).padStart(2, '0');
  const d = String(parts.day).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** The calendar day (YYYY-MM-DD) of an instant as seen in China (UTC+8). */
export function chinaDateOf(instant: Date): string {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid Date');
  const shifted = new Date(t + CHINA_OFFSET_MS);
  return formatIsoDate({
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  });
}

/** Days since 1970-01-01 for a calendar day; used for date arithmetic without time zones. */
export function toDayNumber(parts: DateParts): number {
  const d = new Date(0);
  // setUTCFullYear avoids Date.UTC's mapping of years 0–99 to 1900–1999.
  d.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  return Math.round(d.getTime() / MS_PER_DAY);
}

export function fromDayNumber(dayNumber: number): DateParts {
  const d = new Date(dayNumber * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The same month and day `years` years earlier (negative: later). 29 February in a non-leap
 * target year becomes 28 February, so that someone born on that day is a full year older on it.
 */
export function subtractYears(parts: DateParts, years: number): DateParts {
  const year = parts.year - years;
  return { year, month: parts.month, day: Math.min(parts.day, daysInMonth(year, parts.month)) };
}

/**
 * Age in completed years (周岁) on a given day. The birthday counts from the day itself; someone
 * born on 29 February becomes a year older on 1 March in non-leap years.
 */
export function ageOn(birthDate: string, asOf: Date | string): number {
  const birth = parseIsoDate(birthDate);
  if (!birth) throw new RangeError(`Invalid birth date: ${birthDate}`);
  const onDate = typeof asOf === 'string' ? asOf : chinaDateOf(asOf);
  const on = parseIsoDate(onDate);
  if (!on) throw new RangeError(`Invalid date: ${onDate}`);
  let age = on.year - birth.year;
  if (on.month < birth.month || (on.month === birth.month && on.day < birth.day)) age -= 1;
  return age;
}

/** Adds calendar months, clamping to the month's last day (2024-08-31 + 6 → 2025-02-28). */
export function addMonths(date: string, months: number): string {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  const index = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return formatIsoDate({ year, month, day: Math.min(p.day, daysInMonth(year, month)) });
}

/** Adds calendar days (negative: earlier). */
export function addDays(date: string, days: number): string {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  return formatIsoDate(fromDayNumber(toDayNumber(p) + days));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  if (!a || !b) throw new RangeError(`not a date: ${a ? to : from}`);
  return toDayNumber(b) - toDayNumber(a);
}

/** The Monday on or before a date (weeks in China start on Monday). */
export function weekStartOf(date: string): string {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}
