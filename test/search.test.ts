import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { parseQuery, toMatchExpression } from '../src/adapters/store/query.ts';
import { article, comment } from './helpers/articles.ts';

let store: ArticleStore;

const expansion = article({
  title: 'The bloc’s expansion to the East',
  source: 'Military Review',
  publishedAt: '2021-10-20T10:00:00Z',
  text: 'NATO continued its eastward expansion after 1991.\n\nThe Warsaw Pact countries joined one by one.',
  comments: [comment(1, 'Expanding alliances always provoke a response.', { postedAt: '2021-10-21T09:00' })],
});
const cafe = article({
  title: 'A café in Zürich',
  source: 'Travel Notes',
  publishedAt: '2022-03-01',
  text: 'The crème brûlée was excellent. Zurich cafés open early.',
});
const russian = article({
  title: 'Россия и НАТО разрывают связи',
  source: 'Военное обозрение',
  publishedAt: '2021-10-19',
  text: 'Министр иностранных дел объявил о приостановке работы миссии.',
});
// The word appears in the body only, many times: a title match must still outrank it.
const bodyOnly = article({
  title: 'Weather report',
  source: 'Military Review',
  publishedAt: '2023-01-01',
  text: 'Walrus walrus walrus. The walrus was seen near the coast, and another walrus followed.',
});
const titleMatch = article({
  title: 'Walrus colony found',
  source: 'Travel Notes',
  publishedAt: '2020-01-01',
  text: 'A large colony of marine mammals was found on the island.',
});

beforeAll(() => {
  store = ArticleStore.open(':memory:');
  store.upsertMany([expansion, cafe, russian, bodyOnly, titleMatch]);
  for (let i = 0; i < 25; i++) {
    store.upsert(article({ title: `Harbour log ${i}`, publishedAt: `2024-01-${String(i + 1).padStart(2, '0')}`, text: `Ships in the harbour, day ${i}.` }));
  }
});
afterAll(() => store.close());

const titles = (q: string, o = {}) => store.search(q, o).hits.map((h) => h.title);

describe('GIVEN words in different forms', () => {
  it('THEN "expanding" finds "expansion" (stemming and derivation)', () => {
    expect(titles('expanding', { in: 'articles' })).toEqual([expansion.title]);
    expect(titles('expand', { in: 'articles' })).toEqual([expansion.title]);
    expect(store.search('expansion', { in: 'comments' }).hits.map((h) => h.comment?.number)).toEqual([1]);
  });

  it('THEN diacritics are folded both ways', () => {
    expect(titles('cafe zurich')).toEqual([cafe.title]);
    expect(titles('brulee')).toEqual([cafe.title]);
    expect(titles('crème')).toEqual([cafe.title]);
  });

  it('THEN Cyrillic is searchable', () => {
    expect(titles('НАТО')).toEqual([russian.title]);
    expect(titles('министр')).toEqual([russian.title]);
  });
});

describe('GIVEN the query syntax', () => {
  it('THEN "exact phrases" must match in order', () => {
    expect(titles('"eastward expansion"')).toEqual([expansion.title]);
    expect(titles('"expansion eastward"')).toEqual([]);
  });

  it('THEN -words exclude', () => {
    expect(titles('walrus', { in: 'articles' })).toHaveLength(2);
    expect(titles('walrus -colony', { in: 'articles' })).toEqual([bodyOnly.title]);
    expect(titles('walrus -"marine mammals"', { in: 'articles' })).toEqual([bodyOnly.title]);
  });

  it('THEN prefix* matches word beginnings', () => {
    expect(titles('harb*', { limit: 100 })).toHaveLength(25);
    expect(titles('walr*')).toHaveLength(2);
  });

  it('THEN a title match outranks a body full of the word', () => {
    expect(titles('walrus')[0]).toBe(titleMatch.title);
  });
});

describe('GIVEN hostile or odd input', () => {
  const inputs = [
    '"unbalanced',
    'walrus"',
    'NEAR(a b)',
    'a AND OR NOT b',
    '*',
    'title:walrus',
    '^walrus',
    "'); DROP TABLE articles; --",
    '...,,;;!!',
    '🦭🦭🦭',
    '-',
    '-walrus',
    '""',
    '(walrus',
    'walrus)',
    '{walrus}',
    '+walrus',
    'x'.repeat(5000),
    'walrus '.repeat(800),
    '\u0000\u0002\u0003',
  ];
  it.each(inputs.map((q) => [q.slice(0, 40), q]))('THEN %j returns results or nothing, never an error', (_label, q) => {
    const result = store.search(q, { in: 'all' });
    expect(Array.isArray(result.hits)).toBe(true);
    expect(store.count()).toBe(30);
  });

  it('THEN operators and punctuation around a word are ignored, not interpreted', () => {
    for (const q of ['+walrus', '{walrus}', '(walrus', '^walrus', 'walrus*)', 'walrus!']) {
      expect(titles(q, { in: 'articles' }), q).toHaveLength(2);
    }
    // Words joined by punctuation are read as a phrase, as in "U.S." or "e-mail".
    expect(titles('title:walrus', { in: 'articles' })).toEqual([]);
    expect(titles('walrus"', { in: 'articles' })).toHaveLength(2);
    expect(titles('"unbalanced')).toEqual([]);
  });

  it('THEN queries with nothing searchable become no MATCH at all', () => {
    expect(toMatchExpression('🦭 ... !!')).toBeNull();
    expect(toMatchExpression('-walrus')).toBeNull();
    expect(parseQuery('x '.repeat(100)).length).toBeLessThanOrEqual(16);
  });
});

