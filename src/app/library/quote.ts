/**
 * Quoting: a verbatim passage of an article or its comments, with where it comes from. /quote,
 * the CLI's `quote` and the thread answers all cite from this; each words the citation for its
 * medium (markdown on Discord, plain text in a terminal).
 */
import type { Article } from '../../core/model.ts';
import { type Quote, type QuoteOptions, findQuote } from '../../core/text/quote.ts';
import { placeOf } from '../views/format.ts';

/** Where a passage comes from, as facts to show: the article's title and place, or the comment's. */
export type Citation =
  | {
      readonly kind: 'article';
      readonly title: string;
      /** Its section and paragraph, for a reader: `"Aftermath", paragraph 2`. */
      readonly place: string;
    }
  | {
      readonly kind: 'comment';
      readonly title: string;
      readonly comment: { readonly id: string; readonly number: number | null };
      readonly author: string | null;
      readonly postedAt: string | null;
      readonly rating: number | null;
    };

export interface CitedQuote {
  readonly quote: Quote;
  readonly citation: Citation;
}

export function citationOf(article: Pick<Article, 'title' | 'body'>, quote: Quote): Citation {
  const s = quote.source;
  if (s.kind === 'article') return { kind: 'article', title: article.title, place: placeOf(article.body, s.block) };
  return { kind: 'comment', title: article.title, comment: { id: s.commentId, number: s.number }, author: s.author, postedAt: s.postedAt, rating: s.rating };
}

/** A passage of `article` on the topic (or a notable one) with its citation; null when none matches. */
export function quotePassage(article: Article, options: QuoteOptions): CitedQuote | null {
  const quote = findQuote(article, options);
  return quote && { quote, citation: citationOf(article, quote) };
}
