/**
 * Full-text search over articles and comments: BM25 ranking (title matches weighted up), snippets
 * with highlight offsets, filters, pagination and newest-first order.
 */
import type Database from 'better-sqlite3';
import { DAY_SHAPE, notADay } from '../../core/text/day.ts';
import type { Db } from './db.ts';
import { parseQuery, toMatchExpression } from './query.ts';
import { type Matcher, makeSnippet, tokenMatcher } from './snippet.ts';

export type Scope = 'articles' | 'comments' | 'all';
export type Order = 'relevance' | 'newest';

export interface SearchOptions {
  /** What to search. Default `all`. */
  readonly in?: Scope;
  /** Only this source (case-insensitive). */
  readonly source?: string | null;
  /** Earliest date, `YYYY-MM-DD`, inclusive: published time for articles, posted time for comments (else the article's). */
  readonly from?: string | null;
  /** Latest date, `YYYY-MM-DD`, inclusive. */
  readonly to?: string | null;
  /** Results per page, 1–100. Default 10. */
  readonly limit?: number;
  /** Results to skip. Default 0. */
  readonly offset?: number;
  /** Default `relevance`. */
  readonly order?: Order;
}

export interface CommentRef {
  id: string;
  number: number | null;
  author: string | null;
  postedAt: string | null;
  rating: number | null;
}

export interface SearchHit {
  kind: 'article' | 'comment';
  articleId: string;
  title: string;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  /** Set for comment hits. */
  comment: CommentRef | null;
  /** A short excerpt around the best match, verbatim; `…` marks cuts. */
  snippet: string;
  /** `[start, end)` character ranges of `snippet` that matched the query. */
  highlights: [number, number][];
  /** BM25 score; lower is better, comparable only within one scope (`all` merges by each scope's best). */
  score: number;
}

export interface SearchResult {
  query: string;
  /** Matches in all, counted up to COUNT_CAP. */
  total: number;
  /** True when there are more than `total` matches. */
  totalCapped: boolean;
  offset: number;
  limit: number;
  hits: SearchHit[];
}

/** Counting every match of a very common word would cost as much as the search itself. */
export const COUNT_CAP = 1000;
/** The most hits one page answers; a larger `limit` is cut to it. */
export const MAX_LIMIT = 100;

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

interface DetailRow {
  text: string;
  article_id: string;
  title: string;
  url: string | null;
  source: string | null;
  published_at: string | null;
  comment_id: string | null;
  comment_number?: number | null;
  comment_author?: string | null;
  comment_posted_at?: string | null;
  comment_rating?: number | null;
}

function checkOptions(o: SearchOptions): void {
  for (const key of ['from', 'to'] as const) {
    const v = o[key];
    if (v == null) continue;
    const why = DAY_SHAPE.test(v) ? notADay(v) : '';
    if (why !== null) throw new RangeError(`search: expected \`${key}\` as YYYY-MM-DD, got \`${v}\`${why ? ` (${why})` : ''}`);
  }
}

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

/** Rowids of the page's hits, best first, and the number of matches (capped). */
interface Ranked {
  rowid: number;
  score: number;
  date: string;
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
  if (!r) return null;
  return {
    kind: r.comment_id === null ? 'article' : 'comment',
    articleId: r.article_id,
    title: r.title,
    url: r.url,
    source: r.source,
    publishedAt: r.published_at,
    comment:
      r.comment_id === null
        ? null
        : {
            id: r.comment_id,
            number: r.comment_number ?? null,
            author: r.comment_author ?? null,
            postedAt: r.comment_posted_at ?? null,
            rating: r.comment_rating ?? null,
          },
    ...makeSnippet(r.text, match),
    score,
  };
}

/**
 * Searches articles and/or comments. Any input is safe: what cannot be searched for gives an empty
 * result, never an error. Bad options (a malformed date) throw a RangeError naming the option.
 */
export function search(db: Db, query: string, options: SearchOptions = {}): SearchResult {
  checkOptions(options);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 10), 1), MAX_LIMIT);
  // Matches are counted up to COUNT_CAP, and pages reach as far.
  const offset = Math.min(Math.max(Math.trunc(options.offset ?? 0), 0), COUNT_CAP);
  const empty: SearchResult = { query, total: 0, totalCapped: false, offset, limit, hits: [] };
  const terms = parseQuery(query);
  const match = toMatchExpression(terms);
  if (match === null) return empty;

  const scope = options.in ?? 'all';
  const scopes = scope === 'articles' ? [ARTICLES] : scope === 'comments' ? [COMMENTS] : [ARTICLES, COMMENTS];
  const matcher = tokenMatcher(terms);
  const found = scopes.map((s) => ({ scope: s, ...rankScope(db, s, match, options, offset + limit) }));
  // BM25 scores from different indexes are on different scales, so for `all` each scope's scores
  // are taken relative to its own best match before the two lists are merged.
  const merged = found.flatMap(({ scope: s, ranked }) => {
    const best = ranked.reduce((m, r) => Math.min(m, r.score), 0);
    return ranked.map((r) => ({ s, ...r, relative: best < 0 ? r.score / best : 1 }));
  });
  merged.sort((x, y) => (options.order === 'newest' ? y.date.localeCompare(x.date) || y.relative - x.relative : y.relative - x.relative || x.score - y.score));
  const total = found.reduce((n, f) => n + Math.min(f.total, COUNT_CAP), 0);
  return {
    query,
    total,
    totalCapped: found.some((f) => f.total > COUNT_CAP),
    offset,
    limit,
    hits: merged
      .slice(offset, offset + limit)
      .map((r) => toHit(db, r.s, matcher, r.rowid, r.score))
      .filter((h): h is SearchHit => h !== null),
  };
}
