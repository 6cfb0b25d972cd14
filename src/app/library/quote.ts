/**
 * Quoting: a verbatim passage of an article or its comments, with where it comes from. /quote,
 * the CLI's `quote` and the thread answers all cite from this; each words the citation for its
 * medium (markdown on Discord, plain text in a terminal).
 */
import { type Article, type Comment, isHttpUrl } from '../../core/model.ts';
import { type Quote, type QuoteOptions, findQuote } from '../../core/text/quote.ts';
import { placeOf } from '../views/format.ts';
import { commentSource, commentUrl } from '../views/comment-source.ts';

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
      /**
       * Where the comment was written when it was not on the article's own page ("Reddit", "Hacker
       * News", a forum's or feed's host, "Discord"); absent for the article's own comments.
       */
      readonly source?: string;
      /** The comment's permalink at its source, when it has one that can be shown whole. */
      readonly url?: string;
    };

export interface CitedQuote {
  readonly quote: Quote;
  readonly citation: Citation;
}

export function citationOf(article: Pick<Article, 'title' | 'body'>, quote: Quote): Citation {
  const s = quote.source;
  if (s.kind === 'article') return { kind: 'article', title: article.title, place: placeOf(article.body, s.block) };
  const source = commentSource({ id: s.commentId, url: s.url ?? null });
  const url = commentUrl({ url: s.url ?? null });
  return {
    kind: 'comment',
    title: article.title,
    comment: { id: s.commentId, number: s.number },
    author: s.author,
    postedAt: s.postedAt,
    rating: s.rating,
    // Only when known, so that a citation of the article's own comments reads as it always has.
    ...(source ? { source } : {}),
    ...(url ? { url } : {}),
  };
}

/** A passage of `article` on the topic (or a notable one) with its citation; null when none matches. */
export function quotePassage(article: Article, options: QuoteOptions): CitedQuote | null {
  const quote = findQuote(article, options);
  return quote && { quote, citation: citationOf(article, quote) };
}

/** A URL compared loosely: parsed, without its fragment or a trailing slash. */
function sameUrl(a: string, b: string): boolean {
  if (!isHttpUrl(a) || !isHttpUrl(b)) return false;
  const norm = (u: string): string => {
    const url = new URL(u);
    url.hash = '';
    return url.href.replace(/\/$/, '');
  };
  return norm(a) === norm(b);
}

/**
 * The comment of `article` that `ref` names: its id (`reddit:c364qyj`, `n12`), its number (`12` or
 * `#12`), or its link at the source (as /article and `paperboy show` print it). Null when none does.
 */
export function findComment(article: Pick<Article, 'comments'>, ref: string): Comment | null {
  const wanted = ref.trim();
  if (wanted === '') return null;
  const byId = article.comments.find((c) => c.id === wanted);
  if (byId) return byId;
  const number = /^#?(\d{1,9})$/.exec(wanted)?.[1];
  if (number !== undefined) return article.comments.find((c) => c.number === Number(number)) ?? null;
  return article.comments.find((c) => c.url && sameUrl(c.url, wanted)) ?? null;
}
