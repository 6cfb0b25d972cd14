/**
 * Reading fields of hostile JSON (a saved Reddit listing or Hacker News item): each helper returns
 * the value when it has the expected type and null otherwise, so a parser decides what a missing or
 * odd field means instead of trusting a cast.
 */

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(o: JsonObject, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

/** A finite number. */
export function num(o: JsonObject, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A whole number that fits exactly (scores, counts, ids). */
export function int(o: JsonObject, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

/** Seconds since 1970 as an ISO time, or null when absent or outside the years 1970–9999. */
export function isoFromSeconds(seconds: number | null): string | null {
  if (seconds === null || seconds < 0 || seconds > 253402300799) return null;
  return new Date(Math.round(seconds * 1000)).toISOString();
}

/** An ISO time string as given, when `Date` reads it; null otherwise. */
export function isoFromText(text: string | null): string | null {
  if (text === null || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** What a value is, for messages: `an array`, `a string`, `null`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
