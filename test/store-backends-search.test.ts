/**
 * Search behaves the same on both backends: the same query syntax, scopes, filters, paging, totals,
 * snippets and highlights, on SQLite's FTS5 and on PostgreSQL's tsvector columns. Where the two
 * rank with different formulas (BM25 against ts_rank) the exact order of close scores may differ,
 * so the tests assert the ranking properties both must have (a title match outranks body-only
 * matches; more matches rank higher) and compare hit sets, not orders.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import type { SearchOptions, SearchResult, Store } from '../src/adapters/store/contract.ts';
import { COUNT_CAP } from '../src/adapters/store/search-common.ts';
import { parseExport } from '../src/adapters/sources/parse-export.ts';
import { article, comment } from './helpers/articles.ts';
import { backendNames, type OpenedStore, storeBackends } from './helpers/store-backends.ts';

const NOW = new Date('2026-11-28T00:00:00.000Z');
const SAMPLE = readFileSync(new URL('./fixtures/000_19f3c93e7cb867fa.txt', import.meta.url), 'utf8');
const seed = parseExport('000_19f3c93e7cb867fa.txt', SAMPLE, { now: NOW, source: 'topwar.ru' }).articles[0]!;

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
const runner = article({ title: 'City marathon', publishedAt: '2022-05-01', text: 'She runs the city marathon every spring and trains all winter.' });
// Near the same length: only the number of matches differs.
const once = article({ title: 'Cliff walk', text: 'The lighthouse stands on the cliff above the bay and the old keeper lives in the stone cottage.' });
const thrice = article({
  title: 'Cliff path',
  text: 'The lighthouse stands on the cliff above the bay and the lighthouse keeper lives in the lighthouse cottage.',
});
const german = article({
  title: 'Neue Häuser am Hafen',
  language: 'de',
  publishedAt: '2023-06-01',
  text: 'Die Regierungen der Länder beraten über den Bau neuer Wohnungen am Hafen.',
});
const harbour = Array.from({ length: 25 }, (_, i) =>
  article({
    title: `Harbour log ${i}`,
    source: 'Port Authority',
    publishedAt: `2024-01-${String(i + 1).padStart(2, '0')}`,
    text: `Ships in the harbour, day ${i}.`,
  }),
);
// Where PostgreSQL's own parser and Snowball's English would split and stem differently from SQLite's
// tokenizer: a hyphenated word, a host and path, an email, a decimal, Porter's "died" → "di".
const tokens = article({
  title: 'Academy notes',
  source: 'Sport Desk',
  publishedAt: '2021-02-02',
  text: 'He came through the youth set-up at Anderlecht. More at example.com/comment or desk@paper.example. His fame died in 1.5 seconds.',
  comments: [comment(1, 'See forum.example/comment/42 for the thread.', { postedAt: '2021-02-03T10:00' })],
});
const library: Article[] = [seed, expansion, cafe, russian, bodyOnly, titleMatch, runner, once, thrice, german, tokens, ...harbour];

const ids = (r: SearchResult) => r.hits.map((h) => (h.comment ? `${h.articleId}/${h.comment.id}` : h.articleId));

describe.each(backendNames)('GIVEN a library in the %s store', (backend) => {
  let opened: OpenedStore;
  let store: Store;
  beforeAll(async () => {
    opened = await storeBackends[backend]();
    store = opened.store;
    await store.upsertMany(library, NOW);
  });
  afterAll(() => opened.close());
  const titles = async (q: string, o: SearchOptions = {}) => (await store.search(q, o)).hits.map((h) => h.title);

  it('THEN every plain word must match', async () => {
    expect(await titles('lavrov nato', { in: 'articles' })).toEqual([seed.title]);
    expect(await titles('walrus colony', { in: 'articles' })).toEqual([titleMatch.title]);
    expect(await titles('walrus lavrov')).toEqual([]);
  });

  it('THEN "exact phrases" must match in order, -words exclude, prefix* matches word starts', async () => {
    expect(await titles('"marine mammals"')).toEqual([titleMatch.title]);
    expect(await titles('"mammals marine"')).toEqual([]);
    expect(await titles('walrus -colony', { in: 'articles' })).toEqual([bodyOnly.title]);
    expect(await titles('walrus -"marine mammals"', { in: 'articles' })).toEqual([bodyOnly.title]);
    expect((await store.search('-walrus')).total).toBe(0);
    expect((await titles('walr*', { in: 'articles' })).sort()).toEqual([bodyOnly.title, titleMatch.title].sort());
    expect((await store.search('harbo*', { in: 'articles' })).total).toBe(25);
  });

  it('THEN words are split at punctuation as SQLite splits them: hyphens, hosts, paths, emails, decimals', async () => {
    expect(await titles('"youth set"', { in: 'articles' })).toEqual([tokens.title]);
    expect(await titles('"set up"', { in: 'articles' })).toEqual([tokens.title]);
    expect((await store.search('comment', { in: 'all' })).hits.map((h) => h.kind).sort()).toEqual(['article', 'comment']);
    expect(await titles('desk paper', { in: 'articles' })).toEqual([tokens.title]);
    expect(await titles('"1 5 seconds"', { in: 'articles' })).toEqual([tokens.title]);
  });

  it('THEN words are stemmed and accents folded', async () => {
    expect(await titles('running', { in: 'articles' })).toEqual([runner.title]);
    expect(await titles('expanding', { in: 'articles', source: 'Military Review' })).toEqual([expansion.title]);
    expect(await titles('cafe zurich')).toEqual([cafe.title]);
    expect(await titles('россия', { in: 'articles' })).toEqual([russian.title]);
    expect(await titles('Regierungen', { in: 'articles' })).toEqual([german.title]);
  });

  it('THEN a German article is found by its German stem (PostgreSQL: the article’s language picks the stemmer)', async () => {
    // SQLite's porter tokenizer stems English only: "Regierung" does not find "Regierungen" there.
    // PostgreSQL indexes a `de` article with the German Snowball stemmer.
    const found = await titles('Regierung haus', { in: 'articles' });
    expect(found).toEqual(backend === 'PostgreSQL' ? [german.title] : []);
  });

  it('THEN scope picks articles, comments or both', async () => {
    const articles = await store.search('expansion', { in: 'articles', source: 'Military Review' });
    expect(articles.hits.map((h) => [h.kind, h.articleId])).toEqual([['article', expansion.id]]);
    const comments = await store.search('expansion', { in: 'comments', source: 'Military Review' });
    expect(comments.hits.map((h) => [h.kind, h.articleId, h.comment?.number, h.comment?.postedAt])).toEqual([['comment', expansion.id, 1, '2021-10-21T09:00']]);
    const all = await store.search('expansion');
    expect(ids(all)).toContain(expansion.id);
    expect(ids(all)).toContain(`${expansion.id}/n1`);
    const counts = await Promise.all((['articles', 'comments'] as const).map(async (scope) => (await store.search('expansion', { in: scope })).total));
    expect(all.total).toBe(counts[0]! + counts[1]!);
  });

  it('THEN source (any case) and date range filter, and a malformed date is refused', async () => {
    expect(await titles('walrus', { source: 'military REVIEW' })).toEqual([bodyOnly.title]);
    const range = await titles('harbour', { in: 'articles', from: '2024-01-05', to: '2024-01-07' });
    expect(range.sort()).toEqual(['Harbour log 4', 'Harbour log 5', 'Harbour log 6']);
    // A comment is dated by its own time: posted 2021-10-21, its article 2021-10-20.
    expect((await store.search('expansion', { in: 'comments', source: 'Military Review', from: '2021-10-21', to: '2021-10-21' })).total).toBe(1);
    expect((await store.search('expansion', { in: 'comments', source: 'Military Review', to: '2021-10-20' })).total).toBe(0);
    expect((await store.search('expansion', { in: 'articles', source: 'Military Review', from: '2021-10-21' })).total).toBe(0);
    expect((await store.search('expansion', { in: 'articles', source: 'Military Review', to: '2021-10-20' })).total).toBe(1);
    await expect(store.search('harbour', { from: '2024-02-30' })).rejects.toThrow(RangeError);
    await expect(store.search('harbour', { to: "2024'; --" })).rejects.toThrow(/`to`/);
  });

  it('THEN pages do not overlap and cover every match; newest orders by date', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 30; offset += 10) {
      const page = await store.search('harbour', { in: 'articles', limit: 10, offset });
      expect(page.total).toBe(25);
      expect(page.offset).toBe(offset);
      seen.push(...ids(page));
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const newest = await store.search('harbour', { in: 'articles', order: 'newest', limit: 5 });
    expect(newest.hits.map((h) => h.title)).toEqual(['Harbour log 24', 'Harbour log 23', 'Harbour log 22', 'Harbour log 21', 'Harbour log 20']);
    const clamped = await store.search('harbour', { limit: 1000, offset: -5 });
    expect([clamped.limit, clamped.offset, clamped.hits.length]).toEqual([100, 0, 25]);
  });

  it('THEN snippets are verbatim and the highlighted text is the matched words', async () => {
    const hit = (await store.search('expanding', { in: 'articles' })).hits[0]!;
    expect(hit.snippet).toContain('NATO continued its eastward expansion after 1991.');
    expect(hit.highlights.map(([s, e]) => hit.snippet.slice(s, e))).toEqual(['expansion']);
    const long = (await store.search('lavrov suspension', { in: 'articles' })).hits[0]!;
    expect(long.snippet.length).toBeLessThan(400);
    const marked = long.highlights.map(([s, e]) => long.snippet.slice(s, e).toLowerCase());
    expect(marked.length).toBeGreaterThan(1);
    for (const word of marked) expect(word).toMatch(/^(lavrov|suspension)$/);
    const accents = (await store.search('cafe', { in: 'articles' })).hits[0]!;
    expect(accents.highlights.map(([s, e]) => accents.snippet.slice(s, e))).toEqual(['cafés']);
  });

  it('THEN a title match outranks a body full of the word, and more matches rank higher', async () => {
    const walrus = await store.search('walrus', { in: 'articles' });
    expect(walrus.hits.map((h) => h.title)).toEqual([titleMatch.title, bodyOnly.title]);
    expect(walrus.hits[0]!.score).toBeLessThan(walrus.hits[1]!.score);
    expect(await titles('lighthouse', { in: 'articles' })).toEqual([thrice.title, once.title]);
  });

  const hostile = [
    '") OR 1=1 --',
    "'); DROP TABLE articles; --",
    '*',
    '"unbalanced',
    'walrus"',
    '""',
    '-',
    '🦭🦭🦭',
    '\u0000\u0002\u0003',
    'x'.repeat(5000),
    'walrus '.repeat(800),
    '& | ! : <-> ( )',
    "walrus & !colony | 'x':* <-> (y)",
    'walrus:A',
    '\\walrus\\',
    // 70 letters outside the Basic Multilingual Plane: cut at 64 UTF-16 units, a surrogate pair is split.
    '\u{20000}'.repeat(70),
    'a'.repeat(63) + '\u{20000}',
  ];
  it.each(hostile.map((q) => [q.slice(0, 30), q]))('THEN %j answers results or nothing, never an error', async (_label, q) => {
    const result = await store.search(q, { in: 'all' });
    expect(Array.isArray(result.hits)).toBe(true);
    expect(await store.count()).toBe(library.length);
  });

  it('THEN operator characters around a word are ignored, not interpreted', async () => {
    for (const q of ['walrus&', '!walrus', 'walrus:*', '<->walrus', '(walrus)', '|walrus', "'walrus'", 'walrus!']) {
      expect((await titles(q, { in: 'articles' })).sort(), q).toEqual([bodyOnly.title, titleMatch.title].sort());
    }
    // Words joined by an operator are read as a phrase, as words joined by punctuation are ("U.S.").
    expect(await titles('walrus|colony', { in: 'articles' })).toEqual([titleMatch.title]);
    expect(await titles('walrus&lavrov', { in: 'articles' })).toEqual([]);
    expect((await store.search('&|!:<->()*')).total).toBe(0);
  });

  it('THEN 500 random strings of operator characters and words answer, never an error', async () => {
    const parts = ['&', '|', '!', ':', '<->', '(', ')', '*', '"', "'", '-', '\\', ' ', 'walrus', 'nato', 'a', 'ä', ':*', 'A'];
    let seedValue = 7;
    const next = () => (seedValue = (seedValue * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const q = Array.from({ length: 1 + Math.floor(next() * 8) }, () => parts[Math.floor(next() * parts.length)]).join('');
      const result = await store.search(q, { in: next() < 0.5 ? 'all' : 'articles' });
      expect(result.total, q).toBeGreaterThanOrEqual(0);
    }
  });
});

describe.each(backendNames)('GIVEN more matches than COUNT_CAP and the ranking window in the %s store', (backend) => {
  let opened: OpenedStore;
  let store: Store;
  const filler = Array.from({ length: COUNT_CAP + 200 }, (_, i) =>
    article({
      title: `Coastal note ${i}`,
      text: `A lighthouse was mentioned in passing, note ${i}.`,
      publishedAt: `2025-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
    }),
  );
  beforeAll(async () => {
    opened = await storeBackends[backend]();
    store = opened.store;
    await store.upsert(article({ title: 'Lighthouse keepers remember', text: 'An old story about the coast.' }), NOW);
    await store.upsert(article({ title: 'Lighthouse sold', text: 'The coast guard sold it. No keepers remain.' }), NOW);
    await store.upsertMany(filler, NOW);
  }, 60_000);
  afterAll(() => opened.close());

  it('THEN the total stops at COUNT_CAP, marked capped, and old title matches still rank first', async () => {
    const result = await store.search('lighthouse', { in: 'articles' });
    expect(result.total).toBe(COUNT_CAP);
    expect(result.totalCapped).toBe(true);
    expect(
      result.hits
        .slice(0, 2)
        .map((h) => h.title)
        .sort(),
    ).toEqual(['Lighthouse keepers remember', 'Lighthouse sold']);
    // The title match whose body holds an excluded word is left out.
    const without = await store.search('lighthouse -keepers', { in: 'articles' });
    // Both title matches hold the excluded word ("No keepers remain" is in the second one's body).
    expect(without.hits[0]?.title).toBe(`Coastal note ${filler.length - 1}`);
    expect(without.hits.map((h) => h.title)).not.toContain('Lighthouse sold');
  });

  it('THEN paging through every counted match gives each article once', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < COUNT_CAP; offset += 100) seen.push(...ids(await store.search('lighthouse', { in: 'articles', limit: 100, offset })));
    expect(seen).toHaveLength(COUNT_CAP);
    expect(new Set(seen).size).toBe(COUNT_CAP);
    const all = await store.search('lighthouse', { order: 'newest', limit: 3 });
    expect(all.total).toBe(COUNT_CAP);
    // The two undated articles sort by their ingest time, the newest of all.
    expect(all.hits.map((h) => h.publishedAt)).toEqual([null, null, '2025-01-01T00:00:59Z']);
  });
});

describe('GIVEN the same library in both stores', () => {
  const stores: Partial<Record<(typeof backendNames)[number], OpenedStore>> = {};
  beforeAll(async () => {
    for (const name of backendNames) {
      const opened = await storeBackends[name]();
      await opened.store.upsertMany(library, NOW);
      stores[name] = opened;
    }
  });
  afterAll(async () => {
    for (const opened of Object.values(stores)) await opened.close();
  });

  const queries = [
    'nato',
    'lavrov suspension',
    'walrus',
    '"marine mammals"',
    'walrus -colony',
    'harbo*',
    'expanding',
    'cafe zurich',
    'россия',
    'running',
    'alliance',
    'mission',
    '"youth set"',
    'comment',
    'died',
    'dies',
    'one',
    'paper',
  ];
  it.each(queries)('THEN %j finds the same hits, totals, snippets and highlights on both', async (q) => {
    for (const scope of ['articles', 'comments', 'all'] as const) {
      const [a, b] = await Promise.all(backendNames.map((n) => stores[n]!.store.search(q, { in: scope, limit: 100 })));
      expect(b!.total, `${q} in ${scope}`).toBe(a!.total);
      expect(ids(b!).sort(), `${q} in ${scope}`).toEqual(ids(a!).sort());
      const byId = new Map(a!.hits.map((h) => [`${h.articleId}/${h.comment?.id ?? ''}`, h]));
      for (const h of b!.hits) {
        const other = byId.get(`${h.articleId}/${h.comment?.id ?? ''}`);
        expect({ snippet: h.snippet, highlights: h.highlights }).toEqual({ snippet: other?.snippet, highlights: other?.highlights });
      }
    }
  });
});
