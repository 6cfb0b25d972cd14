/**
 * The article a template is checked with on save: a real one, so that a title template that fits a
 * sample but not this feed's long headlines is refused now rather than at delivery. The newest stored
 * article the subscription would get, else the newest stored, else a sample written for it.
 */
import type { Store } from '../../adapters/store/contract.ts';
import type { Article } from '../../core/model.ts';
import { compileExpression } from '../filters/expression.ts';
import { parseFilter } from './filter.ts';
import type { Subscription } from './subscriptions.ts';

/** Newest stored articles looked at for one the subscription would get: the check stays quick on a large store. */
const LOOKED_AT = 50;

export type CheckedWith = { readonly kind: 'matching' | 'newest'; readonly article: Article } | { readonly kind: 'sample'; readonly article: Article };

/** A made-up article with every field a template can use, long enough to show limits: used only when nothing is stored. */
export const SAMPLE_ARTICLE: Article = {
  id: '5a3b1e0c9d8f7a61',
  title: 'Harbour authority approves the new ferry terminal after a two-year consultation with residents',
  url: 'https://example.com/news/harbour-ferry-terminal',
  source: 'Coast Gazette',
  author: 'Maren Holt',
  publishedAt: '2026-11-30T07:45:00Z',
  language: 'en',
  body: [
    { type: 'paragraph', text: 'The harbour authority approved the new ferry terminal on Monday. Work starts in the spring and takes two years.' },
    { type: 'quote', text: 'This terminal will serve the island for fifty years.', attribution: '- the harbour master said' },
    { type: 'paragraph', text: 'Residents asked for a quieter design, and the plans were changed twice during the consultation.' },
  ],
  comments: [],
  declaredCommentCount: 12,
  commentsUrl: null,
  ingestedAt: '2026-11-30T08:00:00Z',
};

/** Whether `filter` (an expression, or null) passes `article`; a filter that does not compile passes nothing. */
function passes(filter: string | null | undefined, article: Article): boolean {
  if (!filter) return true;
  try {
    return compileExpression(filter).test(article).pass;
  } catch {
    return false;
  }
}

/** The article to check a template with, for `sub` with `filter` (the expression as it will be saved). */
export async function articleForCheck(store: Store, sub: Pick<Subscription, 'source' | 'keywords'>, filter: string | null | undefined): Promise<CheckedWith> {
  const newest = await store.list({ limit: LOOKED_AT });
  let keywords: ((a: Article) => boolean) | null;
  try {
    keywords = parseFilter(sub.keywords);
  } catch {
    // Keywords stored before a check that now refuses them: the source and expression still narrow it down.
    keywords = null;
  }
  for (const summary of newest) {
    if (sub.source !== null && summary.source?.toLowerCase() !== sub.source.toLowerCase()) continue;
    const article = await store.get(summary.id);
    if (article && (keywords === null || keywords(article)) && passes(filter, article)) return { kind: 'matching', article };
  }
  const first = newest[0] && (await store.get(newest[0].id));
  return first ? { kind: 'newest', article: first } : { kind: 'sample', article: SAMPLE_ARTICLE };
}
