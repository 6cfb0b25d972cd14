/**
 * Full-text search over articles and comments: BM25 ranking (title matches weighted up), snippets
 * with highlight offsets, filters, pagination and newest-first order.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';
import { toMatchExpression } from './query.ts';
import {
  COUNT_CAP,
  type DetailRow,
  type RankedRow as Ranked,
  type SearchOptions,
  type SearchResult,
  hitFrom,
  mergeScopes,
  searchRequest,
  searchResult,
} from './search-common.ts';
import { tokenMatcher } from './snippet.ts';

export type { CommentRef, Order, Scope, SearchHit, SearchOptions, SearchResult } from './search-common.ts';
export { COUNT_CAP, MAX_LIMIT } from './search-common.ts';

interface ScopeSql {
  fts: string;
  joins: string;
  date: string;
  /** The hits' article (and comment) fields, for a JSON array of rowids: one statement for the whole page. */
  detail: string;
  /** A small FTS table whose matches are all ranked, whatever the window leaves out (titles). */
  always?: string;
}

const ARTICLES: ScopeSql = {
  fts: 'articles_fts',
  joins: 'JOIN articles a ON a.rowid = f.rowid',
  date: 'coalesce(a.published_at, a.ingested_at)',
  detail: `SELECT a.rowid AS rowid, a.id AS article_id, a.title, a.url, a.source, a.published_at, NULL AS comment_id, a.body_text AS text
    FROM articles a WHERE a.rowid IN (SELECT value FROM json_each(?))`,
  always: 'titles_fts',
};
const COMMENTS: ScopeSql = {
  fts: 'comments_fts',
  joins: 'JOIN comments c ON c.rowid = f.rowid JOIN articles a ON a.rowid = c.article_rowid',
  date: 'coalesce(c.posted_at, a.published_at, a.ingested_at)',
  detail: `SELECT c.rowid AS rowid, a.id AS article_id, a.title, a.url, a.source, a.published_at, c.id AS comment_id, c.number AS comment_number,
      c.author AS comment_author, c.posted_at AS comment_posted_at, c.rating AS comment_rating, c.url AS comment_url, c.text AS text
    FROM comments c JOIN articles a ON a.rowid = c.article_rowid WHERE c.rowid IN (SELECT value FROM json_each(?))`,
};

/**
 * BM25 costs time for every document it scores, and a common word matches a large share of a big
 * library. So relevance ranking scores a bounded candidate set: the RANK_WINDOW most recently
 * stored matches (more when a deep page asks for more), plus the best TITLE_CANDIDATES title
 * matches however old: a title match weighs most, so it must never be missed. Below RANK_WINDOW
 * matches this is exact BM25 over everything.
 */
export const RANK_WINDOW = 500;
const TITLE_CANDIDATES = 50;
/** Titles are short, so many more of them can be scored; but a word in every tenth title still needs a bound. */
const TITLE_WINDOW = 5000;
/** The title column's weight in articles_fts's rank (its bm25(5.0, 1.0), set in the migrations). */
const TITLE_WEIGHT = 5;

