/**
 * Full-text search on PostgreSQL, with SQLite's behaviour (../search.ts): the same query syntax
 * (parseQuery), scopes, filters, paging, COUNT_CAP, the `all` merge and the snippets with their
 * highlights (../search-common.ts, ../snippet.ts). Only the finding and ranking differ: the
 * tsvector columns with their GIN indexes, ranked by ts_rank with title words weighing five
 * times body words (SQLite: bm25(5.0, 1.0)). `score` is the rank negated, so that lower is better
 * as with BM25; the two scales differ, so only orders compare across backends.
 */
import { parseQuery } from '../query.ts';
import {
  COUNT_CAP,
  type DetailRow,
  type RankedRow,
  type SearchHit,
  type SearchOptions,
  type SearchResult,
  checkOptions,
  hitFrom,
  mergeScopes,
  pageOf,
} from '../search-common.ts';
import { tokenMatcher } from '../snippet.ts';
import type { Client, Pool } from './pool.ts';
import { onGinIndex } from './gin.ts';
import { Params, type Query, queryOf, toTsqueryText } from './tsquery.ts';

type Queryable = Pick<Pool | Client, 'query'>;

/**
 * Ranking costs a tsvector read per match, and a common word matches a large share of a big
 * library; so, as on SQLite, relevance ranks the RANK_WINDOW most recently stored matches (more
 * when a deep page asks for more) plus the best TITLE_CANDIDATES title matches however old. Below
 * RANK_WINDOW matches this ranks every match.
 */
const RANK_WINDOW = 500;
const TITLE_CANDIDATES = 50;
const TITLE_WINDOW = 5000;

interface ScopeSql {
  /** Row id column (the hit's key), its table with what the filters need. */
  readonly key: string;
  readonly from: string;
  /** The scope's own table, without what the filters join. */
  readonly table: string;
  /** The identity sequence of `key`. */
  readonly sequence: string;
  readonly vector: string;
  readonly config: string;
  /** ts_rank's weights {D, C, B, A}: titles are A, bodies B; comments are all D. */
  readonly weights: string;
  readonly date: string;
  readonly detail: string;
  /** Titles alone, searched whatever the window leaves out. */
  readonly titles?: string;
}

const ARTICLES: ScopeSql = {
  key: 'a.position',
  from: 'articles a',
  table: 'articles a',
  sequence: 'articles_position_seq',
  vector: 'a.search',
  config: 'a.ts_config',
  weights: `'{0.1, 0.2, 0.2, 1.0}'`,
  date: 'coalesce(a.published_at, a.ingested_at)',
  detail: `SELECT a.position AS rowid, a.id AS article_id, a.title, a.url, a.source, a.published_at, NULL AS comment_id, a.body_text AS text
    FROM articles a WHERE a.position = ANY($1::bigint[])`,
  titles: 'a.title_search',
};
const COMMENTS: ScopeSql = {
  key: 'c.rowid',
  from: 'comments c JOIN articles a ON a.position = c.article_position',
  table: 'comments c',
  sequence: 'comments_rowid_seq',
  vector: 'c.search',
  config: 'c.ts_config',
  weights: `'{1.0, 0.2, 0.4, 1.0}'`,
  date: 'coalesce(c.posted_at, a.published_at, a.ingested_at)',
  detail: `SELECT c.rowid, a.id AS article_id, a.title, a.url, a.source, a.published_at, c.id AS comment_id, c.number AS comment_number,
      c.author AS comment_author, c.posted_at AS comment_posted_at, c.rating AS comment_rating, c.text AS text
    FROM comments c JOIN articles a ON a.position = c.article_position WHERE c.rowid = ANY($1::bigint[])`,
};

function filters(scope: ScopeSql, o: SearchOptions, p: Params): string {
  const parts: string[] = [];
  if (o.source) parts.push(`lower(a.source) = lower(${p.add(o.source)})`);
  if (o.from) parts.push(`${scope.date} >= ${p.add(o.from)}`);
  // Dates compare as text ("C" collation); `to` is a whole day, so anything on that day sorts below the next day.
  if (o.to) parts.push(`substr(${scope.date}, 1, 10) <= ${p.add(o.to)}`);
  return parts.map((x) => ` AND ${x}`).join('');
}

