/** Rows ⇄ the Article model: the one place that knows how an Article is laid out in tables. */
import { z } from 'zod';
import type { Article, Comment, CommentQuote } from '../../core/model.ts';
import { MAX_CATEGORIES, MAX_CATEGORY_CHARS, bodyText, commentText } from '../../core/model.ts';
import { LayoutMismatch, blocksFrom, blocksLayout, paragraphsFrom, paragraphsLayout } from './layout.ts';
import { InvalidStateRow, jsonColumn, validRow } from './state-schemas.ts';

/** The categories column as the model takes it: a filter reads each one, so a damaged row is named, not read as anything. */
const CATEGORIES = z.array(z.string().min(1).max(MAX_CATEGORY_CHARS)).max(MAX_CATEGORIES);

export interface ArticleRow {
  rowid: number;
  id: string;
  title: string;
  url: string | null;
  source: string | null;
  author: string | null;
  published_at: string | null;
  language: string | null;
  /** How body_text splits into the blocks (layout.ts); JSON in rows written before that. */
  blocks: string;
  body_text: string;
  declared_comment_count: number | null;
  comments_url: string | null;
  /** A JSON array of the feed's categories; null when it gave none. */
  categories: string | null;
  ingested_at: string;
  updated_at: string;
}

export interface CommentRow {
  rowid: number;
  article_rowid: number;
  id: string;
  position: number;
  number: number | null;
  author: string | null;
  author_id: string | null;
  posted_at: string | null;
  rating: number | null;
  /** How text splits into the paragraphs (layout.ts); JSON in rows written before that. */
  paragraphs: string;
  quotes: string;
  reply_to: string | null;
  text: string;
  url: string | null;
  edited_at: string | null;
  /** 1 when deleted at its source, else 0. */
  deleted: number;
}

export type ArticleColumns = Omit<ArticleRow, 'rowid' | 'updated_at'>;
export type CommentColumns = Omit<CommentRow, 'rowid' | 'article_rowid' | 'position'>;

export function articleColumns(a: Article): ArticleColumns {
  const text = bodyText(a);
  return {
    id: a.id,
    title: a.title,
    url: a.url,
    source: a.source,
    author: a.author,
    published_at: a.publishedAt,
    language: a.language,
    blocks: blocksLayout(a.body, text),
    body_text: text,
    declared_comment_count: a.declaredCommentCount,
    comments_url: a.commentsUrl,
    categories: a.categories && a.categories.length > 0 ? JSON.stringify(a.categories) : null,
    ingested_at: a.ingestedAt,
  };
}

export function commentColumns(c: Comment): CommentColumns {
  const text = commentText(c);
  return {
    id: c.id,
    number: c.number,
    author: c.author,
    author_id: c.authorId,
    posted_at: c.postedAt,
    rating: c.rating,
    paragraphs: paragraphsLayout(c.paragraphs, text),
    quotes: JSON.stringify(c.quotes),
    reply_to: c.replyTo,
    text,
    url: c.url ?? null,
    edited_at: c.editedAt ?? null,
    deleted: c.deleted ? 1 : 0,
  };
}

/**
 * An article as the store's rows, made before it reaches the store: the ingest worker makes them
 * while it parses, so that the thread that stores does not (ArticleStore.upsertRows).
 */
export interface ArticleRows {
  readonly article: ArticleColumns;
  readonly comments: readonly CommentColumns[];
}

export function articleRows(a: Article): ArticleRows {
  return { article: articleColumns(a), comments: a.comments.map(commentColumns) };
}

/**
 * The article `rows` were made from, for merging with a stored copy. Exact: a layout gives back
 * the parts it came from, so articleRows of the answer are `rows` again, and the merge decides as
 * it would have on the article itself.
 */
export function articleFromRows(rows: ArticleRows): Article {
  const { article } = rows;
  return toArticle(
    { ...article, rowid: 0, updated_at: article.ingested_at },
    rows.comments.map((c, position) => ({ ...c, rowid: 0, article_rowid: 0, position })),
  );
}

export function toComment(r: CommentRow): Comment {
  return {
    id: r.id,
    number: r.number,
    author: r.author,
    authorId: r.author_id,
    postedAt: r.posted_at,
    rating: r.rating,
    paragraphs: laidOut(() => paragraphsFrom(r.paragraphs, r.text), 'comments', `${r.id} of article row ${r.article_rowid}`),
    quotes: JSON.parse(r.quotes) as CommentQuote[],
    replyTo: r.reply_to,
    // Only what the source said: a comment without them reads back as it was stored.
    ...(r.url !== null && { url: r.url }),
    ...(r.edited_at !== null && { editedAt: r.edited_at }),
    ...(r.deleted === 1 && { deleted: true }),
  };
}

export function toArticle(r: ArticleRow, comments: readonly CommentRow[]): Article {
  return {
    id: r.id,
    title: r.title,
    url: r.url,
    source: r.source,
    author: r.author,
    publishedAt: r.published_at,
    language: r.language,
    body: laidOut(() => blocksFrom(r.blocks, r.body_text), 'articles', r.id),
    comments: comments.map(toComment),
    declaredCommentCount: r.declared_comment_count,
    commentsUrl: r.comments_url,
    ingestedAt: r.ingested_at,
    // Only what the source said: an article stored without categories reads back without them.
    ...(r.categories !== null && { categories: categoriesOf(r.categories, r.id) }),
  };
}

/** The parts a layout column gives back; an InvalidStateRow naming the row when they do not fit its text. */
function laidOut<T>(read: () => T, table: string, key: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof LayoutMismatch) throw new InvalidStateRow(table, key, error.message);
    throw error;
  }
}

/** The categories column read back; an InvalidStateRow naming the article when it is not a list of categories. */
function categoriesOf(text: string, id: string): string[] {
  return validRow(CATEGORIES, jsonColumn(text, 'articles', id, 'categories'), 'articles', id);
}