function filters(scope: ScopeSql, o: SearchOptions): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (o.source) {
    parts.push('a.source = ? COLLATE NOCASE');
    params.push(o.source);
  }
  if (o.from) {
    parts.push(`${scope.date} >= ?`);
    params.push(o.from);
  }
  if (o.to) {
    // Dates compare as text; `to` is a whole day, so anything on that day sorts below the next day.
    parts.push(`substr(${scope.date}, 1, 10) <= ?`);
    params.push(o.to);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

/** Prepared statements are cached per connection: preparing costs more than a small query. */
const cache = new WeakMap<Db, Map<string, Database.Statement>>();
function statement<P extends unknown[], R>(db: Db, sql: string): Database.Statement<P, R> {
  let byDb = cache.get(db);
  if (!byDb) cache.set(db, (byDb = new Map<string, Database.Statement>()));
  let stmt = byDb.get(sql);
  if (!stmt) byDb.set(sql, (stmt = db.prepare(sql)));
  return stmt as Database.Statement<P, R>;
}

function matchingRowids(db: Db, fts: string, match: string, rowids: number[]): Set<number> {
  const rows = statement<[string, string], { rowid: number }>(
    db,
    `SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
  ).all(match, JSON.stringify(rowids));
  return new Set(rows.map((r) => r.rowid));
}

function rankScope(db: Db, scope: ScopeSql, match: string, o: SearchOptions, take: number): { ranked: Ranked[]; total: number } {
  const f = filters(scope, o);
  // Joining the row tables costs a lookup per match; only filters and dates need them.
  const joins = f.sql ? scope.joins : '';

  if (o.order === 'newest') {
    const total =
      statement<unknown[], { n: number }>(
        db,
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${scope.fts} f ${joins} WHERE ${scope.fts} MATCH ?${f.sql} LIMIT ${COUNT_CAP + 1})`,
      ).get(match, ...f.params)?.n ?? 0;
    if (total === 0) return { ranked: [], total };
    const ranked = statement<unknown[], Ranked>(
      db,
      `SELECT f.rowid AS rowid, f.rank AS score, ${scope.date} AS date FROM ${scope.fts} f ${scope.joins}
       WHERE ${scope.fts} MATCH ?${f.sql} ORDER BY date DESC, f.rowid DESC LIMIT ?`,
    ).all(match, ...f.params, take);
    return { ranked, total };
  }
  // Deep pages widen the window, so that every page comes from one consistent ranking. SQLite
  // sorts the window and hands over only its best `take` rows, with the window's size and oldest
  // rowid: turning 500 rows into objects to sort them here cost more than ranking them.
  const windowSize = Math.max(RANK_WINDOW, take);
  const window = statement<unknown[], Ranked & { n: number; oldest: number }>(
    db,
    `SELECT rowid, score, '' AS date, n, oldest FROM (
       SELECT rowid, score, count(*) OVER () AS n, min(rowid) OVER () AS oldest FROM (
         SELECT f.rowid AS rowid, f.rank AS score FROM ${scope.fts} f ${joins}
         WHERE ${scope.fts} MATCH ?${f.sql} ORDER BY f.rowid DESC LIMIT ?))
     ORDER BY score, rowid DESC LIMIT ?`,
  ).all(match, ...f.params, windowSize, take);
  const held = window[0]?.n ?? 0;
  const ranked: Ranked[] = window.map(({ rowid, score, date }) => ({ rowid, score, date }));
  // A window that is not full holds every match. A full one holds every match from its oldest
  // rowid up, so only the older ones are left to count (and, below, to look through for titles).
  if (held < windowSize) return { ranked, total: held };
  const oldest = window[0]!.oldest;
  const older =
    statement<unknown[], { n: number }>(
      db,
      `SELECT count(*) AS n FROM (SELECT 1 FROM ${scope.fts} f ${joins} WHERE ${scope.fts} MATCH ? AND f.rowid < ?${f.sql} LIMIT ?)`,
    ).get(match, oldest, ...f.params, Math.max(1, COUNT_CAP + 1 - windowSize))?.n ?? 0;
  const total = windowSize + older;
  if (!scope.always || older === 0) return { ranked, total };
  // Title matches older than the window are scored on their title alone, at the title's weight:
  // scoring one rowid against the full index costs a doclist seek per term (most of a
  // millisecond on a large library), while the title table has already ranked them. That
  // leaves out their body's share of the score, so they rank a little lower than exact BM25 would.
  const titles = statement<unknown[], { rowid: number; score: number }>(
    db,
    `SELECT rowid, score FROM (
       SELECT t.rowid AS rowid, t.rank * ${TITLE_WEIGHT} AS score FROM ${scope.always} t ${f.sql ? 'JOIN articles a ON a.rowid = t.rowid' : ''}
       WHERE ${scope.always} MATCH ? AND t.rowid < ?${f.sql} ORDER BY t.rowid DESC LIMIT ${TITLE_WINDOW}
     ) ORDER BY score LIMIT ?`,
  ).all(match, oldest, ...f.params, TITLE_CANDIDATES);
  // The title table saw only titles: an excluded word may still be in the body, so check those against the full index.
  const allowed =
    match.includes(' NOT ') && titles.length > 0
      ? matchingRowids(
          db,
          scope.fts,
          match,
          titles.map((t) => t.rowid),
        )
      : null;
  for (const t of titles) if (!allowed || allowed.has(t.rowid)) ranked.push({ ...t, date: '' });
  // The same order as the window's SQL: lowest score first, the newest first among equals.
  return { ranked: ranked.sort((x, y) => x.score - y.score || y.rowid - x.rowid).slice(0, take), total };
}

function details(db: Db, scope: ScopeSql, rowids: number[]): Map<number, DetailRow> {
  if (rowids.length === 0) return new Map();
  const rows = statement<[string], DetailRow & { rowid: number }>(db, scope.detail).all(JSON.stringify(rowids));
  return new Map(rows.map((r) => [r.rowid, r]));
}

/**
 * Searches articles and/or comments. Any input is safe: what cannot be searched for gives an empty
 * result, never an error. Bad options (a malformed date) throw a RangeError naming the option.
 */
export function search(db: Db, query: string, options: SearchOptions = {}): SearchResult {
  const r = searchRequest(query, options, { articles: ARTICLES, comments: COMMENTS });
  const match = toMatchExpression(r.terms);
  if (match === null) return searchResult(r);

  const matcher = tokenMatcher(r.terms);
  const found = r.scopes.map((s) => ({ scope: s, ...rankScope(db, s, match, options, r.offset + r.limit) }));
  const { merged, ...count } = mergeScopes(found, options.order);
  const page = merged.slice(r.offset, r.offset + r.limit);
  const rows = new Map(
    r.scopes.map((s) => [
      s,
      details(
        db,
        s,
        page.filter((m) => m.s === s).map((m) => m.rowid),
      ),
    ]),
  );
  return searchResult(
    r,
    page.map((m) => {
      const row = rows.get(m.s)?.get(m.rowid);
      return row ? hitFrom(row, matcher, m.score) : null;
    }),
    count,
  );
}