/** Rows of `from` matching `where`: their keys, and the ranking of chosen keys. */
interface Matching {
  readonly scope: ScopeSql;
  readonly where: (p: Params) => string;
}

/**
 * The keys of the newest `limit` matches, newest first. When there are many matches (`many`), only
 * the newest stretch of keys is read, widened until it holds `limit` of them: the matches of a word
 * in most articles are then a few hundred rows read, not every one of them.
 */
async function newestKeys(db: Queryable, m: Matching, limit: number, many: boolean): Promise<number[]> {
  const { scope } = m;
  const select = async (floor: number | null): Promise<number[]> => {
    const p = new Params();
    const above = floor === null ? '' : ` AND ${scope.key} > ${p.add(floor)}`;
    const { rows } = await db.query<{ rowid: number }>(
      `SELECT ${scope.key} AS rowid FROM ${scope.from} WHERE ${m.where(p)}${above} ORDER BY ${scope.key} DESC LIMIT ${p.add(limit)}`,
      p.values,
    );
    return rows.map((r) => r.rowid);
  };
  if (!many) return select(null);
  // The key's sequence, not max(key): the planner settings that keep searches on the GIN index
  // turn max() into a scan. A sequence may be ahead of the rows (a rolled-back insert): the
  // loop only starts a little higher.
  const { rows } = await db.query<{ n: number | null }>(`SELECT last_value AS n FROM ${scope.sequence}`);
  const last = rows[0]?.n ?? 0;
  for (let span = 2 * limit; ; span *= 4) {
    const floor = last - span;
    const keys = await select(floor > 0 ? floor : null);
    if (keys.length >= limit || floor <= 0) return keys;
  }
}

/** The chosen rows ranked (ranking reads the whole tsvector, which a long article keeps out of line, so only for these). */
async function rankKeys(db: Queryable, scope: ScopeSql, q: Query, keys: readonly number[]): Promise<Map<number, number>> {
  if (keys.length === 0) return new Map();
  const p = new Params();
  const ids = p.add(keys);
  const { rows } = await db.query<{ rowid: number; score: number }>(
    `SELECT ${scope.key} AS rowid, ${q.rank(scope, p)} AS score FROM ${scope.table} WHERE ${scope.key} = ANY(${ids}::bigint[])`,
    p.values,
  );
  return new Map(rows.map((r) => [r.rowid, r.score]));
}

