/** Finds an article from what a person typed: its id, a unique id prefix, or its URL. */
import { articleId } from '../articles/model.ts';
import type { Article } from '../articles/model.ts';
import type { ArticleStore } from '../store/store.ts';
import { UsageError } from './context.ts';

export function resolveArticle(store: ArticleStore, ref: string): Article {
  const trimmed = ref.trim();
  let article = store.get(trimmed);
  if (!article && /^https?:\/\//i.test(trimmed)) {
    try {
      article = store.get(articleId({ url: trimmed, source: null, title: '' }));
    } catch {
      // Not a valid URL after all: fall through to the plain "not found".
    }
  }
  if (!article && /^[0-9a-f]{4,15}$/.test(trimmed)) {
    const ids = store.idsWithPrefix(trimmed, 2);
    if (ids.length > 1) throw new UsageError(`"${trimmed}" matches more than one article id; give more of it`);
    if (ids[0]) article = store.get(ids[0]);
  }
  if (!article) throw new UsageError(`no article with id or URL "${trimmed}" (try \`paperboy list\` or \`paperboy search\`)`);
  return article;
}
