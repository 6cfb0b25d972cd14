/**
 * When a digest is due, and which period it covers. A digest's times are wall-clock times in its
 * time zone, so a daily digest at 08:00 in Europe/Berlin stays at 08:00 across a change of summer
 * time (its period is then 23 or 25 hours long). Periods run from one scheduled time to the next;
 * only the latest one that has ended is ever due, so a bot that was down for days posts one
 * digest when it comes back, not one for every period it missed.
 */
import { DateTime, IANAZone } from 'luxon';
import type { DigestSettings } from '../../core/subscription-options.ts';
import type { Subscription } from '../../core/state.ts';

/** A digest's settings that cannot be used as stored, in words that name the setting. */
export class DigestSettingsError extends Error {
  override readonly name = 'DigestSettingsError';
}

export interface DigestPeriod {
  readonly every: DigestSettings['every'];
  readonly zone: string;
  /** The scheduled time the period starts at, inclusive. */
  readonly start: DateTime;
  /** The scheduled time the period ends at, exclusive: when its digest is due. */
  readonly end: DateTime;
}

const HH_MM = /^(\d{2}):(\d{2})$/u;

/** The hour and minute of `at` (`HH:MM`), checked. */
export function timeOfDay(at: string): { hour: number; minute: number } {
  const m = HH_MM.exec(at);
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || hour > 23 || minute > 59) throw new DigestSettingsError(`digest time "${at.slice(0, 20)}" is not a time of day written HH:MM (00:00 to 23:59)`);
  return { hour, minute };
}

/** The digest's IANA time zone (UTC when it names none), checked. */
export function zoneOf(settings: Pick<DigestSettings, 'timezone'>): string {
  const zone = settings.timezone ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) throw new DigestSettingsError(`digest time zone "${zone.slice(0, 60)}" is not an IANA time zone such as Europe/Berlin`);
  return zone;
}

function weekdayOf(settings: Pick<DigestSettings, 'every' | 'weekday'>): number {
  const weekday = settings.weekday ?? 1;
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
    throw new DigestSettingsError(`digest weekday ${String(weekday)} is not from 1 (Monday) to 7 (Sunday)`);
  }
  return weekday;
}

/**
 * `at` on the calendar day of `day`, in the digest's zone. A time that does not exist that day (the
 * hour skipped when summer time starts) is moved on by the gap, as Luxon does: 02:30 becomes 03:30.
 */
function onDay(day: DateTime, at: { hour: number; minute: number }, zone: string): DateTime {
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: at.hour, minute: at.minute }, { zone });
}

/** The latest scheduled time at or before `now`, in the digest's zone. Throws DigestSettingsError. */
export function latestScheduled(settings: DigestSettings, now: Date): DateTime {
  const zone = zoneOf(settings);
  const at = timeOfDay(settings.at);
  const local = DateTime.fromJSDate(now, { zone });
  // Calendar days, not 24-hour steps: a day across a change of summer time has 23 or 25 hours.
  const step = settings.every === 'weekly' ? 7 : 1;
  const back = settings.every === 'weekly' ? (local.weekday - weekdayOf(settings) + 7) % 7 : 0;
  const day = local.minus({ days: back });
  const t = onDay(day, at, zone);
  return t <= local ? t : onDay(day.minus({ days: step }), at, zone);
}

/** The period ending at the latest scheduled time at or before `now`. Throws DigestSettingsError. */
export function latestPeriod(settings: DigestSettings, now: Date): DigestPeriod {
  const end = latestScheduled(settings, now);
  const zone = zoneOf(settings);
  const start = onDay(end.minus({ days: settings.every === 'weekly' ? 7 : 1 }), timeOfDay(settings.at), zone);
  return { every: settings.every, zone, start, end };
}

/** An ISO time as epoch ms; one without an offset is read as UTC (some sources give local times only). Null when it is not a time. */
export function instantOf(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = DateTime.fromISO(iso, { zone: 'utc' });
  return t.isValid ? t.toMillis() : null;
}

/**
 * The period whose digest `sub` should post now, or null when none is due: the latest that has
 * ended, when it ends after the last period posted (`tally.digestThrough`). Before the first digest
 * the subscription's creation time stands in for it, so a new subscription's first digest comes at
 * its first scheduled time, not at once. Throws DigestSettingsError.
 */
export function duePeriod(sub: Pick<Subscription, 'options' | 'tally' | 'createdAt'>, now: Date): DigestPeriod | null {
  const settings = sub.options?.digest;
  if (!settings) return null;
  const period = latestPeriod(settings, now);
  const through = instantOf(sub.tally?.digestThrough) ?? instantOf(sub.createdAt) ?? 0;
  return period.end.toMillis() > through ? period : null;
}

/** The period in words, for the message: `30 Nov 2026 08:00 – 1 Dec 2026 08:00 (Europe/Berlin)`. */
export function describePeriod(p: DigestPeriod): string {
  const f = (t: DateTime): string => t.toFormat('d LLL yyyy HH:mm', { locale: 'en-GB' });
  return `${f(p.start)} – ${f(p.end)} (${p.zone})`;
}
