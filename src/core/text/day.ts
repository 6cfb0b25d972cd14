/**
 * A calendar day written YYYY-MM-DD, checked by shape and by the calendar: the one check that the
 * store's search and the CLI's date options share (2021-02-30 has the shape and names no day).
 */

/** Fixed width and digits only: the shape is checked with no quantifier an input could make slow. */
export const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Gregorian rules by arithmetic: Date.UTC would read years 0–99 as 1900–1999. */
function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

/** Why `value` (already of the shape YYYY-MM-DD) names no day, or null when it names one. */
export function notADay(value: string): string | null {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12) return `there is no month ${value.slice(5, 7)}`;
  if (day < 1) return `there is no day ${value.slice(8, 10)}`;
  const days = daysIn(year, month);
  // The year matters only for February, so only there is it named.
  if (day > days) return `${MONTHS[month - 1] ?? ''} has ${days} days${month === 2 ? ` in ${value.slice(0, 4)}` : ''}`;
  return null;
}
