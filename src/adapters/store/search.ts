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
  type SearchHit,
  type SearchOptions,
  type SearchResult,
  hitFrom,
  mergeScopes,
  searchRequest,
  searchResult,
} from './search-common.ts';
import { type Matcher, tokenMatcher } from './snippet.ts';

export type { CommentRef, Order, Scope, SearchHit, SearchOptions, SearchResult } from './search-common.ts';
export { COUNT_CAP, MAX_LIMIT } from './search-common.ts';

interface ScopeSql {
  fts: string;
  joins: string;
  date: string;
  /** The hit's article (and comment) fields, by rowid. */
  detail: string;
  /** A small FTS table whose matches are all ranked, whatever the window leaves out (titles). */
  always?: string;
}

const ARTICLES: ScopeSql = {
  fts: 'articles_fts',
  joins: 'JOIN articles a ON a.rowid = f.rowid',
  date: 'coalesce(a.published_at, a.ingested_at)',
  detail: `SELECT a.id AS article_id, a.title, a.url, a.source, a.published_at, NULL AS comment_id, a.body_text AS text
    FROM articles a WHERE a.rowid = ?`,
  always: 'titles_fts',
};
const COMMENTS: ScopeSql = {
  fts: 'comments_fts',
  joins: 'JOIN comments c ON c.rowid = f.rowid JOIN articles a ON a.rowid = c.article_rowid',
  date: 'coalesce(c.posted_at, a.published_at, a.ingested_at)',
  detail: `SELECT a.id AS article_id, a.title, a.url, a.source, a.published_at, c.id AS comment_id, c.number AS comment_number,
      c.author AS comment_author, c.posted_at AS comment_posted_at, c.rating AS comment_rating, c.text AS text
    FROM comments c JOIN articles a ON a.rowid = c.article_rowid WHERE c.rowid = ?`,
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
  const count = (): number =>
    statement<unknown[], { n: number }>(
      db,
      `SELECT count(*) AS n FROM (SELECT 1 FROM ${scope.fts} f ${joins} WHERE ${scope.fts} MATCH ?${f.sql} LIMIT ${COUNT_CAP + 1})`,
    ).get(match, ...f.params)?.n ?? 0;

  if (o.order === 'newest') {
    const total = count();
    if (total === 0) return { ranked: [], total };
    const ranked = statement<unknown[], Ranked>(
      db,
      `SELECT f.rowid AS rowid, f.rank AS score, ${scope.date} AS date FROM ${scope.fts} f ${scope.joins}
       WHERE ${scope.fts} MATCH ?${f.sql} ORDER BY date DESC, f.rowid DESC LIMIT ?`,
    ).all(match, ...f.params, take);
    return { ranked, total };
  }
  // Deep pages widen the window, so that every page comes from one consistent ranking.
  const windowSize = Math.max(RANK_WINDOW, take);
  const window = statement<unknown[], Ranked>(
    db,
    `SELECT f.rowid AS rowid, f.rank AS score, '' AS date FROM ${scope.fts} f ${joins}
     WHERE ${scope.fts} MATCH ?${f.sql} ORDER BY f.rowid DESC LIMIT ?`,
  ).all(match, ...f.params, windowSize);
  // A window that is not full holds every match: no need to count them again.
  const total = window.length < windowSize ? window.length : count();
  const byRowid = new Map(window.map((r) => [r.rowid, r]));
  if (scope.always && total > windowSize) {
    // Title matches outside the window are scored on their title alone, at the title's weight:
    // scoring one rowid against the full index costs a doclist seek per term (most of a
    // millisecond on a large library), while the title table has already ranked them. That
    // leaves out their body's share of the score, so they rank a little lower than exact BM25 would.
    const titles = statement<unknown[], { rowid: number; score: number }>(
      db,
      `SELECT rowid, score FROM (
         SELECT t.rowid AS rowid, t.rank * ${TITLE_WEIGHT} AS score FROM ${scope.always} t ${f.sql ? 'JOIN articles a ON a.rowid = t.rowid' : ''}
         WHERE ${scope.always} MATCH ?${f.sql} ORDER BY t.rowid DESC LIMIT ${TITLE_WINDOW}
       ) ORDER BY score LIMIT ?`,
    ).all(match, ...f.params, TITLE_CANDIDATES);
    const outside = titles.filter((t) => !byRowid.has(t.rowid));
    // The title table saw only titles: an excluded word may still be in the body, so check those against the full index.
    const allowed =
      match.includes(' NOT ') && outside.length > 0
        ? matchingRowids(
            db,
            scope.fts,
            match,
            outside.map((t) => t.rowid),
          )
        : null;
    for (const t of outside) if (!allowed || allowed.has(t.rowid)) byRowid.set(t.rowid, { ...t, date: '' });
  }
  const ranked = [...byRowid.values()].sort((x, y) => x.score - y.score || y.rowid - x.rowid).slice(0, take);
  return { ranked, total };
}

function toHit(db: Db, scope: ScopeSql, match: Matcher, rowid: number, score: number): SearchHit | null {
  const r = statement<[number], DetailRow>(db, scope.detail).get(rowid);
  return r ? hitFrom(r, match, score) : null;
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
  return searchResult(
    r,
    page.map((m) => toHit(db, m.s, matcher, m.rowid, m.score)),
    count,
  );
}
