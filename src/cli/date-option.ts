/** Date options (`--from`, `--to`): a real calendar day as YYYY-MM-DD, or a usage error naming the option. */
import { UsageError } from './context.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Fixed width and digits only: the shape is checked with no quantifier an input could make slow. */
const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

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

/** A commander option parser for a date option called `name`. */
export function dateOption(name: string): (value: string) => string {
  return (value) => {
    if (!SHAPE.test(value)) throw new UsageError(`${name}: expected a date as YYYY-MM-DD, got \`${value}\``);
    const why = notADay(value);
    if (why) throw new UsageError(`${name}: ${value} is not a date (${why})`);
    return value;
  };
}

/** A range that ends before it starts finds nothing: say so, rather than answer "no results". */
export function checkRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from ${from} is after --to ${to}: nothing can match`);
}
