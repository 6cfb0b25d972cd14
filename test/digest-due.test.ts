/** When a digest is due and which period it covers: daily, weekly, across summer time in Europe/Berlin, and after missed runs. */
import { describe, expect, it } from 'vitest';
import type { DigestSettings } from '../src/core/subscription-options.ts';
import { DigestSettingsError, describePeriod, duePeriod, latestPeriod } from '../src/app/digest/due.ts';

const daily = (at: string, timezone?: string): DigestSettings => ({ every: 'daily', at, only: false, ...(timezone && { timezone }) });
const iso = (p: { start: { toISO(): string | null }; end: { toISO(): string | null } }): [string | null, string | null] => [p.start.toISO(), p.end.toISO()];

describe('GIVEN a daily digest at 08:00 in Europe/Berlin', () => {
  const settings = daily('08:00', 'Europe/Berlin');

  it('THEN before 08:00 local the period is the one that ended yesterday at 08:00, and at 08:00 exactly today’s', () => {
    // 06:59 UTC is 07:59 in Berlin in winter (UTC+1).
    expect(iso(latestPeriod(settings, new Date('2026-12-01T06:59:00Z')))).toEqual(['2026-11-29T08:00:00.000+01:00', '2026-11-30T08:00:00.000+01:00']);
    expect(iso(latestPeriod(settings, new Date('2026-12-01T07:00:00Z')))).toEqual(['2026-11-30T08:00:00.000+01:00', '2026-12-01T08:00:00.000+01:00']);
    expect(describePeriod(latestPeriod(settings, new Date('2026-12-01T07:00:00Z')))).toBe('30 Nov 2026 08:00 – 1 Dec 2026 08:00 (Europe/Berlin)');
  });

  it('THEN across the spring change the digest stays at 08:00 local and its period has 23 hours', () => {
    // Summer time starts at 02:00 on 29 March 2026: 08:00 is 06:00 UTC that day, 07:00 UTC the day before.
    const p = latestPeriod(settings, new Date('2026-03-29T06:00:00Z'));
    expect(iso(p)).toEqual(['2026-03-28T08:00:00.000+01:00', '2026-03-29T08:00:00.000+02:00']);
    expect(p.end.toMillis() - p.start.toMillis()).toBe(23 * 3600_000);
    // One minute earlier (07:59 local, summer time) it is not yet due: the period is still the one before.
    expect(latestPeriod(settings, new Date('2026-03-29T05:59:00Z')).end.toISO()).toBe('2026-03-28T08:00:00.000+01:00');
  });

  it('THEN across the autumn change its period has 25 hours, ending at 08:00 local', () => {
    const p = latestPeriod(settings, new Date('2026-10-25T07:30:00Z'));
    expect(iso(p)).toEqual(['2026-10-24T08:00:00.000+02:00', '2026-10-25T08:00:00.000+01:00']);
    expect(p.end.toMillis() - p.start.toMillis()).toBe(25 * 3600_000);
  });

  it('THEN a time skipped by the spring change (02:30) moves on by the gap, to 03:30 that day only', () => {
    const early = daily('02:30', 'Europe/Berlin');
    expect(latestPeriod(early, new Date('2026-03-29T12:00:00Z')).end.toISO()).toBe('2026-03-29T03:30:00.000+02:00');
    expect(latestPeriod(early, new Date('2026-03-30T12:00:00Z')).end.toISO()).toBe('2026-03-30T02:30:00.000+02:00');
  });
});

describe('GIVEN a weekly digest on Sundays at 18:30 UTC', () => {
  const settings: DigestSettings = { every: 'weekly', at: '18:30', weekday: 7, only: true };

  it('THEN its period runs from one Sunday 18:30 to the next, and on Sunday before 18:30 it is still last week’s', () => {
    // 6 December 2026 is a Sunday.
    expect(iso(latestPeriod(settings, new Date('2026-12-09T10:00:00Z')))).toEqual(['2026-11-29T18:30:00.000Z', '2026-12-06T18:30:00.000Z']);
    expect(latestPeriod(settings, new Date('2026-12-06T18:29:00Z')).end.toISO()).toBe('2026-11-29T18:30:00.000Z');
    expect(latestPeriod(settings, new Date('2026-12-06T18:30:00Z')).end.toISO()).toBe('2026-12-06T18:30:00.000Z');
  });

  it('THEN without a weekday it is Monday', () => {
    expect(latestPeriod({ every: 'weekly', at: '09:00', only: false }, new Date('2026-12-03T00:00:00Z')).end.toISO()).toBe('2026-11-30T09:00:00.000Z');
  });
});

describe('GIVEN a subscription’s tally', () => {
  const sub = (digestThrough?: string) => ({
    createdAt: '2026-11-20T12:00:00.000Z',
    options: { digest: daily('08:00', 'Europe/Berlin') },
    ...(digestThrough && { tally: { digestThrough } }),
  });

  it('THEN after three missed days only the latest period is due, once: recorded, it is not due again until the next 08:00', () => {
    const now = new Date('2026-12-04T10:00:00Z');
    const due = duePeriod(sub('2026-12-01T07:00:00.000Z'), now);
    expect(due && iso(due)).toEqual(['2026-12-03T08:00:00.000+01:00', '2026-12-04T08:00:00.000+01:00']);
    const through = due?.end.toUTC().toISO() ?? '';
    expect(duePeriod(sub(through), now)).toBeNull();
    expect(duePeriod(sub(through), new Date('2026-12-05T06:59:59Z'))).toBeNull();
    expect(duePeriod(sub(through), new Date('2026-12-05T07:00:00Z'))?.end.toISO()).toBe('2026-12-05T08:00:00.000+01:00');
  });

  it('THEN before its first digest the creation time stands in: nothing is due until the first 08:00 after it', () => {
    expect(duePeriod(sub(), new Date('2026-11-21T06:59:00Z'))).toBeNull();
    expect(duePeriod(sub(), new Date('2026-11-21T07:00:00Z'))?.end.toISO()).toBe('2026-11-21T08:00:00.000+01:00');
    expect(duePeriod({ createdAt: '2026-11-20T12:00:00.000Z' }, new Date('2026-12-21T07:00:00Z'))).toBeNull();
  });
});

describe('GIVEN settings that cannot be used', () => {
  it('THEN each error names the setting and the bad value', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(() => latestPeriod(daily('24:00'), now)).toThrow(new DigestSettingsError('digest time "24:00" is not a time of day written HH:MM (00:00 to 23:59)'));
    expect(() => latestPeriod(daily('8:00'), now)).toThrow(/digest time "8:00"/);
    expect(() => latestPeriod(daily('08:00', 'Mars/Olympus'), now)).toThrow('digest time zone "Mars/Olympus" is not an IANA time zone such as Europe/Berlin');
    expect(() => latestPeriod({ every: 'weekly', at: '08:00', weekday: 8, only: false }, now)).toThrow('digest weekday 8 is not from 1 (Monday) to 7 (Sunday)');
  });
});