describe('GIVEN filters, pages and order', () => {
  it('THEN scope picks articles, comments or both', () => {
    expect(store.search('alliances', { in: 'articles' }).total).toBe(0);
    expect(store.search('alliances', { in: 'comments' }).hits[0]).toMatchObject({
      kind: 'comment',
      articleId: expansion.id,
      comment: { id: 'n1', number: 1, postedAt: '2021-10-21T09:00' },
    });
    expect(
      store
        .search('expansion')
        .hits.map((h) => h.kind)
        .sort(),
    ).toEqual(['article', 'comment']);
  });

  it('THEN source and date range filter', () => {
    expect(titles('walrus', { source: 'military review' })).toEqual([bodyOnly.title]);
    expect(titles('walrus', { from: '2021-01-01' })).toEqual([bodyOnly.title]);
    expect(titles('walrus', { to: '2020-01-01' })).toEqual([titleMatch.title]);
    expect(titles('harbour', { from: '2024-01-10', to: '2024-01-12', limit: 100 })).toHaveLength(3);
    expect(() => store.search('walrus', { from: 'last week' })).toThrow(/`from` as YYYY-MM-DD, got `last week`/);
  });

  it('THEN a date of the right shape that names no day is refused by the store itself, whoever calls it', () => {
    expect(() => store.search('walrus', { from: '2021-02-30' })).toThrow(/`from` as YYYY-MM-DD, got `2021-02-30` \(February has 28 days in 2021\)/);
    expect(() => store.search('walrus', { to: '2021-13-45' })).toThrow(/`to` as YYYY-MM-DD, got `2021-13-45` \(there is no month 13\)/);
    expect(() => store.search('walrus', { from: '2021-04-31' })).toThrow(RangeError);
    expect(titles('walrus', { from: '2020-02-29', to: '2100-12-31' })).toEqual([bodyOnly.title]);
  });

  it('THEN pages do not overlap and cover every match', () => {
    const seen = new Set<string>();
    for (let offset = 0; offset < 30; offset += 10) {
      const page = store.search('harbour', { limit: 10, offset });
      expect(page.total).toBe(25);
      page.hits.forEach((h) => seen.add(h.articleId));
    }
    expect(seen.size).toBe(25);
  });

  it('THEN newest-first orders by date', () => {
    const dates = store.search('harbour', { order: 'newest', limit: 5 }).hits.map((h) => h.publishedAt);
    expect(dates).toEqual(['2024-01-25', '2024-01-24', '2024-01-23', '2024-01-22', '2024-01-21']);
  });

  it('THEN snippets are verbatim with the matches marked', () => {
    const hit = store.search('expanding', { in: 'articles' }).hits[0]!;
    expect(hit.snippet).toContain('NATO continued its eastward expansion after 1991.');
    expect(hit.highlights.map(([s, e]) => hit.snippet.slice(s, e))).toEqual(['expansion']);
  });
});

describe('GIVEN more matches than the ranking window', () => {
  it('THEN an old title match still ranks first, and exclusions still apply to it', async () => {
    const { COUNT_CAP, RANK_WINDOW } = await import('../src/adapters/store/search.ts');
    const big = ArticleStore.open(':memory:');
    big.upsert(article({ title: 'Lighthouse keepers remember', text: 'An old story about the coast.' }));
    big.upsert(article({ title: 'Lighthouse sold', text: 'The coast guard sold it. No keepers remain.' }));
    const filler = Array.from({ length: Math.max(RANK_WINDOW, COUNT_CAP) + 200 }, (_, i) =>
      article({ title: `Coastal note ${i}`, text: `A lighthouse was mentioned in passing, note ${i}.` }),
    );
    big.upsertMany(filler);
    const result = big.search('lighthouse', { in: 'articles' });
    expect(result.total).toBe(COUNT_CAP);
    expect(result.totalCapped).toBe(true);
    expect(
      result.hits
        .slice(0, 2)
        .map((h) => h.title)
        .sort(),
    ).toEqual(['Lighthouse keepers remember', 'Lighthouse sold']);
    expect(big.search('lighthouse -keepers', { in: 'articles' }).hits[0]?.title).toBe(`Coastal note ${filler.length - 1}`);
    // Paging through every counted match: each article once, whatever the page.
    const seen: string[] = [];
    for (let offset = 0; offset < COUNT_CAP; offset += 100) {
      seen.push(...big.search('lighthouse', { in: 'articles', limit: 100, offset }).hits.map((h) => h.articleId));
    }
    expect(seen).toHaveLength(COUNT_CAP);
    expect(new Set(seen).size).toBe(COUNT_CAP);
    expect(seen.slice(0, 2).sort()).toEqual(
      result.hits
        .slice(0, 2)
        .map((h) => h.articleId)
        .sort(),
    );
    big.close();
  });
});

describe('GIVEN random strings built from the characters that break naive FTS queries', () => {
  it('THEN 2,000 of them all return results or nothing, never an error', () => {
    const alphabet = [
      '"',
      "'",
      '-',
      '*',
      '(',
      ')',
      ':',
      '^',
      '+',
      'NEAR',
      'AND',
      'OR',
      'NOT',
      ' ',
      'walrus',
      'é',
      'НАТО',
      '🦭',
      '\\',
      '{',
      '}',
      ',',
      '.',
      '\u0000',
    ];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const q = Array.from({ length: 1 + Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      for (const scope of ['articles', 'comments', 'all'] as const) {
        expect(() => store.search(q, { in: scope }), JSON.stringify(q)).not.toThrow();
      }
    }
  });
});
