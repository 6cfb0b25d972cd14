/**
 * Full-text search over articles and comments: BM25 ranking (title matches weighted up), snippets
 * with highlight offsets, filters, pagination and newest-first order.
 */
import type { Db } from './db.ts';
import { toMatchExpression } from './query.ts';

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
  /** BM25 score; lower is better, comparable only within one scope. */
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
const MAX_LIMIT = 100;
const SNIPPET_TOKENS = 24;
const OPEN = '\u0002';
const CLOSE = '\u0003';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface ScopeSql {
  fts: string;
  joins: string;
  date: string;
  snippetColumn: number;
  select: string;
}

const ARTICLES: ScopeSql = {
  fts: 'articles_fts',
  joins: 'JOIN articles a ON a.rowid = f.rowid',
  date: 'coalesce(a.published_at, a.ingested_at)',
  snippetColumn: 1,
  select: 'NULL AS comment_id',
};
const COMMENTS: ScopeSql = {
  fts: 'comments_fts',
  joins: 'JOIN comments c ON c.rowid = f.rowid JOIN articles a ON a.rowid = c.article_rowid',
  date: 'coalesce(c.posted_at, a.published_at, a.ingested_at)',
  snippetColumn: 0,
  select: `c.id AS comment_id, c.number AS comment_number, c.author AS comment_author, c.posted_at AS comment_posted_at, c.rating AS comment_rating`,
};

interface HitRow {
  rowid: number;
  score: number;
  sort_date: string;
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
    if (v != null && !DATE.test(v)) throw new RangeError(`search: expected \`${key}\` as YYYY-MM-DD, got \`${v}\``);
  }
}

function whereClause(scope: ScopeSql, o: SearchOptions): { sql: string; params: unknown[] } {
  const parts = [`${scope.fts} MATCH ?`];
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
  return { sql: parts.join(' AND '), params };
}

function queryScope(db: Db, scope: ScopeSql, match: string, o: SearchOptions, take: number): { rows: HitRow[]; total: number } {
  const where = whereClause(scope, o);
  const order = o.order === 'newest' ? 'sort_date DESC, score' : 'score';
  const rows = db
    .prepare<unknown[], HitRow>(
      `SELECT f.rowid AS rowid, f.rank AS score, ${scope.date} AS sort_date, a.id AS article_id, a.title, a.url, a.source,
         a.published_at, ${scope.select}
       FROM ${scope.fts} f ${scope.joins}
       WHERE ${where.sql} ORDER BY ${order} LIMIT ?`,
    )
    .all(match, ...where.params, take);
  const total =
    db
      .prepare<unknown[], { n: number }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${scope.fts} f ${scope.joins} WHERE ${where.sql} LIMIT ${COUNT_CAP + 1})`,
      )
      .get(match, ...where.params)?.n ?? 0;
  return { rows, total };
}

/** Strips the highlight markers from an FTS5 snippet, recording where they were. */
export function parseSnippet(marked: string): { snippet: string; highlights: [number, number][] } {
  let snippet = '';
  const highlights: [number, number][] = [];
  let start = -1;
  for (const ch of marked) {
    if (ch === OPEN) start = snippet.length;
    else if (ch === CLOSE && start >= 0) {
      highlights.push([start, snippet.length]);
      start = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}

function snippetOf(db: Db, scope: ScopeSql, match: string, rowid: number): string {
  const row = db
    .prepare<[string, number], { s: string }>(
      `SELECT snippet(${scope.fts}, ${scope.snippetColumn}, char(2), char(3), '…', ${SNIPPET_TOKENS}) AS s
       FROM ${scope.fts} WHERE ${scope.fts} MATCH ? AND rowid = ?`,
    )
    .get(match, rowid);
  return row?.s ?? '';
}

function toHit(db: Db, scope: ScopeSql, match: string, r: HitRow): SearchHit {
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
    ...parseSnippet(snippetOf(db, scope, match, r.rowid)),
    score: r.score,
  };
}

/**
 * Searches articles and/or comments. Any input is safe: what cannot be searched for gives an empty
 * result, never an error. Bad options (a malformed date) throw a RangeError naming the option.
 */
export function search(db: Db, query: string, options: SearchOptions = {}): SearchResult {
  checkOptions(options);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 10), 1), MAX_LIMIT);
  const offset = Math.max(Math.trunc(options.offset ?? 0), 0);
  const empty: SearchResult = { query, total: 0, totalCapped: false, offset, limit, hits: [] };
  const match = toMatchExpression(query);
  if (match === null) return empty;

  const scope = options.in ?? 'all';
  const scopes = scope === 'articles' ? [ARTICLES] : scope === 'comments' ? [COMMENTS] : [ARTICLES, COMMENTS];
  const found = scopes.map((s) => ({ scope: s, ...queryScope(db, s, match, options, offset + limit) }));
  const merged = found.flatMap(({ scope: s, rows }) => rows.map((row) => ({ s, row })));
  merged.sort((x, y) =>
    options.order === 'newest'
      ? y.row.sort_date.localeCompare(x.row.sort_date) || x.row.score - y.row.score
      : x.row.score - y.row.score,
  );
  const total = found.reduce((n, f) => n + Math.min(f.total, COUNT_CAP), 0);
  return {
    query,
    total,
    totalCapped: found.some((f) => f.total > COUNT_CAP),
    offset,
    limit,
    hits: merged.slice(offset, offset + limit).map(({ s, row }) => toHit(db, s, match, row)),
  };
}
