/**
 * The discussions Paperboy follows at their source (Reddit, Hacker News, Discourse, comment feeds),
 * in the `discussions` table (discussions-schema.ts): one row per canonical address, with what the
 * sync needs between polls. Rows are checked when read, as every state row is (state-schemas.ts).
 */
import { z } from 'zod';
import type { DiscussionKind } from '../discussions/types.ts';
import type { Db } from './connection.ts';
import { asPromise, columns, jsonColumn, replaceInto, validRow } from './state-schemas.ts';

/** A followed discussion and what its syncs have learnt. */
export interface DiscussionState {
  /** The canonical address (the fetcher's `recognise`): the key. */
  readonly url: string;
  readonly kind: DiscussionKind;
  /** The stored article its comments go to: given when followed, or recorded by the first sync. */
  readonly articleId: string | null;
  /** The sync stored the discussion's own article (its title and text follow the source too). */
  readonly ownsArticle: boolean;
  readonly addedAt: string;
  /** Who asked to follow it (a Discord user id, or `cli`). */
  readonly addedBy: string | null;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly lastPolledAt: string | null;
  readonly lastOkAt: string | null;
  /** Comments the last fresh fetch held. */
  readonly comments: number;
  /** Comments the source announced that the last fresh fetch did not hold (unexpanded, over budget). */
  readonly missing: number;
  /** Ids seen at the source by the last syncs: one a complete fetch no longer holds was deleted there. */
  readonly commentIds: readonly string[];
  readonly failures: number;
  readonly lastError: string | null;
  /** Not polled before this time (backoff after failures, or when the host said). */
  readonly retryAt: string | null;
  /** Why it is not synced (null when it is). */
  readonly paused: string | null;
}

export interface DiscussionRepository {
  get(url: string): Promise<DiscussionState | null>;
  put(discussion: DiscussionState): Promise<void>;
  /**
   * Reads the discussion (null when there is none) and stores what `change` makes of it (nothing
   * when it returns null), atomically. `change` runs inside the transaction: it must not wait.
   */
  update(
    url: string,
    change: (current: DiscussionState | null) => DiscussionState | null,
  ): Promise<{ before: DiscussionState | null; after: DiscussionState | null }>;
  remove(url: string): Promise<boolean>;
  /** Every followed discussion, in URL order. */
  list(): Promise<DiscussionState[]>;
  /** The discussions whose comments go to the article `articleId`, in URL order. */
  ofArticle(articleId: string): Promise<DiscussionState[]>;
  /**
   * Up to `limit` discussions whose URL sorts after `after` (null: from the first), in the primary
   * key's own order: `paperboy copy` reads the table a page at a time (each row holds its comment ids).
   */
  page(after: string | null, limit: number): Promise<DiscussionState[]>;
  /** How many discussions are followed, counted by the database. */
  count(): Promise<number>;
}

/** The most discussions `page` returns at once: a row holds every comment id its discussion had. */
export const MAX_DISCUSSION_PAGE = 1000;

/** `limit` checked for `page`: a whole number from 1 to MAX_DISCUSSION_PAGE. */
export function discussionPageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DISCUSSION_PAGE) {
    throw new Error(`discussions: expected \`limit\` to be a whole number from 1 to ${MAX_DISCUSSION_PAGE}, got \`${limit}\``);
  }
  return limit;
}

const count = z.number().int().nonnegative();