async function rankScope(db: Queryable, scope: ScopeSql, q: Query, o: SearchOptions, take: number): Promise<{ ranked: RankedRow[]; total: number }> {
  const m: Matching = { scope, where: (p) => `${q.match(scope.vector, scope.config, p)}${filters(scope, o, p)}` };
  // Counting first, up to COUNT_CAP, costs little and tells a rare word from a common one.
  const p = new Params();
  const { rows: counted } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${scope.from} WHERE ${m.where(p)} LIMIT ${COUNT_CAP + 1}) t`,
    p.values,
  );
  const total = counted[0]?.n ?? 0;
  if (total === 0) return { ranked: [], total };
  if (o.order === 'newest') {
    const n = new Params();
    const { rows } = await db.query<{ rowid: number; date: string }>(
      `SELECT ${scope.key} AS rowid, ${scope.date} AS date FROM ${scope.from} WHERE ${m.where(n)} ORDER BY date DESC, ${scope.key} DESC LIMIT ${n.add(take)}`,
      n.values,
    );
    const scores = await rankKeys(
      db,
      scope,
      q,
      rows.map((r) => r.rowid),
    );
    return { ranked: rows.map((r) => ({ ...r, score: scores.get(r.rowid) ?? 0 })), total };
  }
  // Deep pages widen the window, so that every page comes from one consistent ranking.
  const windowSize = Math.max(RANK_WINDOW, take);
  const keys = await newestKeys(db, m, windowSize, total > COUNT_CAP);
  if (scope.titles && total > windowSize) keys.push(...(await titleCandidates(db, scope, q, o, new Set(keys))));
  const scores = await rankKeys(db, scope, q, keys);
  // A title candidate's score is checked against the whole query: an excluded word may be in its body.
  const ranked = [...scores].map(([rowid, score]) => ({ rowid, score, date: '' }));
  return { ranked: ranked.sort((x, y) => x.score - y.score || y.rowid - x.rowid).slice(0, take), total };
}

/** The best title matches outside the window (the newest TITLE_WINDOW title matches ranked by their title). */
async function titleCandidates(db: Queryable, scope: ScopeSql, q: Query, o: SearchOptions, inWindow: ReadonlySet<number>): Promise<number[]> {
  const titles: ScopeSql = { ...scope, vector: scope.titles ?? scope.vector, weights: `'{1.0, 1.0, 1.0, 1.0}'` };
  const keys = await newestKeys(db, { scope: titles, where: (p) => `${q.match(titles.vector, titles.config, p)}${filters(scope, o, p)}` }, TITLE_WINDOW, true);
  const byTitle = await rankKeys(db, titles, q, keys);
  const best = [...byTitle].sort(([x, a], [y, b]) => a - b || y - x).slice(0, TITLE_CANDIDATES);
  const outside = best.map(([rowid]) => rowid).filter((r) => !inWindow.has(r));
  if (outside.length === 0) return [];
  // Only those that match the whole query (an excluded word may be in the body).
  const p = new Params();
  const ids = p.add(outside);
  const { rows } = await db.query<{ rowid: number }>(
    `SELECT a.position AS rowid FROM articles a WHERE a.position = ANY(${ids}::bigint[]) AND ${q.match(scope.vector, scope.config, p)}`,
    p.values,
  );
  return rows.map((r) => r.rowid);
}

async function details(pool: Pool, scope: ScopeSql, rowids: number[]): Promise<Map<number, DetailRow>> {
  if (rowids.length === 0) return new Map();
  const { rows } = await pool.query<DetailRow & { rowid: number }>(scope.detail, [rowids]);
  return new Map(rows.map((r) => [r.rowid, r]));
}

/** The configurations articles are indexed with (a handful at most). */
async function configsInUse(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ config: string }>('SELECT config::text AS config FROM search_configs ORDER BY 1');
  return rows.map((r) => r.config);
}

/**
 * Searches articles and/or comments. Any input is safe: what cannot be searched for gives an empty
 * result, never an error. Bad options (a malformed date) reject with a RangeError naming the option.
 */
export async function search(pool: Pool, query: string, options: SearchOptions = {}): Promise<SearchResult> {
  checkOptions(options);
  const { limit, offset } = pageOf(options);
  const empty: SearchResult = { query, total: 0, totalCapped: false, offset, limit, hits: [] };
  const terms = parseQuery(query);
  const text = toTsqueryText(terms);
  if (text === null) return empty;
  const configs = await configsInUse(pool);
  if (configs.length === 0) return empty;
  const q = queryOf(text, configs);

  const scope = options.in ?? 'all';
  const scopes = scope === 'articles' ? [ARTICLES] : scope === 'comments' ? [COMMENTS] : [ARTICLES, COMMENTS];
  const found = await Promise.all(
    scopes.map(async (s) => ({ scope: s, ...(await onGinIndex(pool, (client) => rankScope(client, s, q, options, offset + limit))) })),
  );
  const { merged, total, totalCapped } = mergeScopes(found, options.order);
  const page = merged.slice(offset, offset + limit);
  const rows = new Map(
    await Promise.all(
      scopes.map(
        async (s) =>
          [
            s,
            await details(
              pool,
              s,
              page.filter((r) => r.s === s).map((r) => r.rowid),
            ),
          ] as const,
      ),
    ),
  );
  const matcher = tokenMatcher(terms);
  return {
    query,
    total,
    totalCapped,
    offset,
    limit,
    hits: page
      .map((r) => {
        const row = rows.get(r.s)?.get(r.rowid);
        return row ? hitFrom(row, matcher, r.score) : null;
      })
      .filter((h): h is SearchHit => h !== null),
  };
}
