/**
 * What both search backends share: the options and answer shapes, their checks and limits, how
 * the `all` scope merges two rankings, and how a stored row becomes a hit with its snippet. SQLite's
 * search.ts and PostgreSQL's postgres/search.ts differ only in the SQL that finds and ranks rows.
 */
import { DAY_SHAPE, notADay } from '../../core/text/day.ts';
import { type Term, parseQuery } from './query.ts';
import { type Matcher, makeSnippet } from './snippet.ts';

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
  /** Where the comment can be read at its source, as stored; null when it has no link of its own. */
  url: string | null;
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
  /** Lower is better: BM25 on SQLite, ts_rank negated on PostgreSQL; comparable only within one scope and backend (`all` merges by each scope's best). */
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

/** Throws a RangeError naming a malformed `from` or `to`. */
export function checkOptions(o: SearchOptions): void {
  for (const key of ['from', 'to'] as const) {
    const v = o[key];
    if (v == null) continue;
    const why = DAY_SHAPE.test(v) ? notADay(v) : '';
    if (why !== null) throw new RangeError(`search: expected \`${key}\` as YYYY-MM-DD, got \`${v}\`${why ? ` (${why})` : ''}`);
  }
}

/** The page asked for, within bounds: matches are counted up to COUNT_CAP, and pages reach as far. */
export function pageOf(o: SearchOptions): { limit: number; offset: number } {
  return {
    limit: Math.min(Math.max(Math.trunc(o.limit ?? 10), 1), MAX_LIMIT),
    offset: Math.min(Math.max(Math.trunc(o.offset ?? 0), 0), COUNT_CAP),
  };
}

/** A search's options checked and its query parsed: the page, the terms, and the scopes to rank in the order they merge. */
export interface SearchRequest<S> {
  readonly query: string;
  readonly limit: number;
  readonly offset: number;
  readonly terms: Term[];
  readonly scopes: readonly S[];
}

/**
 * Checks the options (a RangeError names a malformed date) and parses the query. `articles` and
 * `comments` are the backend's own description of each scope; `all` ranks both, articles first.
 */
export function searchRequest<S>(query: string, o: SearchOptions, scopes: { articles: S; comments: S }): SearchRequest<S> {
  checkOptions(o);
  const scope = o.in ?? 'all';
  return {
    query,
    ...pageOf(o),
    terms: parseQuery(query),
    scopes: scope === 'articles' ? [scopes.articles] : scope === 'comments' ? [scopes.comments] : [scopes.articles, scopes.comments],
  };
}

/** The answer to `r`: the hits found (a row gone since it was ranked is left out), or none when the query had nothing to search for. */
export function searchResult(
  r: SearchRequest<unknown>,
  hits: readonly (SearchHit | null)[] = [],
  count: { total: number; totalCapped: boolean } = { total: 0, totalCapped: false },
): SearchResult {
  return {
    query: r.query,
    total: count.total,
    totalCapped: count.totalCapped,
    offset: r.offset,
    limit: r.limit,
    hits: hits.filter((h): h is SearchHit => h !== null),
  };
}

/** One scope's ranked candidates: `score` lower is better, `date` set when ordering by newest. */
export interface RankedRow {
  rowid: number;
  score: number;
  date: string;
}

/**
 * Merges each scope's ranking into one, best first. Scores from different indexes are on different
 * scales, so for `all` each scope's scores are taken relative to its own best match first.
 */
export function mergeScopes<S, R extends RankedRow>(found: readonly { scope: S; ranked: readonly R[]; total: number }[], order: Order | undefined) {
  const merged = found.flatMap(({ scope: s, ranked }) => {
    const best = ranked.reduce((m, r) => Math.min(m, r.score), 0);
    return ranked.map((r) => ({ s, ...r, relative: best < 0 ? r.score / best : 1 }));
  });
  merged.sort((x, y) => (order === 'newest' ? y.date.localeCompare(x.date) || y.relative - x.relative : y.relative - x.relative || x.score - y.score));
  return {
    merged,
    total: found.reduce((n, f) => n + Math.min(f.total, COUNT_CAP), 0),
    totalCapped: found.some((f) => f.total > COUNT_CAP),
  };
}

/** A hit's article (and comment) fields as both backends select them. */
export interface DetailRow {
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
  comment_url?: string | null;
}

export function hitFrom(r: DetailRow, match: Matcher, score: number): SearchHit {
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
            url: r.comment_url ?? null,
          },
    ...makeSnippet(r.text, match),
    score,
  };
}