export const DiscussionStateSchema: z.ZodType<DiscussionState> = z.strictObject({
  url: z.string().min(1),
  kind: z.enum(['reddit', 'hackernews', 'discourse', 'comment-feed']),
  articleId: z.string().min(1).nullable(),
  ownsArticle: z.boolean(),
  addedAt: z.string(),
  addedBy: z.string().nullable(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  lastPolledAt: z.string().nullable(),
  lastOkAt: z.string().nullable(),
  comments: count,
  missing: count,
  commentIds: z.array(z.string()),
  failures: count,
  lastError: z.string().nullable(),
  retryAt: z.string().nullable(),
  paused: z.string().nullable(),
});

interface DiscussionRow {
  url: string;
  kind: string;
  article_id: string | null;
  owns_article: number;
  added_at: string;
  added_by: string | null;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: string | null;
  last_ok_at: string | null;
  comments: number;
  missing: number;
  comment_ids: string;
  failures: number;
  last_error: string | null;
  retry_at: string | null;
  paused: string | null;
}

const TABLE = 'discussions';

const COLUMNS = columns<DiscussionRow>({
  url: true,
  kind: true,
  article_id: true,
  owns_article: true,
  added_at: true,
  added_by: true,
  etag: true,
  last_modified: true,
  last_polled_at: true,
  last_ok_at: true,
  comments: true,
  missing: true,
  comment_ids: true,
  failures: true,
  last_error: true,
  retry_at: true,
  paused: true,
});

function toRow(d: DiscussionState): DiscussionRow {
  return {
    url: d.url,
    kind: d.kind,
    article_id: d.articleId,
    owns_article: d.ownsArticle ? 1 : 0,
    added_at: d.addedAt,
    added_by: d.addedBy,
    etag: d.etag,
    last_modified: d.lastModified,
    last_polled_at: d.lastPolledAt,
    last_ok_at: d.lastOkAt,
    comments: d.comments,
    missing: d.missing,
    comment_ids: JSON.stringify(d.commentIds),
    failures: d.failures,
    last_error: d.lastError,
    retry_at: d.retryAt,
    paused: d.paused,
  };
}

function fromRow(r: DiscussionRow): DiscussionState {
  const value = {
    url: r.url,
    kind: r.kind,
    articleId: r.article_id,
    ownsArticle: r.owns_article === 1,
    addedAt: r.added_at,
    addedBy: r.added_by,
    etag: r.etag,
    lastModified: r.last_modified,
    lastPolledAt: r.last_polled_at,
    lastOkAt: r.last_ok_at,
    comments: r.comments,
    missing: r.missing,
    commentIds: jsonColumn(r.comment_ids, TABLE, r.url, 'comment_ids'),
    failures: r.failures,
    lastError: r.last_error,
    retryAt: r.retry_at,
    paused: r.paused,
  };
  return validRow(DiscussionStateSchema, value, TABLE, r.url);
}

function byUrl(a: DiscussionState, b: DiscussionState): number {
  return a.url.localeCompare(b.url);
}

/** A change that returned another discussion than the one asked for: a bug in the caller. */
export function checkSameUrl(url: string, after: DiscussionState | null): void {
  if (after && after.url !== url) throw new Error(`discussions: a change to ${url} returned the discussion ${after.url}`);
}

export class SqliteDiscussionRepository implements DiscussionRepository {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      write: db.prepare<[DiscussionRow]>(replaceInto(TABLE, COLUMNS)),
      get: db.prepare<[string], DiscussionRow>('SELECT * FROM discussions WHERE url = ?'),
      all: db.prepare<[], DiscussionRow>('SELECT * FROM discussions'),
      ofArticle: db.prepare<[string], DiscussionRow>('SELECT * FROM discussions WHERE article_id = ?'),
      delete: db.prepare<[string]>('DELETE FROM discussions WHERE url = ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM discussions'),
      first: db.prepare<[number], DiscussionRow>('SELECT * FROM discussions ORDER BY url LIMIT ?'),
      after: db.prepare<[string, number], DiscussionRow>('SELECT * FROM discussions WHERE url > ? ORDER BY url LIMIT ?'),
    };
  }

  private read(url: string): DiscussionState | null {
    const row = this.stmts.get.get(url);
    return row ? fromRow(row) : null;
  }

  get(url: string): Promise<DiscussionState | null> {
    return asPromise(() => this.read(url));
  }

  put(discussion: DiscussionState): Promise<void> {
    return asPromise(() => void this.stmts.write.run(toRow(discussion)));
  }

  update(
    url: string,
    change: (current: DiscussionState | null) => DiscussionState | null,
  ): Promise<{ before: DiscussionState | null; after: DiscussionState | null }> {
    return asPromise(() =>
      this.db
        .transaction(() => {
          const before = this.read(url);
          const after = change(before);
          checkSameUrl(url, after);
          if (after) this.stmts.write.run(toRow(after));
          return { before, after };
        })
        .immediate(),
    );
  }

  remove(url: string): Promise<boolean> {
    return asPromise(() => this.stmts.delete.run(url).changes > 0);
  }

  list(): Promise<DiscussionState[]> {
    return asPromise(() => this.stmts.all.all().map(fromRow).sort(byUrl));
  }

  ofArticle(articleId: string): Promise<DiscussionState[]> {
    return asPromise(() => this.stmts.ofArticle.all(articleId).map(fromRow).sort(byUrl));
  }

  page(after: string | null, limit: number): Promise<DiscussionState[]> {
    return asPromise(() => {
      const n = discussionPageLimit(limit);
      return (after === null ? this.stmts.first.all(n) : this.stmts.after.all(after, n)).map(fromRow);
    });
  }

  count(): Promise<number> {
    return asPromise(() => this.stmts.count.get()?.n ?? 0);
  }
}

/** The row form, shared with the PostgreSQL repository (postgres/discussions.ts), whose table has the same columns. */
export { COLUMNS as DISCUSSION_COLUMNS, fromRow as discussionFromRow, toRow as discussionToRow, byUrl as discussionsByUrl, type DiscussionRow };
