/**
 * Feed dates to the ISO 8601 strings of the Article model. Real feeds write RFC 822 dates loosely
 * (named zones, no seconds, no weekday, one-digit days, two-digit years, month names in the
 * publisher's language) and ISO 8601 dates in several shapes. A date with a known offset becomes
 * UTC (`2018-01-03T13:47:00Z`); one with no zone, or a zone we cannot place, stays a local time
 * without an offset rather than being given a guessed one; a string that is not a date gives null.
 * `Date.parse` is not used: it accepts nonsense and reads zone-less times in the server's zone.
 */

/** Month abbreviations in English and in the languages of feeds seen in the wild (uolNoticias: "Set"). */
// prettier-ignore
const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  // Portuguese, Spanish, Italian
  fev: 2, abr: 4, mai: 5, ago: 8, set: 9, out: 10, dez: 12, ene: 1, dic: 12, gen: 1, mag: 5, giu: 6, lug: 7, ott: 10,
  // French, German, Dutch
  janv: 1, févr: 2, fevr: 2, avr: 4, juin: 6, juil: 7, août: 8, aout: 8, déc: 12, mär: 3, mrz: 3, okt: 10, mrt: 3, mei: 5,
};

/** Offsets in minutes of the zone names RFC 822 defines and a few more that feeds use unambiguously. */
// prettier-ignore
const ZONES: Readonly<Record<string, number>> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600,
  BST: 60, WEST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180, MSK: 180,
  JST: 540, KST: 540, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

const TIME = String.raw`(?:(?:,|\s+at)?\s+(\d{1,2}):?(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([A-Za-z]{1,5}|[+-]\d{2}(?::?\d{2})?))?(?:\s*\([^)]*\))?)?`;
/** `Thu, 12 Nov 2015 21:16:39 +0000`, `3 Apr 02 1500 GMT`, `Seg, 24 Set 2018 19:42:40 -0300`. */
const DAY_FIRST = new RegExp(String.raw`^(?:[^\d\s,]+\.?,?\s+)?(\d{1,2})(?:\.|[\s-])+([^\d\s,.-]+)\.?[\s-]+(\d{4}|\d{2})` + TIME + '$', 'u');
/** `Nov 12, 2015 21:16:39 GMT`, `Thursday, November 12 2015`. */
const MONTH_FIRST = new RegExp(String.raw`^(?:[^\d\s,]+,?\s+)?([^\d\s,.-]+)\.?\s+(\d{1,2}),?\s+(\d{4})` + TIME + '$', 'u');
/** `2016-02-01T17:54:50+01:00`, `2016-06-27T07:36:54.007-07:00`, `2018-01-31 20:15Z`, `2018-01-31`. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

interface Parts {
  year: number;
  month: number;
  day: number;
  /** Absent for a date without a time. */
  time?: { hour: number; minute: number; second: number; fraction: string };
  /** Minutes east of UTC; undefined when the zone is missing or unknown. */
  offset?: number;
}

const MAX_DATE_CHARS = 200;

/** The ISO 8601 form of a feed date, or null when `raw` is empty or not a date. */
export function parseFeedDate(raw: string | null | undefined): string | null {
  const text = (raw ?? '').trim().replace(/\s+/g, ' ');
  // The longest real date ("Wednesday, 12 November 2015 21:16:39.123 +0000 (Coordinated Universal
  // Time)") is under 80 characters; the patterns below never see more than a bounded string.
  if (text === '' || text.length > MAX_DATE_CHARS) return null;
  const parts = iso(text) ?? named(text);
  return parts ? format(parts) : null;
}

function iso(text: string): Parts | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const parts: Parts = { year: Number(y), month: Number(mo), day: Number(d) };
  if (h !== undefined && mi !== undefined) parts.time = { hour: Number(h), minute: Number(mi), second: Number(s ?? 0), fraction: frac ?? '' };
  if (zone !== undefined) parts.offset = offsetOf(zone);
  return parts;
}

function named(text: string): Parts | null {
  let day: string | undefined, month: string | undefined, year: string | undefined, rest: (string | undefined)[];
  const dayFirst = DAY_FIRST.exec(text);
  const monthFirst = dayFirst ? null : MONTH_FIRST.exec(text);
  if (dayFirst) [, day, month, year, ...rest] = dayFirst;
  else if (monthFirst) [, month, day, year, ...rest] = monthFirst;
  else return null;
  const monthNumber = monthOf(month ?? '');
  if (monthNumber === null || day === undefined || year === undefined) return null;
  const [h, mi, s, zone] = rest;
  // RFC 2822 section 4.3: two-digit years 00–49 are 2000–2049, 50–99 are 1950–1999.
  const fullYear = year.length === 2 ? Number(year) + (Number(year) < 50 ? 2000 : 1900) : Number(year);
  const parts: Parts = { year: fullYear, month: monthNumber, day: Number(day) };
  if (h !== undefined && mi !== undefined) parts.time = { hour: Number(h), minute: Number(mi), second: Number(s ?? 0), fraction: '' };
  if (zone !== undefined) parts.offset = offsetOf(zone);
  return parts;
}

function monthOf(name: string): number | null {
  const lower = name.toLowerCase();
  return MONTHS[lower] ?? MONTHS[lower.slice(0, 4)] ?? MONTHS[lower.slice(0, 3)] ?? null;
}

function offsetOf(zone: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  return ZONES[zone.toUpperCase()];
}

function format(p: Parts): string | null {
  const { year, month, day, time } = p;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (!time) return date;
  // A leap second (":60") is kept as the last second of its minute.
  const second = Math.min(time.second, 59);
  if (time.hour > 23 || time.minute > 59 || time.second > 60) return null;
  if (p.offset === undefined) return `${date}T${pad(time.hour)}:${pad(time.minute)}:${pad(second)}${time.fraction}`;
  const ms = Math.round(Number(`0${time.fraction || '.0'}`) * 1000);
  const utc = Date.UTC(year, month - 1, day, time.hour, time.minute, second, ms) - p.offset * 60_000;
  return new Date(utc).toISOString().replace('.000Z', 'Z');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}
