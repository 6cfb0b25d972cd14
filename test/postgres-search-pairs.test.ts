/**
 * Phrase search on PostgreSQL (postgres/search-pairs.ts): the index of adjacent word pairs within
 * the title or the body narrows the candidates, and for two-word phrases without exclusions it
 * decides alone; it must never change an answer. GIVEN articles where phrase words stand adjacent,
 * apart, across punctuation, stemmed, repeated and across the title's end into the body, THEN every
 * phrase search counts exactly the articles that the plain tsvector condition (no index) counts, a
 * phrase's plan reads the pairs' index while a query without phrases does not, and only the plans
 * whose pairs do not decide read the vectors (ts_match_vq).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../src/adapters/store/query.ts';
import { relevanceSql, ARTICLES } from '../src/adapters/store/postgres/search-sql.ts';
import { articleParts, queryOf, toTsqueryText } from '../src/adapters/store/postgres/tsquery.ts';
import { article } from './helpers/articles.ts';
import { type OpenedPostgres, openPostgres } from './helpers/store-backends.ts';

const TEXTS = [
  'The storm hit the harbour at dawn.',
  'A storm, hit by hit, wore the harbour down.',
  'Storms hitting harbours are common here.',
  'The harbour storm hit nothing; the storm passed.',
  'Hit the storm? No: the storm hit the town hall.',
  'Nothing of the kind happened in the town hall.',
  'Town, hall and harbour stood where the storm had hit.',
  'Storm storm storm hit hit hit.',
];
const QUERIES = [
  '"storm hit"',
  '"hit storm"',
  '"storm hit the"',
  '"town hall"',
  '"storm hit" harbour',
  '"storm hit" -"town hall"',
  '"the storm hit*"',
  '"storms hitting harbours"',
  '"storm hit" "town hall"',
  '"harbour storm"',
  '"storm storm"',
  'harbour "hit the" -nothing',
  '"storm hit" "storm ½"',
];

describe('GIVEN articles where phrase words stand adjacent, apart, across punctuation and stemmed', () => {
  let opened: OpenedPostgres;
  beforeAll(async () => {
    opened = await openPostgres();
    const many = Array.from({ length: 400 }, (_, i) => article({ title: `Report ${i}`, text: `${TEXTS[i % TEXTS.length]} Item ${i}.` }));
    // A phrase that runs from the title's end into the body is no phrase (SQLite matches within a column).
    await opened.store.upsertMany([...many, article({ title: 'Harbour storm', text: 'Hit and run at the harbour.' })]);
    await opened.store.pool.query('VACUUM ANALYZE');
  }, 120_000);
  afterAll(() => opened.close());

  /** The articles the plain condition finds for `query`, without the pairs' index. */
  const plainCount = async (query: string): Promise<number> => {
    const text = toTsqueryText(parseQuery(query), true);
    const { rows } = await opened.store.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM articles WHERE ts_match_vq(search, to_tsquery('paperboy_porter', $1))",
      [text],
    );
    return rows[0]?.n ?? -1;
  };

  it('THEN every phrase search counts the articles the plain tsvector condition counts', async () => {
    for (const query of QUERIES) {
      const result = await opened.store.search(query, { in: 'articles', limit: 100 });
      expect({ query, total: result.total }).toEqual({ query, total: await plainCount(query) });
    }
    // The phrase does tell adjacency apart: 6 texts of 8 hold the words adjacent (a comma between is no gap), one more only
    // apart, and "Harbour storm" / "Hit and run" holds them across the title's end.
    expect((await opened.store.search('"storm hit"', { in: 'articles' })).total).toBe(300);
    expect((await opened.store.search('storm hit', { in: 'articles' })).total).toBe(351);
  });

  it('THEN the pairs are those of adjacent lexemes, and a word that is no single lexeme gives none', async () => {
    const pairs = async (sql: string, values: unknown[]) => (await opened.store.pool.query<{ p: string[] }>(`SELECT ${sql} AS p`, values)).rows[0]?.p.sort();
    expect(await pairs("paperboy_section_pairs(to_tsvector('paperboy_porter', $1))", ['Storms hitting the harbour'])).toEqual([
      'hit the',
      'storm hit',
      'the harbour',
    ]);
    // A title (A) followed by a body (B), as an article's vector: no pair runs from one into the other.
    const titleAndBody = "paperboy_section_pairs(setweight(to_tsvector('paperboy_porter', $1), 'A') || setweight(to_tsvector('paperboy_porter', $2), 'B'))";
    expect(await pairs(titleAndBody, ['Harbour storm', 'Hit and run'])).toEqual(['and run', 'harbour storm', 'hit and']);
    expect(await pairs("paperboy_phrase_pairs('paperboy_porter', $1::text[])", [['storms', 'hitting', 'harbours']])).toEqual(['hit harbour', 'storm hit']);
    // '½' is no word to PostgreSQL's parser: to_tsquery leaves a gap there (<2>), which no pair describes.
    expect(await pairs("paperboy_phrase_pairs('paperboy_porter', $1::text[])", [['storm', '½', 'hit']])).toEqual([]);
  });

  it('THEN an article with two long words side by side is stored (their pair is too long for an index key) and its phrases found', async () => {
    const long = (c: string) => c.repeat(1500);
    await opened.store.upsert(article({ title: 'Long words', text: `${long('x')} ${long('y')} and a walrus swam by.` }));
    expect((await opened.store.search('"walrus swam"', { in: 'articles' })).hits.map((h) => h.title)).toEqual(['Long words']);
  });

  it('THEN a phrase is found through the pairs’ index, and a query without phrases does not read it', async () => {
    const plan = async (query: string): Promise<string> => {
      const terms = parseQuery(query);
      const q = queryOf(toTsqueryText(terms) ?? '', ['paperboy_porter'], articleParts(terms));
      const sql = relevanceSql(ARTICLES, q, {}, 10, 400);
      const { rows } = await opened.store.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql.text}`, sql.values);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    expect(await plan('"storm hit"')).toMatch(/Bitmap Index Scan on articles_section_pairs/);
    expect(await plan('storm hit')).not.toMatch(/section_pairs/);
    // Two-word phrases and single words: the indexes decide, no vector is read. A longer phrase, a prefix or an exclusion: checked.
    expect(await plan('"storm hit" harbour')).not.toMatch(/ts_match_vq/);
    for (const query of ['"storm hit the"', '"the storm hit*"', '"storm hit" -harbour'])
      expect({ query, checked: (await plan(query)).includes('ts_match_vq') }).toEqual({ query, checked: true });
  });
});
