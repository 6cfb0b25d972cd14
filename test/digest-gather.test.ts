/**
 * A period's articles for a subscription, on both article stores: published (or, undated, stored)
 * within the period, from its source, passing its keywords and its filter expression.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { periodArticles } from '../src/app/digest/gather.ts';
import { FilterSyntaxError } from '../src/app/filters/expression.ts';
import { article, comment } from './helpers/articles.ts';
import { type OpenedStore, storeBackends } from './helpers/store-backends.ts';

const span = { start: Date.parse('2026-11-29T08:00:00Z'), end: Date.parse('2026-11-30T08:00:00Z') };
const now = () => new Date('2026-11-30T09:00:00Z');
const talk = [comment(1, 'Noted.', { postedAt: '2026-11-29T21:00:00Z' })];

function news(title: string, source: string, publishedAt: string | null, extra: Partial<Article> = {}): Article {
  return article({ title, source, publishedAt, text: `${title}: the council decided on Sunday.`, comments: talk, ...extra });
}

const ARTICLES = [
  news('Ferry moves to the north pier', 'Harbour News', '2026-11-29T12:00:00Z'),
  news('Ferry fares rise', 'Other Paper', '2026-11-29T13:00:00Z'),
  news('Ferry history', 'Harbour News', '2026-11-28T12:00:00Z'),
  news('Ferry plans for tomorrow', 'Harbour News', '2026-11-30T09:00:00Z'),
  news('Bus timetable changes', 'Harbour News', '2026-11-29T14:00:00Z'),
  // Undated: it belongs to the period it was stored in.
  news('Ferry crew thanked', 'Harbour News', null, { ingestedAt: '2026-11-29T20:00:00.000Z' }),
  // 08:30 at UTC+2 is 06:30 UTC: inside, though the time as written is past the end.
  news('Ferry timetable abroad', 'HARBOUR NEWS', '2026-11-30T08:30:00+02:00'),
  news('Ferry nobody discussed', 'Harbour News', '2026-11-29T15:00:00Z', { comments: [] }),
];

for (const [backend, open] of Object.entries(storeBackends)) {
  describe(`GIVEN a day's articles in the ${backend} store`, () => {
    let o: OpenedStore;
    beforeAll(async () => {
      o = await open();
      for (const a of ARTICLES) await o.store.upsert(a, new Date(a.ingestedAt));
    });
    afterAll(async () => {
      await o.close();
    });
    const titles = async (sub: Parameters<typeof periodArticles>[1]) => (await periodArticles(o.store, sub, span, now)).articles.map((a) => a.title).sort();

    it('THEN a subscription to everything gets those of the period only', async () => {
      expect(await titles({ source: null, keywords: null })).toEqual([
        'Bus timetable changes',
        'Ferry crew thanked',
        'Ferry fares rise',
        'Ferry moves to the north pier',
        'Ferry nobody discussed',
        'Ferry timetable abroad',
      ]);
    });

    it('THEN its source (any case), keywords and filter expression each narrow it', async () => {
      const sub = { source: 'harbour news', keywords: 'ferry', options: { filter: 'comments >= 1' } };
      expect(await titles(sub)).toEqual(['Ferry crew thanked', 'Ferry moves to the north pier', 'Ferry timetable abroad']);
      expect(await titles({ ...sub, options: { filter: 'title has "north pier"' } })).toEqual(['Ferry moves to the north pier']);
    });

    it('THEN a filter that no longer compiles is an error naming its column, not an unfiltered digest', async () => {
      await expect(periodArticles(o.store, { source: null, keywords: null, options: { filter: 'title has' } }, span, now)).rejects.toThrow(FilterSyntaxError);
    });
  });
}
