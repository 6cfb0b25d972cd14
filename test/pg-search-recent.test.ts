/**
 * The newest articles' own table on PostgreSQL (postgres/search-tuning.ts, migration 14): the
 * relevance window comes from it when it holds enough matches, and it must never change an answer.
 * GIVEN 1,600 articles where one word is in all of them, one in 700 (the count then comes from the
 * whole table, the window from the newest rows), one in the oldest 1,200 only and one in 30, THEN
 * each search answers the same hits with the same scores whether the table holds every article or
 * only the newest 300 (the whole table then chooses: `kelp`, 1,200 matches and none among the newest
 * 300, reads every match from the GIN index), counts as SQLite does, and every hit holds the
 * whole query (title candidates are not checked again when nothing is excluded); and after
 * updates, deletions and a restore the table still holds every article from its lowest position up;
 * without the table (as before migration 14) the answers are the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchOptions, SearchResult } from '../src/adapters/store/search-common.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';
import type { PostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { toTsqueryText } from '../src/adapters/store/postgres/tsquery.ts';
import { parseQuery } from '../src/adapters/store/query.ts';
import { article } from './helpers/articles.ts';
import { type OpenedPostgres, openPostgres } from './helpers/store-backends.ts';

const ARTICLES = 1600;
const words = (i: number) => ['walrus', i % 16 < 7 ? 'puffin' : '', i < 1200 ? 'kelp' : '', i % 53 === 0 ? 'narwhal' : ''].filter(Boolean).join(' and ');
const library = Array.from({ length: ARTICLES }, (_, i) =>
  article({ title: `Harbour log ${i}`, text: `Seen at the harbour: ${words(i)}.${i % 3 === 0 ? ' A walrus again, walrus.' : ''}` }),
);
const QUERIES: [string, SearchOptions][] = [
  ['walrus', {}],
  ['walrus', { offset: 900, limit: 100 }],
  ['puffin', {}],
  ['kelp', {}],
  ['narwhal', {}],
  ['walr*', { limit: 50 }],
  ['walrus puffin -kelp', {}],
  ['harbour', { in: 'articles' }],
  ['"harbour log"', { in: 'articles', limit: 100 }],
  ['log* -walrus', { in: 'articles' }],
];

const answer = (r: SearchResult) => ({ total: r.total, capped: r.totalCapped, hits: r.hits.map((h) => [h.articleId, h.score]) });

/** Positions in articles_recent, and whether they are every article from the lowest of them up. */
async function recentHolds(store: PostgresStore): Promise<{ rows: number; suffix: boolean; sameVectors: boolean }> {
  const { rows } = await store.pool.query<{ rows: number; suffix: boolean; same: boolean }>(`
    SELECT (SELECT count(*)::int FROM articles_recent) AS rows,
      NOT EXISTS (SELECT 1 FROM articles a WHERE a.position >= (SELECT min(position) FROM articles_recent)
        AND NOT EXISTS (SELECT 1 FROM articles_recent r WHERE r.position = a.position)) AS suffix,
      NOT EXISTS (SELECT 1 FROM articles_recent r JOIN articles a USING (position) WHERE r.search <> a.search OR r.ts_config <> a.ts_config) AS same`);
  return { rows: rows[0]!.rows, suffix: rows[0]!.suffix, sameVectors: rows[0]!.same };
}

