/** Finds an article from what a person typed: its id, a unique id prefix, or its URL. */
import { articleId, type Article } from '../articles/model.ts';
import type { ArticleStore } from './store.ts';

export type Found = { article: Article } | { article: null; reason: 'ambiguous' | 'unknown' };

export function findArticle(store: ArticleStore, ref: string): Found {
  const trimmed = ref.trim();
  let article = store.get(trimmed);
  if (!article && /^https?:\/\//i.test(trimmed)) {
    try {
      article = store.get(articleId({ url: trimmed, source: null, title: '' }));
    } catch {
      // Not a valid URL after all: fall through to "unknown".
    }
  }
  if (!article && /^[0-9a-f]{4,15}$/.test(trimmed)) {
    const ids = store.idsWithPrefix(trimmed, 2);
    if (ids.length > 1) return { article: null, reason: 'ambiguous' };
    if (ids[0]) article = store.get(ids[0]);
  }
  return article ? { article } : { article: null, reason: 'unknown' };
}
