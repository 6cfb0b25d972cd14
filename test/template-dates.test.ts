/**
 * `{published}` across time zones and locales: the hour a clock change skips or repeats in
 * Europe/Berlin and America/New_York, month and weekday names in German and Japanese, Luxon's
 * presets, and a date the source gave without an offset (UTC, as the filter reads it).
 */
import { describe, expect, it } from 'vitest';
import type { PostTemplate } from '../src/core/subscription-options.ts';
import { renderPost } from '../src/app/templates/render.ts';
import { article } from './helpers/articles.ts';

/** `{published}` of an article published at `iso`, under `template`'s date settings. */
function published(iso: string | null, template: PostTemplate = {}): string {
  return renderPost({ content: '[{published}]', ...template }, article({ title: 'Clocks change', publishedAt: iso })).content ?? '';
}

const ISO_ZONE = 'yyyy-LL-dd HH:mm ZZ';

describe('GIVEN the night clocks go forward in Europe/Berlin (29 March 2026, 01:00 UTC)', () => {
  const berlin = { timezone: 'Europe/Berlin', dateFormat: ISO_ZONE };
  it('THEN a minute before is 01:59 winter time and the change itself is 03:00 summer time', () => {
    expect(published('2026-03-29T00:59:00Z', berlin)).toBe('[2026-03-29 01:59 +01:00]');
    expect(published('2026-03-29T01:00:00Z', berlin)).toBe('[2026-03-29 03:00 +02:00]');
    // An offset other than UTC in the source is moved to the zone too.
    expect(published('2026-03-29T04:00:00+03:00', berlin)).toBe('[2026-03-29 03:00 +02:00]');
  });

  it('THEN in October the hour between 02:00 and 03:00 comes twice, told apart by its offset', () => {
    expect(published('2026-10-25T00:30:00Z', berlin)).toBe('[2026-10-25 02:30 +02:00]');
    expect(published('2026-10-25T01:30:00Z', berlin)).toBe('[2026-10-25 02:30 +01:00]');
  });
});

describe('GIVEN the clock changes in America/New_York (8 March and 1 November 2026)', () => {
  const newYork = { timezone: 'America/New_York', dateFormat: ISO_ZONE };
  it('THEN 02:00 to 03:00 does not exist in March, and 01:00 to 02:00 comes twice in November', () => {
    expect(published('2026-03-08T06:59:00Z', newYork)).toBe('[2026-03-08 01:59 -05:00]');
    expect(published('2026-03-08T07:00:00Z', newYork)).toBe('[2026-03-08 03:00 -04:00]');
    expect(published('2026-11-01T05:30:00Z', newYork)).toBe('[2026-11-01 01:30 -04:00]');
    expect(published('2026-11-01T06:30:00Z', newYork)).toBe('[2026-11-01 01:30 -05:00]');
  });

  it('THEN the date itself can be the day before UTC’s', () => {
    expect(published('2026-07-01T02:00:00Z', { timezone: 'America/New_York', dateFormat: 'yyyy-LL-dd' })).toBe('[2026-06-30]');
  });
});

describe('GIVEN a locale', () => {
  const at = '2026-03-29T01:30:00Z';
  it('THEN German writes its own month and weekday names and its own presets', () => {
    const de = { timezone: 'Europe/Berlin', locale: 'de-DE' };
    expect(published(at, { ...de, dateFormat: 'cccc, d. LLLL yyyy' })).toBe('[Sonntag, 29. März 2026]');
    expect(published(at, { ...de, dateFormat: 'short' })).toBe('[29.3.2026, 03:30]');
    // Inserted text is escaped as if it began a line (as the post's summary sentences always were):
    // Discord drops a backslash before punctuation, so the reader sees "29. März".
    expect(published(at, { ...de, dateFormat: 'medium' })).toBe('[29\\. März 2026, 03:30]');
    expect(published(at, de)).toBe('[29\\. März 2026 um 03:30 MESZ]');
  });

  it('THEN Japanese writes the year, month and day marks and its weekday', () => {
    const ja = { timezone: 'Europe/Berlin', locale: 'ja-JP' };
    expect(published(at, { ...ja, dateFormat: 'full' })).toContain('2026年3月29日日曜日');
    expect(published(at, { ...ja, dateFormat: "yyyy'年'M'月'd'日' (cccc) HH:mm" })).toBe('[2026年3月29日 (日曜日) 03:30]');
  });

  it('THEN the default is en-GB in UTC with the zone named', () => {
    expect(published(at)).toBe('[29 March 2026 at 01:30 UTC]');
    expect(published(at, { dateFormat: 'full' })).toBe('[Sunday, 29 March 2026 at 01:30 UTC]');
  });

  it('THEN a date written at a line start in German is not read as a numbered list item', () => {
    const post = renderPost({ description: '{published:d. LLLL yyyy}', locale: 'de-DE' }, article({ title: 'x', publishedAt: at }));
    expect(post.description).toBe('29\\. März 2026');
  });
});

describe('GIVEN a source that gave no offset, or no time, or no date', () => {
  it('THEN a time without an offset is UTC, as the filter reads it, moved to the zone; a day is midnight UTC; no date is nothing', () => {
    expect(published('2021-10-20T10:12', { timezone: 'Europe/Berlin', dateFormat: ISO_ZONE })).toBe('[2021-10-20 12:12 +02:00]');
    expect(published('2021-10-20T10:12', { dateFormat: ISO_ZONE })).toBe('[2021-10-20 10:12 +00:00]');
    expect(published('2021-10-20', { timezone: 'America/New_York', dateFormat: 'yyyy-LL-dd HH:mm' })).toBe('[2021-10-19 20:00]');
    expect(published(null)).toBe('[]');
  });

  it('THEN {published:FORMAT} overrides the template’s dateFormat for that placeholder alone', () => {
    const post = renderPost(
      { content: '{published} / {published:HH:mm}', dateFormat: 'yyyy-LL-dd', timezone: 'Europe/Berlin' },
      article({ title: 'x', publishedAt: '2026-03-29T01:30:00Z' }),
    );
    expect(post.content).toBe('2026-03-29 / 03:30');
  });
});
