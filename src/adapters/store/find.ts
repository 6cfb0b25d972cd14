/** Finds an article from what a person typed: its id, a unique id prefix, or its URL. */
import { articleId, type Article } from '../../core/model.ts';
import type { ArticleStore } from './store.ts';

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
  if (!article && isHex(trimmed) && trimmed.length <= ID_LENGTH) {
    // Ids are stored in lower case; an id copied from somewhere that upper-cases hex is the same id.
    const id = trimmed.toLowerCase();
    if (id.length < MIN_ID_PREFIX) return { article: null, reason: 'short' };
    article = store.get(id);
    if (!article) {
      const ids = store.idsWithPrefix(id, 2);
      if (ids.length > 1) return { article: null, reason: 'ambiguous' };
      if (ids[0]) article = store.get(ids[0]);
    }
  }
  return article ? { article } : { article: null, reason: 'unknown' };
}
