/**
 * A period's articles for one subscription: those published (or, without a date, stored) within it
 * that the subscription would get: its source, its keywords, and its filter expression. The store
 * lists articles newest first by that same time, so the walk starts at the newest and stops once it
 * is past the period's start. Both the walk and the articles loaded are bounded: a period with
 * thousands of articles costs the same as one with a few hundred.
 */
import type { Article } from '../../core/model.ts';
import type { Subscription } from '../../core/state.ts';
import type { ArticleSummary, Store } from '../../adapters/store/contract.ts';
import { parseFilter } from '../delivery/filter.ts';
import { compileExpression } from '../filters/expression.ts';
import { instantOf } from './due.ts';
import { type Span, articleTime } from './rank.ts';

/** Article summaries read from the store per page, and at most in all, per digest. */
const PAGE = 200;
export const MAX_LISTED = 5000;
/**
 * Articles loaded whole per digest at most (to test the keywords and filter, and count comments):
 * the most commented ones first, so a very busy period's digest still finds its most discussed.
 */
export const MAX_LOADED = 300;
/**
 * The store orders by the time as written, which for times with different UTC offsets is off by up
 * to a day: the walk goes on this far past the period's start before it stops.
 */
const ORDER_SLACK_MS = 26 * 60 * 60 * 1000;

export interface PeriodArticles {
  /** The matching articles, loaded. */
  readonly articles: Article[];
  /** Whether a bound was reached: more articles may have been in the period. */
  readonly bounded: boolean;
}

/**
 * Whether an article passes the subscription's keywords and filter expression. Throws the keyword
 * FilterError or the expression's FilterSyntaxError when either is no longer accepted.
 */
export function subscriptionTest(sub: Pick<Subscription, 'keywords' | 'options'>, now: () => Date): (a: Article) => boolean {
  const keywords = parseFilter(sub.keywords);
  const text = sub.options?.filter?.trim() ?? '';
  // Relative dates in it (`published > 7d`) count back from the digest's clock.
  const expression = text === '' ? null : compileExpression(text, { now });
  return (a) => keywords(a) && (expression === null || expression.test(a).pass);
}

function inSpan(t: number | null, span: Span): boolean {
  return t !== null && t >= span.start && t < span.end;
}

export async function periodArticles(
  store: Store,
  sub: Pick<Subscription, 'source' | 'keywords' | 'options'>,
  span: Span,
  now: () => Date,
): Promise<PeriodArticles> {
  const test = subscriptionTest(sub, now);
  const source = sub.source?.toLowerCase() ?? null;
  const listed: ArticleSummary[] = [];
  let read = 0;
  let bounded = false;
  walk: for (;;) {
    const page = await store.list({ limit: PAGE, offset: read });
    for (const s of page) {
      const t = instantOf(s.publishedAt ?? s.ingestedAt);
      if (t !== null && t < span.start - ORDER_SLACK_MS) break walk;
      if (inSpan(t, span) && (source === null || s.source?.toLowerCase() === source)) listed.push(s);
    }
    read += page.length;
    if (page.length < PAGE) break;
    if (read >= MAX_LISTED) {
      bounded = true;
      break;
    }
  }
  if (listed.length > MAX_LOADED) bounded = true;
  const chosen = listed.sort((a, b) => b.comments - a.comments || (b.declaredCommentCount ?? 0) - (a.declaredCommentCount ?? 0)).slice(0, MAX_LOADED);
  const articles: Article[] = [];
  for (const s of chosen) {
    const a = await store.get(s.id);
    // Checked again on the whole article: it may have changed since the list was read.
    if (a && inSpan(articleTime(a), span) && test(a)) articles.push(a);
  }
  return { articles, bounded };
}
