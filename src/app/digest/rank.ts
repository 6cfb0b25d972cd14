/**
 * Which of a period's articles a digest shows: the ones most discussed. Discussion activity is
 * counted three ways, each breaking the ties of the one before: comments written in the period (what
 * readers talked about then), comments held (the whole discussion), and the count the source
 * declared (all Paperboy knows of discussions it has not stored).
 */
import type { Article } from '../../core/model.ts';
import { instantOf } from './due.ts';

/** Articles a digest shows at most: one embed each, and a message holds ten. */
export const MAX_DIGEST_ARTICLES = 10;

export interface Activity {
  /** Comments (not deleted) written within the period. */
  readonly inPeriod: number;
  /** Comments held (not deleted). */
  readonly held: number;
  /** The comment count the source showed; 0 when it showed none. */
  readonly declared: number;
}

export interface Ranked {
  readonly article: Article;
  readonly activity: Activity;
}

/** Epoch ms bounds: `start` inclusive, `end` exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export function activityOf(article: Article, span: Span): Activity {
  let held = 0;
  let inPeriod = 0;
  for (const c of article.comments) {
    if (c.deleted === true) continue;
    held++;
    const t = instantOf(c.postedAt);
    if (t !== null && t >= span.start && t < span.end) inPeriod++;
  }
  return { inPeriod, held, declared: article.declaredCommentCount ?? 0 };
}

/** When the article belongs to a period: its publication, else when Paperboy stored it. */
export function articleTime(a: Pick<Article, 'publishedAt' | 'ingestedAt'>): number | null {
  return instantOf(a.publishedAt ?? a.ingestedAt);
}

/**
 * The `max` most discussed articles, most first. Equal activity goes to the newer article, then to
 * the lower id, so the same articles always rank the same way.
 */
export function rankByActivity(articles: readonly Article[], span: Span, max: number = MAX_DIGEST_ARTICLES): Ranked[] {
  return articles
    .map((article) => ({ article, activity: activityOf(article, span), time: articleTime(article) ?? 0 }))
    .sort(
      (a, b) =>
        b.activity.inPeriod - a.activity.inPeriod ||
        b.activity.held - a.activity.held ||
        b.activity.declared - a.activity.declared ||
        b.time - a.time ||
        (a.article.id < b.article.id ? -1 : a.article.id > b.article.id ? 1 : 0),
    )
    .slice(0, max)
    .map(({ article, activity }) => ({ article, activity }));
}
