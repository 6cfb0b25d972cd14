/**
 * The article store as the rest of Paperboy sees it: one async interface, two implementations with
 * their SQL inside them (SQLite, the embedded default, in sqlite-store.ts; PostgreSQL in
 * postgres/articles.ts). Every method is async so that a networked database can stand behind it;
 * both give the same answers to the same calls (test/store-backends.test.ts runs one suite on both).
 */
import type { Article } from '../../core/model.ts';
import type { Positioned } from './positions.ts';
import type { SearchOptions, SearchResult } from './search.ts';
import type { Suggestion } from './suggest.ts';

export type { Positioned } from './positions.ts';
export type { CommentRef, Order, Scope, SearchHit, SearchOptions, SearchResult } from './search.ts';
export type { Suggestion } from './suggest.ts';

export type UpsertStatus = 'added' | 'updated' | 'unchanged';
export type Backend = 'sqlite' | 'postgres';

/** Where parsed articles go: the store, in practice (ingest writes to anything of this shape). */
export interface ArticleSink {
  /** Stores many articles in one transaction: the fast path for bulk ingest. */
  upsertMany(articles: readonly Article[], now?: Date): Promise<UpsertStatus[]>;
  upsert(article: Article, now?: Date): Promise<UpsertStatus>;
}

export interface ArticleSummary {
  id: string;
  title: string;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  ingestedAt: string;
  /** Comments stored. */
  comments: number;
  /** Comments the source said it had. */
  declaredCommentCount: number | null;
}

/**
 * Each article's place in the order it was first stored (updates keep it). Delivery walks the store
 * by position, so "what is new since" is one indexed range.
 */
export interface StorePositions {
  /** The highest position (0 when the store is empty). */
  last(): Promise<number>;
  /** Articles stored after `position`, in order, at most `limit`. */
  after(position: number, limit: number): Promise<Positioned[]>;
  /** Articles stored before `position`, newest first, at most `limit`. */
  before(position: number, limit: number): Promise<Positioned[]>;
  /** Ids of articles at or before `position` changed after `since` (ISO time), oldest change first. */
  updatedSince(since: string, position: number, limit: number): Promise<string[]>;
}

export interface Store extends ArticleSink {
  readonly backend: Backend;
  /** Articles by the order they were first stored in: what delivery walks. */
  readonly positions: StorePositions;
  /**
   * Stores an article. The same article again (same id) is updated in place: fields the new copy
   * lacks keep their stored values, comments are merged by id (new ones appended, changed ones
   * updated, none dropped).
   */
  upsert(article: Article, now?: Date): Promise<UpsertStatus>;
  get(id: string): Promise<Article | null>;
  /** Deletes an article with its comments. */
  delete(id: string): Promise<boolean>;
  deleteComment(articleId: string, commentId: string): Promise<boolean>;
  /** Newest first (published time, else ingest time). */
  list(options?: { limit?: number; offset?: number }): Promise<ArticleSummary[]>;
  /** Ids starting with `prefix` (hex), at most `limit`. */
  idsWithPrefix(prefix: string, limit: number): Promise<string[]>;
  count(): Promise<number>;
  /** Every article with its comments, oldest stored first, one at a time (memory stays flat). */
  all(): AsyncIterable<Article>;
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /** Up to `limit` titles matching what was typed so far (newest articles when nothing was typed). */
  suggest(typed: string, limit: number): Promise<Suggestion[]>;
  /** Ends the store's connections; waits for the queries under way. */
  close(): Promise<void>;
}

/** An article as stored: with the position delivery cursors refer to and its last change time. */
export interface StoredArticle {
  readonly article: Article;
  /** Its place in the store's order (StorePositions): kept by a copy, since subscriptions' cursors are positions. */
  readonly position: number;
  /** When it last changed (delivery looks for changes after its last check by this time). */
  readonly updatedAt: string;
}

/**
 * What `paperboy copy` needs of a store besides Store: its articles with their stored metadata, out
 * and back in unchanged. Both backends implement it.
 */
export interface StoreCopier {
  /** Articles stored after `position` with their metadata, in position order, a page at a time. */
  allStored(after?: number): AsyncIterable<StoredArticle>;
  /**
   * Writes `records` as they were stored (ids, positions, ingest and change times, comments in order)
   * in one transaction: all of them or none. A record whose id or position is already here fails it.
   * Positions given here are never handed out again to new articles.
   */
  restore(records: readonly StoredArticle[]): Promise<void>;
  /** Comments stored, all articles together. */
  countComments(): Promise<number>;
  /** A note the copy keeps in the destination while it is under way (null when none), so an interrupted copy is told from foreign data. */
  copyNote(): Promise<string | null>;
  setCopyNote(note: string | null): Promise<void>;
}

/** The kv key of that note: keyv's keys all start with a namespace and ':', so none is this one. */
export const COPY_NOTE = 'paperboy copy';
