/**
 * `{published}` in a template: the article's date written in the template's time zone and locale,
 * with a Luxon format or a preset. Zones, locales and formats are operator text, checked on save
 * with a message naming what is wrong; at delivery time a bad one falls back to the default.
 */
import { DateTime, IANAZone, type DateTimeFormatOptions } from 'luxon';

export const DEFAULT_ZONE = 'UTC';
export const DEFAULT_LOCALE = 'en-GB';
/** How `{published}` is written when the template names no format: date, time and zone, e.g. "20 October 2021 at 10:12 UTC". */
export const DEFAULT_DATE_FORMAT = 'long';

const PRESETS: Readonly<Record<string, DateTimeFormatOptions>> = {
  short: DateTime.DATETIME_SHORT,
  medium: DateTime.DATETIME_MED,
  long: DateTime.DATETIME_FULL,
  full: DateTime.DATETIME_HUGE,
};

/**
 * Luxon's format tokens (luxon 3.7, src/impl/formatter.js). Luxon writes any other run of letters
 * out as it is, so `Date: yyyy` would print a localized date for `D` and a weekday for `a`…: such a
 * run is refused, and words go in single quotes.
 */
const TOKENS = new Set(
  (
    'S SSS u uu uuu s ss m mm h hh H HH Z ZZ ZZZ ZZZZ ZZZZZ z a d dd c ccc cccc ccccc E EEE EEEE EEEEE ' +
    'L LL LLL LLLL LLLLL M MM MMM MMMM MMMMM y yy yyyy yyyyyy G GG GGGGG kk kkkk W WW n nn ii iiii o ooo q qq X x ' +
    'D DD DDD DDDD t tt ttt tttt T TT TTT TTTT f ff fff ffff F FF FFF FFFF'
  ).split(' '),
);

/** The longest format accepted: a date needs a few dozen characters; more is a mistake. */
export const MAX_FORMAT = 100;

/** Why `zone` is not an IANA time zone Node knows (`Europe/Berlin`, `UTC`), or null. */
export function zoneProblem(zone: string): string | null {
  return IANAZone.isValidZone(zone) ? null : `unknown time zone \`${zone.slice(0, 60)}\`: use an IANA name such as Europe/Berlin or America/New_York`;
}

/** Why `locale` is not a BCP 47 locale this Node can write dates in (`de-DE`, `ja-JP`), or null. */
export function localeProblem(locale: string): string | null {
  const shown = `\`${locale.slice(0, 40)}\``;
  try {
    Intl.getCanonicalLocales(locale);
  } catch {
    return `unknown locale ${shown}: use a BCP 47 tag such as en-GB, de-DE or ja-JP`;
  }
  return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? null : `unknown locale ${shown}: no date names for it are available`;
}

/** A problem in a date format, at `offset` (0-based) in it. */
export interface FormatProblem {
  readonly offset: number;
  readonly reason: string;
}

/** What is wrong with `format` (a preset or Luxon tokens), or null. One linear pass, as Luxon reads it. */
export function formatProblem(format: string): FormatProblem | null {
  if (format.length === 0) return { offset: 0, reason: 'empty date format: use a preset (short, medium, long, full) or Luxon tokens such as yyyy-LL-dd HH:mm' };
  if (format.length > MAX_FORMAT) return { offset: MAX_FORMAT, reason: `date format longer than ${MAX_FORMAT} characters` };
  if (PRESETS[format]) return null;
  let quoteAt = -1;
  for (let i = 0; i < format.length;) {
    const c = format.charAt(i);
    if (c === "'") {
      quoteAt = quoteAt < 0 ? i : -1;
      i++;
      continue;
    }
    let end = i + 1;
    while (end < format.length && format.charAt(end) === c) end++;
    const run = format.slice(i, end);
    if (quoteAt < 0 && /[A-Za-z]/u.test(c) && !TOKENS.has(run)) {
      return { offset: i, reason: `unknown date token \`${run}\` in the date format; put words in single quotes ('at')` };
    }
    i = end;
  }
  return quoteAt >= 0 ? { offset: quoteAt, reason: "the quote (') in the date format is not closed" } : null;
}

export interface DateSettings {
  readonly zone: string;
  readonly locale: string;
  readonly format: string;
}

/**
 * `iso` written with `settings`, or '' when there is no date. A date without an offset is UTC, as
 * the filter (`published > …`) and the verdict read it, so a post's date and the filter's agree;
 * then it is moved to the template's zone like any other.
 */
export function formatDate(iso: string | null, settings: DateSettings): string {
  if (iso === null) return '';
  const zone = zoneProblem(settings.zone) === null ? settings.zone : DEFAULT_ZONE;
  const locale = localeProblem(settings.locale) === null ? settings.locale : DEFAULT_LOCALE;
  const at = DateTime.fromISO(iso, { zone: 'utc', locale }).setZone(zone);
  if (!at.isValid) return '';
  const preset = PRESETS[settings.format];
  if (preset) return at.toLocaleString(preset);
  return formatProblem(settings.format) === null ? at.toFormat(settings.format) : at.toLocaleString(PRESETS[DEFAULT_DATE_FORMAT]);
}
