/**
 * Finding an article from what a person typed (its id, a unique id prefix, or its URL): the one
 * use case /article, /summarize, /quote and the CLI's show, quote, summarize and digest share.
 */
import type { Store } from '../../adapters/store/contract.ts';
import { UserError } from '../../core/errors.ts';
import { articleId, type Article } from '../../core/model.ts';

/** Ids are 16 lower-case hex digits (articleId); a prefix shorter than this matches too much to be meant. */
export const MIN_ID_PREFIX = 4;
const ID_LENGTH = 16;

/**
 * `short`: hex digits too few to be an id prefix (a person who pasted part of an id wants to hear
 * that, not "no article"); `ambiguous`: a prefix of more than one id; `unknown`: nothing matches.
 */
export type Found = { article: Article } | { article: null; reason: 'short' | 'ambiguous' | 'unknown' };

/** Only hex digits, of any case, with nothing else: what a pasted id or id prefix looks like. */
function isHex(text: string): boolean {
  return text.length > 0 && /^[0-9a-f]+$/i.test(text);
}

/** The article `ref` names: its id, a unique id prefix (of MIN_ID_PREFIX hex digits or more), or its URL. */
export async function findArticle(store: Store, ref: string): Promise<Found> {
  const trimmed = ref.trim();
  let article = await store.get(trimmed);
  if (!article && /^https?:\/\//i.test(trimmed)) {
    let id: string | null = null;
    try {
      id = articleId({ url: trimmed, source: null, title: '' });
    } catch {
      // Not a valid URL after all: fall through to "unknown".
    }
    if (id !== null) article = await store.get(id);
  }
  if (!article && isHex(trimmed) && trimmed.length <= ID_LENGTH) {
    // Ids are stored in lower case; an id copied from somewhere that upper-cases hex is the same id.
    const id = trimmed.toLowerCase();
    if (id.length < MIN_ID_PREFIX) return { article: null, reason: 'short' };
    article = await store.get(id);
    if (!article) {
      const ids = await store.idsWithPrefix(id, 2);
      if (ids.length > 1) return { article: null, reason: 'ambiguous' };
      if (ids[0]) article = await store.get(ids[0]);
    }
  }
  return article ? { article } : { article: null, reason: 'unknown' };
}

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
export async function requireArticle(store: Store, ref: string): Promise<Article> {
  const found = await findArticle(store, ref);
  if (found.article) return found.article;
  throw new ArticleNotFound(found.reason === 'short' ? 'too-short' : found.reason === 'ambiguous' ? 'ambiguous' : 'not-found', ref.trim());
}

/** A stored article by its exact id, as a button carries it; a UserError when it has gone since. */
export async function storedArticle(store: Store, id: string): Promise<Article> {
  const article = await store.get(id);
  if (!article) throw new UserError('stale', 'That article is no longer stored.');
  return article;
}