describe('GIVEN 1,600 articles with words in all, 700, the oldest 1,200 and 30 of them', () => {
  let pg: OpenedPostgres;
  let sqlite: SqliteStore;
  beforeAll(async () => {
    pg = await openPostgres();
    sqlite = new SqliteStore(ArticleStore.open(':memory:'));
    for (let i = 0; i < ARTICLES; i += 400) {
      await pg.store.upsertMany(library.slice(i, i + 400));
      await sqlite.upsertMany(library.slice(i, i + 400));
    }
    await pg.store.pool.query('VACUUM ANALYZE');
  }, 240_000);
  afterAll(async () => {
    await sqlite.close();
    await pg.close();
  });

  it('THEN the newest rows table holds them all, and every search answers the same with it whole or trimmed to the newest 300', async () => {
    expect(await recentHolds(pg.store)).toEqual({ rows: ARTICLES, suffix: true, sameVectors: true });
    const whole = [];
    for (const [q, o] of QUERIES) whole.push(answer(await pg.store.search(q, o)));
    // SQLite counts the same.
    for (const [i, [q, o]] of QUERIES.entries()) {
      const s = await sqlite.search(q, o);
      expect({ q, total: s.total, capped: s.totalCapped, hits: s.hits.length }).toEqual({
        q,
        total: whole[i]!.total,
        capped: whole[i]!.capped,
        hits: whole[i]!.hits.length,
      });
    }
    // Every hit holds the whole query (title candidates are taken unchecked when nothing is excluded).
    for (const [q, o] of QUERIES) {
      const ids = (await pg.store.search(q, o)).hits.map((h) => h.articleId);
      const { rows: held } = await pg.store.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM articles WHERE id = ANY($1) AND ts_match_vq(search, to_tsquery(ts_config, $2))',
        [ids, toTsqueryText(parseQuery(q), true)],
      );
      expect({ q, n: held[0]!.n }).toEqual({ q, n: ids.length });
    }
    const { rows } = await pg.store.pool.query<{ p: string }>('SELECT max(position) - 300 AS p FROM articles');
    await pg.store.pool.query('DELETE FROM articles_recent WHERE position <= $1', [rows[0]!.p]);
    expect(await recentHolds(pg.store)).toEqual({ rows: 300, suffix: true, sameVectors: true });
    for (const [i, [q, o]] of QUERIES.entries()) expect({ q, ...answer(await pg.store.search(q, o)) }).toEqual({ q, ...whole[i] });
  });

  it('THEN after an update, a deletion and new articles the table still holds every article from its lowest up, with their vectors', async () => {
    const changed = library[ARTICLES - 1]!;
    await pg.store.upsert({ ...changed, body: [{ type: 'paragraph', text: 'Only a seal today.' }] });
    await pg.store.delete(library[ARTICLES - 2]!.id);
    await pg.store.upsertMany([article({ title: 'Harbour log late', text: 'A walrus, late.' })]);
    const after = await recentHolds(pg.store);
    expect(after).toEqual({ rows: 300, suffix: true, sameVectors: true });
    expect((await pg.store.search('seal', { in: 'articles' })).total).toBe(1);
  });

  it('THEN a database without the table (as before migration 14) answers the same', async () => {
    const before = [];
    for (const [q, o] of QUERIES) before.push(answer(await pg.store.search(q, o)));
    await pg.store.pool.query('DROP TABLE articles_recent');
    for (const [i, [q, o]] of QUERIES.entries()) expect({ q, ...answer(await pg.store.search(q, o)) }).toEqual({ q, ...before[i] });
  });
});

describe('GIVEN articles restored by position into an empty store', () => {
  it('THEN the newest rows table holds a suffix of them and answers as without it', async () => {
    const from = await openPostgres();
    const to = await openPostgres();
    try {
      await from.store.upsertMany(library.slice(0, 1200));
      const records = [];
      for await (const r of from.store.allStored()) records.push(r);
      for (let i = 0; i < records.length; i += 500) await to.store.restore(records.slice(i, i + 500));
      const held = await recentHolds(to.store);
      expect(held.suffix && held.sameVectors).toBe(true);
      expect(held.rows).toBeGreaterThan(600);
      for (const [q, o] of QUERIES) expect({ q, ...answer(await to.store.search(q, o)) }).toEqual({ q, ...answer(await from.store.search(q, o)) });
    } finally {
      await from.close();
      await to.close();
    }
  }, 240_000);
});
