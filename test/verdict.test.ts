/**
 * Verdicts (src/app/delivery/verdict.ts): each one on real articles, and the tally a run keeps of
 * the posts it made or found (after-run.ts). The runs and the preview that read them are in
 * verdict-runs.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { countersOf, countPost, rulesOf, verdictOf } from '../src/app/delivery/verdict.ts';
import { madeBy, nextTally } from '../src/app/delivery/after-run.ts';
import type { ArticleResult } from '../src/app/delivery/engine-types.ts';
import { sampleArticle } from './text-sample.ts';
import { NOON, harbour, subscription } from './helpers/verdict-fixtures.ts';

describe('GIVEN the seed article (no publication date, stored 2026-11-28) and a dated harbour article', () => {
  const nato = sampleArticle();
  const fresh = harbour(1);
  const none = countersOf(undefined, NOON);

  it('THEN with no rules both would post', () => {
    const rules = rulesOf(subscription(), NOON);
    expect(verdictOf(rules, nato, none, NOON)).toEqual({ kind: 'post' });
    expect(verdictOf(rules, fresh, none, NOON)).toEqual({ kind: 'post' });
  });

  it('THEN keywords and the filter expression must both pass, and the verdict names the test that blocked it', () => {
    const keywords = rulesOf(subscription({}, { keywords: 'harbour' }), NOON);
    expect(verdictOf(keywords, nato, none, NOON)).toEqual({ kind: 'filtered', because: 'keywords harbour: none found' });
    expect(verdictOf(keywords, fresh, none, NOON)).toEqual({ kind: 'post' });
    const both = rulesOf(subscription({ filter: 'title contains "berth"' }, { keywords: 'harbour' }), NOON);
    expect(verdictOf(both, fresh, none, NOON)).toMatchObject({ kind: 'filtered', because: expect.stringContaining('title contains "berth"') as unknown });
    const expression = rulesOf(subscription({ filter: 'title contains "NATO"' }), NOON);
    expect(verdictOf(expression, nato, none, NOON)).toEqual({ kind: 'post' });
    expect(verdictOf(expression, fresh, none, NOON)).toMatchObject({ kind: 'filtered', because: expect.stringMatching(/^title contains "NATO"/) as unknown });
  });

  it('THEN a time ago in the expression counts from the run’s clock, not the machine’s', () => {
    const rules = rulesOf(subscription({ filter: 'published > 12h' }), NOON);
    expect(verdictOf(rules, fresh, none, NOON)).toEqual({ kind: 'post' });
    const later = new Date('2026-12-02T12:00:00Z');
    expect(verdictOf(rulesOf(subscription({ filter: 'published > 12h' }), later), fresh, none, later)).toMatchObject({
      kind: 'filtered',
      because: expect.stringMatching(/^published > 12h/) as unknown,
    });
  });

  it('THEN max age reads the publication date, else the time it was stored', () => {
    const rules = rulesOf(subscription({ maxAgeHours: 48 }), NOON);
    expect(verdictOf(rules, nato, none, NOON)).toEqual({ kind: 'too-old', at: '2026-11-28T00:00:00.000Z', maxAgeHours: 48 });
    expect(verdictOf(rules, fresh, none, NOON)).toEqual({ kind: 'post' });
    // Published four days ago though stored today: too old.
    expect(verdictOf(rules, { ...fresh, publishedAt: '2026-11-27T12:00', ingestedAt: NOON.toISOString() }, none, NOON)).toMatchObject({ kind: 'too-old' });
  });

  it('THEN a digest-only subscription posts no single article, after its filter', () => {
    const rules = rulesOf(subscription({ digest: { every: 'daily', at: '08:00', only: true } }, { keywords: 'harbour' }), NOON);
    expect(verdictOf(rules, fresh, none, NOON)).toEqual({ kind: 'digest' });
    expect(verdictOf(rules, nato, none, NOON).kind).toBe('filtered');
  });

  it('THEN the daily cap counts the posts of the UTC day, this run’s included, and a new day starts from 0', () => {
    const rules = rulesOf(subscription({ dailyCap: 2 }), NOON);
    const tally = { day: '2026-12-01', postedToday: 1, lastPostAt: '2026-12-01T09:00:00Z' };
    const counters = countersOf(tally, NOON);
    expect(verdictOf(rules, fresh, counters, NOON)).toEqual({ kind: 'post' });
    expect(verdictOf(rules, nato, countPost(counters, NOON), NOON)).toEqual({ kind: 'cap', cap: 2, day: '2026-12-01' });
    const tomorrow = new Date('2026-12-02T00:05:00Z');
    expect(verdictOf(rules, nato, countersOf({ ...tally, postedToday: 2 }, tomorrow), tomorrow)).toEqual({ kind: 'post' });
  });

  it('THEN spacing says when the next post may go', () => {
    const rules = rulesOf(subscription({ minSpacingMinutes: 90 }), NOON);
    const counters = countersOf({ day: '2026-12-01', postedToday: 1, lastPostAt: '2026-12-01T11:00:00.000Z' }, NOON);
    expect(verdictOf(rules, fresh, counters, NOON)).toEqual({ kind: 'spacing', nextAt: '2026-12-01T12:30:00.000Z' });
    expect(verdictOf(rules, fresh, counters, new Date('2026-12-01T12:30:00Z'))).toEqual({ kind: 'post' });
  });

  it('THEN a stored filter that no longer compiles is refused with its column', () => {
    expect(() => rulesOf(subscription({ filter: 'title contains' }), NOON)).toThrow(/column \d+/);
  });
});

describe('GIVEN the posts a run made or found', () => {
  const tally = { day: '2026-12-01', postedToday: 3, lastPostAt: '2026-12-01T09:00:00.000Z', digestThrough: '2026-12-01T08:00:00.000Z' };
  const result = (over: Partial<ArticleResult> = {}): ArticleResult => ({ articleId: 'a', action: 'post', created: 2, edited: 0, error: null, ...over });

  it('THEN each counts toward the UTC day it was made when that is the run’s day, and the latest is when the next may follow', () => {
    const posts = [
      { articleId: 'made', at: '2026-12-01T12:00:00.000Z' },
      // Found after a crash, made at 11:58 by a run that never counted it: counted now.
      { articleId: 'found today', at: '2026-12-01T11:58:00.000Z' },
      // Found, made the day before: that day is over, today does not count it.
      { articleId: 'found yesterday', at: '2026-11-30T23:59:00.000Z' },
    ];
    expect(nextTally(tally, posts, '2026-12-01T12:00:00.000Z')).toEqual({ ...tally, postedToday: 5, lastPostAt: '2026-12-01T12:00:00.000Z' });
    // A run just after midnight: the new day starts from 0, and the post found made before midnight is not one of its posts; the spacing follows it.
    const lastNight = { day: '2026-11-30', postedToday: 4, lastPostAt: '2026-11-30T20:00:00.000Z' };
    expect(nextTally(lastNight, posts.slice(2), '2026-12-01T00:03:00.000Z')).toEqual({
      day: '2026-12-01',
      postedToday: 0,
      lastPostAt: '2026-11-30T23:59:00.000Z',
    });
    const midnight = '2026-12-02T00:01:00.000Z';
    expect(nextTally(tally, [{ articleId: 'made', at: midnight }], midnight)).toEqual({ ...tally, day: '2026-12-02', postedToday: 1, lastPostAt: midnight });
    expect(nextTally(tally, [], '2026-12-01T12:00:00.000Z')).toBe(tally);
    expect(nextTally(undefined, [], '2026-12-01T12:00:00.000Z')).toBeUndefined();
  });

  it('THEN without the delivery progress to read, the posts made are those its results say it made', () => {
    const at = '2026-12-01T12:00:00.000Z';
    const results = [
      result({ articleId: 'a' }),
      // Its post was made and its thread then failed: a post all the same.
      result({ articleId: 'b', created: 1, error: 'thread refused' }),
      // Refused outright; comments appended to one posted before: no new post.
      result({ articleId: 'c', created: 0, error: 'Discord refused it: 400', setAside: true }),
      result({ articleId: 'd', action: 'append', created: 4 }),
    ];
    expect(madeBy(results, at)).toEqual([
      { articleId: 'a', at },
      { articleId: 'b', at },
    ]);
  });
});
