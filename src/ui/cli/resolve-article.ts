/** Finds an article from what a person typed, or stops with a usage error that says why not. */
import type { Article } from '../../core/model.ts';
import { MIN_ID_PREFIX, findArticle } from '../../adapters/store/find.ts';
import type { ArticleStore } from '../../adapters/store/store.ts';
import { UsageError } from './context.ts';

export function resolveArticle(store: ArticleStore, ref: string): Article {
  const found = findArticle(store, ref);
  if (found.article) return found.article;
  const trimmed = ref.trim();
  if (found.reason === 'short') throw new UsageError(`"${trimmed}": an id prefix needs at least ${MIN_ID_PREFIX} hex digits (see \`paperboy list\` for ids)`);
  if (found.reason === 'ambiguous') throw new UsageError(`"${trimmed}" matches more than one article id; give more of it`);
  throw new UsageError(`no article with id or URL "${trimmed}" (try \`paperboy list\` or \`paperboy search\`)`);
}
