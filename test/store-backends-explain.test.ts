/**
 * PostgreSQL's search is served by its GIN indexes: GIVEN a few thousand articles (statistics
 * gathered), THEN the plan of the match the store builds is a Bitmap Index Scan on the tsvector's
 * index, not a scan of every row. The SQL here is the shape postgres/search.ts builds (one constant
 * tsquery per configuration in use, OR'ed), with the words a search for them would bind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article, comment } from './helpers/articles.ts';
import { type OpenedPostgres, openPostgres } from './helpers/store-backends.ts';

const WORDS = ['harbour', 'ferry', 'storm', 'bridge', 'council', 'budget', 'railway', 'school', 'river', 'market', 'festival', 'museum'];

describe('GIVEN 3,000 articles in the PostgreSQL store', () => {
  let opened: OpenedPostgres;
  beforeAll(async () => {
    opened = await openPostgres();
    const many = Array.from({ length: 3000 }, (_, i) =>
      article({
        title: `${WORDS[i % WORDS.length]} report ${i}${i === 2345 ? ' from the lighthouse' : ''}`,
        language: i % 10 === 0 ? 'de' : 'en',
        text: `The ${WORDS[(i * 7) % WORDS.length]} and the ${WORDS[(i * 5) % WORDS.length]} were discussed at length, item ${i}.${i === 1234 ? ' A walrus was seen.' : ''}`,
        comments: [comment(1, `About the ${WORDS[(i * 3) % WORDS.length]}${i === 77 ? ' and a walrus' : ''}.`)],
      }),
    );
    for (let i = 0; i < many.length; i += 500) await opened.store.upsertMany(many.slice(i, i + 500));
    // What autovacuum does in a running database: statistics, and the GIN pending list merged into the index.
    await opened.store.pool.query('VACUUM ANALYZE');
  }, 120_000);
  afterAll(() => opened.close());

  /** The plan for `sql`, its $1 bound to to_tsquery's text as the store binds it. */
  const plan = async (sql: string, words: string): Promise<string> => {
    const { rows } = await opened.store.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [words]);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };
  const match = (vector: string, config: string) =>
    ['paperboy_porter', 'paperboy_german'].map((c) => `(${config} = '${c}'::regconfig AND ${vector} @@ to_tsquery('${c}'::regconfig, $1))`).join(' OR ');

  it('THEN a rare word is found through the articles’ and the comments’ GIN indexes', async () => {
    expect(await plan(`SELECT position FROM articles a WHERE ${match('a.search', 'a.ts_config')} ORDER BY position DESC LIMIT 500`, "'walrus'")).toMatch(
      /Bitmap Index Scan on articles_search/,
    );
    expect(await plan(`SELECT rowid FROM comments c WHERE ${match('c.search', 'c.ts_config')} ORDER BY rowid DESC LIMIT 500`, "'walrus'")).toMatch(
      /Bitmap Index Scan on comments_search/,
    );
    expect(await plan(`SELECT position FROM articles a WHERE ${match('a.title_search', 'a.ts_config')} LIMIT 50`, "'lighthouse' & 'report'")).toMatch(
      /Bitmap Index Scan on articles_title_search/,
    );
    expect((await opened.store.search('walrus')).total).toBe(2);
    expect((await opened.store.search('lighthouse report')).hits.map((h) => h.title)).toEqual(['budget report 2345 from the lighthouse']);
  });
});
