/**
 * Full-text search on PostgreSQL, with SQLite's behaviour (../search.ts): the same query syntax
 * (parseQuery), scopes, filters, paging, COUNT_CAP, the `all` merge and the snippets with their
 * highlights (../search-common.ts, ../snippet.ts). Only the finding and ranking differ: the
 * tsvector columns with their GIN indexes, ranked by ts_rank with title words weighing five
 * times body words (SQLite: bm25(5.0, 1.0)). `score` is the rank negated, so that lower is better
 * as with BM25; the two scales differ, so only orders compare across backends.
 */
import { type DetailRow, type RankedRow, type SearchOptions, type SearchResult, hitFrom, mergeScopes, searchRequest, searchResult } from '../search-common.ts';
import { tokenMatcher } from '../snippet.ts';
import type { Client, Pool } from './pool.ts';
import { onGinIndex } from './gin.ts';
import { ARTICLES, COMMENTS, dateFloorOffsets, newestSql, rankSql, relevanceSql } from './search-sql.ts';
import type { ScopeSql } from './search-scope.ts';
import { type ArticleParts, type Query, articleParts, queryOf, toTsqueryText } from './tsquery.ts';

/** What the transaction's first statement reads, with BEGIN: the configurations in use, the newest key and dates. */
interface Start {
  readonly configs: string | null;
  readonly last: number | null;
  readonly floors: (string | null)[];
  /** The scope's newest rows' table exists (migration 14 makes it; without it, as before that migration, the whole table answers). */
  readonly recent: boolean;
}

/**
 * The first statement of a scope's transaction: the configurations articles are indexed with (a
 * handful at most, one tsquery each), the key sequence's value (not max(key): the planner settings
 * turn max() into a scan; a sequence may be ahead of the rows after a rolled-back insert, which
 * only starts the stretches a little higher), and for newest-first order the dates of the newest
 * articles at dateFloorOffsets, read on the date index before the settings forbid index scans.
 */
function startSql(scope: ScopeSql, o: SearchOptions, take: number): string {
  const by = scope.newestBy;
  const floors =
    o.order === 'newest'
      ? dateFloorOffsets(take).map((k) => `(SELECT ${by} FROM ${scope.table} WHERE ${by} IS NOT NULL ORDER BY ${by} DESC OFFSET ${k} LIMIT 1)`)
      : [];
  return `SELECT (SELECT string_agg(config::text, ',' ORDER BY config::text) FROM search_configs) AS configs,
    (SELECT last_value FROM ${scope.sequence}) AS last, ARRAY[${floors.join(', ') || 'NULL'}]::text[] AS floors,
    ${scope.recent ? `to_regclass('${scope.recent}') IS NOT NULL` : 'false'} AS recent`;
}

interface Row {
  total: number;
  rowid: number | null;
  score: number;
  date?: string;
}

/** A scope's matches counted and chosen: ranked already (newest first), or only chosen (relevance), to be ranked by rankKeys. */
type Chosen = { ranked: RankedRow[]; total: number } | { keys: number[]; q: Query; total: number; scope: ScopeSql };

/** Keys ranked per statement at least: fewer are ranked in one. */
const RANK_PART = 100;
/** Statements a scope's ranking is split into at most, run at once on as many connections. */
const RANK_PARTS = 2;

