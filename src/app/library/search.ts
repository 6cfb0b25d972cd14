/** Searching the library a page at a time: /search (its buttons and menu) and the CLI's `search`. */
import type { Order, Scope, SearchResult, Store } from '../../adapters/store/contract.ts';

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
