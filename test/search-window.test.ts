import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { COUNT_CAP, RANK_WINDOW } from '../src/adapters/store/search.ts';
import { parseQuery } from '../src/adapters/store/query.ts';
import { makeSnippet, tokenMatcher } from '../src/adapters/store/snippet.ts';
import { article } from './helpers/articles.ts';

// More matches than the rank window and fewer than the count cap: the total is counted past the
// window, and title matches older than the window are looked for below its oldest row.
const FILLER = RANK_WINDOW + 150;
let store: ArticleStore;

beforeAll(() => {
  store = ArticleStore.open(':memory:');
  store.upsert(article({ title: 'Beacon keepers remember', source: 'Coast Weekly', text: 'An old story about the shore.' }));
  store.upsert(article({ title: 'Beacon sold', source: 'Harbour Post', text: 'The guard sold it. No keepers remain.' }));
  store.upsertMany(
    Array.from({ length: FILLER }, (_, i) =>
      article({ title: `Shore note ${i}`, source: i % 2 ? 'Coast Weekly' : 'Harbour Post', text: `A beacon was mentioned in passing, note ${i}.` }),
    ),
  );
});
afterAll(() => store.close());

describe('GIVEN more matches than the rank window, fewer than the count cap', () => {
  it('THEN the total is exact, not capped', () => {
    expect(FILLER + 2).toBeLessThan(COUNT_CAP);
    const result = store.search('beacon', { in: 'articles' });
    expect(result.total).toBe(FILLER + 2);
    expect(result.totalCapped).toBe(false);
  });

  it('THEN the old title matches rank first, with a source filter too, and an excluded word still applies', () => {
    const titles = (query: string, source?: string) => store.search(query, { in: 'articles', source }).hits.map((h) => h.title);
    expect(titles('beacon').slice(0, 2).sort()).toEqual(['Beacon keepers remember', 'Beacon sold']);
    expect(titles('beacon', 'coast weekly')[0]).toBe('Beacon keepers remember');
    expect(store.search('beacon', { in: 'articles', source: 'coast weekly' }).total).toBe(Math.floor(FILLER / 2) + 1);
    expect(titles('beacon -keepers')).not.toContain('Beacon sold');
    expect(titles('beacon -keepers')).not.toContain('Beacon keepers remember');
  });

  it('THEN pages of every size cover each match once, the first page agreeing with the first hits', () => {
    const seen: string[] = [];
    for (let offset = 0; offset < FILLER + 2; offset += 100) {
      seen.push(...store.search('beacon', { in: 'articles', limit: 100, offset }).hits.map((h) => h.articleId));
    }
    expect(seen).toHaveLength(FILLER + 2);
    expect(new Set(seen).size).toBe(FILLER + 2);
    expect(seen.slice(0, 10)).toEqual(store.search('beacon', { in: 'articles' }).hits.map((h) => h.articleId));
  });
});

describe('GIVEN a query word that also appears inside longer words', () => {
  it('THEN only whole words starting with it are marked, letters outside the Basic Plane included', () => {
    const marked = (text: string, query: string) => {
      const { snippet, highlights } = makeSnippet(text, tokenMatcher(parseQuery(query)));
      return highlights.map(([s, e]) => snippet.slice(s, e));
    };
    expect(marked('Overhead, a head and a headland; ahead lies the Head.', 'head')).toEqual(['head', 'Head']);
    expect(marked('𝐀head then head.', 'head')).toEqual(['head']);
    expect(marked('🦭head then é-head.', 'head')).toEqual(['head', 'head']);
    expect(marked('Ends with text   ', 'text')).toEqual(['text']);
  });
});
