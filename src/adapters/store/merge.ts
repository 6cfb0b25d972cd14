/**
 * How an article stored again merges with the stored copy, the same on both backends (SQLite's
 * store.ts, PostgreSQL's postgres/articles.ts): each backend reads the stored rows and writes what
 * these functions decide, in its own SQL.
 */
import type { Article, Comment } from '../../core/model.ts';
import { blocksNow, paragraphsNow } from './layout.ts';
import { type ArticleColumns, type ArticleRow, type CommentColumns, type CommentRow, articleColumns, commentColumns } from './rows.ts';

/** Article fields a new copy may lack (null): the stored value stays. */
const SCALARS = ['url', 'source', 'author', 'published_at', 'language', 'declared_comment_count', 'comments_url', 'categories'] as const;
/** Comment fields a new copy may lack (null): the stored value stays. */
const COMMENT_SCALARS = ['number', 'author', 'author_id', 'posted_at', 'rating', 'reply_to', 'url', 'edited_at'] as const;

/**
 * The columns to store for `article` over the stored `old`: fields the new copy lacks keep their
 * stored values, an empty body keeps the stored body, and the first ingest time stays. `changed`
 * says whether any column differs from the stored row.
 */
export function mergeArticle(old: ArticleRow, article: Article): { merged: ArticleColumns; changed: boolean } {
  const cols = articleColumns(article);
  // A row stored as JSON compares in the form it would be written in now: the same article again is no change.
  const stored = { ...old, blocks: blocksNow(old.blocks, old.body_text) };
  const merged: ArticleColumns = { ...cols, ingested_at: old.ingested_at };
  for (const key of SCALARS) (merged[key] as unknown) = cols[key] ?? old[key];
  if (article.body.length === 0) {
    merged.blocks = stored.blocks;
    merged.body_text = old.body_text;
  }
  return { merged, changed: differs(merged, stored) };
}

/** One write of a comment merge: a new comment at `position` (after the stored ones), or a stored one changed. */
export type CommentWrite =
  | { readonly kind: 'insert'; readonly cols: CommentColumns; readonly position: number }
  | { readonly kind: 'update'; readonly cols: CommentColumns; readonly old: CommentRow };

/**
 * The writes that merge `comments` into the article's `stored` comments by id, in the order of
 * `comments`: new ones go after the stored ones, changed ones are updated (fields the new copy lacks
 * keep their stored values), unchanged ones need nothing, and none is dropped.
 */
export function commentWrites(stored: readonly CommentRow[], comments: readonly Comment[]): CommentWrite[] {
  const existing = new Map(stored.map((r) => [r.id, r]));
  let position = existing.size;
  const writes: CommentWrite[] = [];
  for (const c of comments) {
    const cols = commentColumns(c);
    const old = existing.get(c.id);
    if (!old) {
      writes.push({ kind: 'insert', cols, position: position++ });
      continue;
    }
    for (const key of COMMENT_SCALARS) (cols[key] as unknown) = cols[key] ?? old[key];
    if (differs(cols, { ...old, paragraphs: paragraphsNow(old.paragraphs, old.text) })) writes.push({ kind: 'update', cols, old });
  }
  return writes;
}

function differs<C extends object>(cols: C, old: C): boolean {
  return (Object.keys(cols) as (keyof C)[]).some((k) => cols[k] !== old[k]);
}
