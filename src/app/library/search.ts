/** Searching the library a page at a time: /search (its buttons and menu) and the CLI's `search`. */
import type { Order, Scope, SearchHit, SearchResult, Store } from '../../adapters/store/contract.ts';
import { commentSource, commentUrl } from '../views/comment-source.ts';

export interface SearchQuery {
  readonly query: string;
  readonly scope: Scope;
  readonly source: string | null;
  /** Days as YYYY-MM-DD, both ends included. */
  readonly from?: string | null;
  readonly to?: string | null;
  /** @default 'relevance' */
  readonly order?: Order;
}

/** Page `page` (from 1) of the results, `pageSize` hits a page. */
export function searchPage(store: Store, q: SearchQuery, page: number, pageSize: number): Promise<SearchResult> {
  return store.search(q.query, {
    in: q.scope,
    source: q.source,
    from: q.from ?? null,
    to: q.to ?? null,
    limit: pageSize,
    offset: (page - 1) * pageSize,
    order: q.order ?? 'relevance',
  });
}

/** Where a comment hit was written, for a reader: its platform and its link there (see comment-source.ts). */
export interface CommentOrigin {
  /** "Reddit", "Hacker News", a forum's or feed's host, "Discord"; null for the article's own comments. */
  readonly source: string | null;
  readonly url: string | null;
}

/** The key of a comment hit in commentOrigins' map. */
export function originKey(hit: Pick<SearchHit, 'articleId' | 'comment'>): string {
  return `${hit.articleId}\n${hit.comment?.id ?? ''}`;
}

/** The origin of each comment hit shown: its platform (named by its id and link) and its link. */
export function commentOrigins(hits: readonly SearchHit[]): Map<string, CommentOrigin> {
  const out = new Map<string, CommentOrigin>();
  for (const hit of hits) {
    if (!hit.comment) continue;
    const { id, url } = hit.comment;
    out.set(originKey(hit), { source: commentSource({ id, url }), url: commentUrl({ url }) });
  }
  return out;
}