async function chooseScope(
  db: Client,
  start: Start | undefined,
  scope: ScopeSql,
  text: string,
  parts: ArticleParts | null,
  o: SearchOptions,
  take: number,
): Promise<Chosen> {
  // Configuration names are identifiers PostgreSQL made (regconfig's text), never user input.
  const configs = start?.configs ? start.configs.split(',') : [];
  if (configs.length === 0) return { ranked: [], total: 0 };
  const q = queryOf(text, configs, parts);
  if (o.order === 'newest') {
    // Floors past the newest article (a small library) are null: the stretches stop before them.
    const floors = (start?.floors ?? []).filter((f): f is string => f !== null);
    const { rows } = await db.query<Row>(newestSql(scope, q, o, take, floors));
    const found = rows.filter((r): r is Row & { rowid: number; date: string } => r.rowid !== null);
    const ranked = found.map((r) => ({ rowid: r.rowid, score: r.score, date: r.date }));
    // Newest first, as the SQL's ORDER BY had them (dates are ISO text: code units compare as "C" does).
    ranked.sort((x, y) => (x.date < y.date ? 1 : x.date > y.date ? -1 : y.rowid - x.rowid));
    return { ranked, total: rows[0]?.total ?? 0 };
  }
  const used = start?.recent ? scope : { ...scope, recent: undefined };
  const { rows } = await db.query<{ total: number; keys: string[] }>(relevanceSql(used, q, o, take, Number(start?.last ?? 0)));
  return { keys: (rows[0]?.keys ?? []).map(Number), q, total: rows[0]?.total ?? 0, scope: used };
}

/**
 * Ranks the chosen keys, best first, the first `take`. Ranking reads each row's whole tsvector
 * (an article's, ~7.6 KB, from the TOAST table, mostly not in shared buffers): about a third of
 * a median query's time (docs/benchmarks.md). The keys are split into ascending parts ranked at
 * once, each on a connection of its own, so that both cores read vectors, outside the search's
 * transaction: a row changed in between is ranked as it is now, a row deleted is left out, as a
 * search a moment later would have it.
 */
async function rankKeys(pool: Pool, chosen: Chosen, take: number): Promise<{ ranked: RankedRow[]; total: number }> {
  if ('ranked' in chosen) return chosen;
  const { keys, q, total, scope } = chosen;
  const parts = Math.max(1, Math.min(RANK_PARTS, Math.floor(keys.length / RANK_PART)));
  const size = Math.ceil(keys.length / parts);
  const results = await Promise.all(
    Array.from({ length: keys.length === 0 ? 0 : parts }, (_, i) =>
      pool.query<Row & { rowid: number }>(rankSql(scope, q, keys.slice(i * size, (i + 1) * size))),
    ),
  );
  const ranked = results.flatMap((r) => r.rows).map((r) => ({ rowid: r.rowid, score: r.score, date: '' }));
  return { ranked: ranked.sort((x, y) => x.score - y.score || y.rowid - x.rowid).slice(0, take), total };
}

async function details(pool: Pool, scope: ScopeSql, rowids: number[]): Promise<Map<number, DetailRow>> {
  if (rowids.length === 0) return new Map();
  const { rows } = await pool.query<DetailRow & { rowid: number }>(scope.detail, [rowids]);
  return new Map(rows.map((r) => [r.rowid, r]));
}

/**
 * Searches articles and/or comments. Any input is safe: what cannot be searched for gives an empty
 * result, never an error. Bad options (a malformed date) reject with a RangeError naming the option.
 */
export async function search(pool: Pool, query: string, options: SearchOptions = {}): Promise<SearchResult> {
  const r = searchRequest(query, options, { articles: ARTICLES, comments: COMMENTS });
  const text = toTsqueryText(r.terms);
  if (text === null) return searchResult(r);

  const take = r.offset + r.limit;
  const parts = articleParts(r.terms);
  const found = await Promise.all(
    r.scopes.map(async (s) => ({
      scope: s,
      ...(await rankKeys(
        pool,
        await onGinIndex<Chosen, Start>(pool, (client, [start]) => chooseScope(client, start, s, text, parts, options, take), startSql(s, options, take)),
        take,
      )),
    })),
  );
  const { merged, ...count } = mergeScopes(found, options.order);
  const page = merged.slice(r.offset, r.offset + r.limit);
  const rows = new Map(
    await Promise.all(
      r.scopes.map(
        async (s) =>
          [
            s,
            await details(
              pool,
              s,
              page.filter((m) => m.s === s).map((m) => m.rowid),
            ),
          ] as const,
      ),
    ),
  );
  const matcher = tokenMatcher(r.terms);
  return searchResult(
    r,
    page.map((m) => {
      const row = rows.get(m.s)?.get(m.rowid);
      return row ? hitFrom(row, matcher, m.score) : null;
    }),
    count,
  );
}
