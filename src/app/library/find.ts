/**
 * Finding an article from what a person typed (its id, a unique id prefix, or its URL): the one
 * use case /article, /summarize, /quote and the CLI's show, quote, summarize and digest share.
 */
import { MIN_ID_PREFIX, findArticle } from '../../adapters/store/find.ts';
import type { ArticleStore } from '../../adapters/store/store.ts';
import { UserError } from '../../core/errors.ts';
import type { Article } from '../../core/model.ts';

export { MIN_ID_PREFIX };

/**
 * No article for what was typed. `code` says why: `too-short` (hex digits too few to be an id
 * prefix), `ambiguous` (a prefix of several ids), `not-found`. Front ends word it for their medium
 * (Discord points at the title list, the CLI at `paperboy list`); `ref` is what was typed, trimmed.
 */
export class ArticleNotFound extends UserError {
  override readonly name = 'ArticleNotFound';

  constructor(
    override readonly code: 'too-short' | 'ambiguous' | 'not-found',
    readonly ref: string,
  ) {
    super(code, ArticleNotFound.describe(code, ref));
  }

  private static describe(code: ArticleNotFound['code'], ref: string): string {
    if (code === 'too-short') return `"${ref}" is too short for an article id: an id prefix needs at least ${MIN_ID_PREFIX} hex digits`;
    if (code === 'ambiguous') return `more than one article id starts with "${ref}"`;
    return `no article with id or URL "${ref}"`;
  }
}

/** The article `ref` names; an ArticleNotFound saying why when there is none. */
export function requireArticle(store: ArticleStore, ref: string): Article {
  const found = findArticle(store, ref);
  if (found.article) return found.article;
  throw new ArticleNotFound(found.reason === 'short' ? 'too-short' : found.reason === 'ambiguous' ? 'ambiguous' : 'not-found', ref.trim());
}

/** A stored article by its exact id, as a button carries it; a UserError when it has gone since. */
export function storedArticle(store: ArticleStore, id: string): Article {
  const article = store.get(id);
  if (!article) throw new UserError('stale', 'That article is no longer stored.');
  return article;
}
