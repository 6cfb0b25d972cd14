/**
 * The SQLite article store: the only module that knows its SQL. Articles go in whole and come out whole;
 * re-ingesting an article updates it in place and merges its comments by identity.
 */
import type { Article, Comment } from '../../core/model.ts';
import { type ArticleSummary, COPY_NOTE, type StoredArticle, type UpsertStatus } from './contract.ts';
import { type Db, type OpenOptions, openDatabase } from './db.ts';
import { type FtsWriter, ftsWriter } from './fts.ts';
import { commentWrites, mergeArticle } from './merge.ts';
import {
  type ArticleColumns,
  type ArticleRow,
  type ArticleRows,
  type CommentColumns,
  type CommentRow,
  articleColumns,
  articleFromRows,
  articleRows,
  commentColumns,
  toArticle,
} from './rows.ts';
import { type SearchOptions, type SearchResult, search } from './search.ts';
import { type Suggestion, titleSuggester } from './suggest.ts';
import { type Positions, positions } from './positions.ts';

export type { ArticleSummary, UpsertStatus } from './contract.ts';

/**
 * The SQLite engine, synchronous as better-sqlite3 is. The rest of Paperboy reaches it through the
 * async Store interface (SqliteStore, sqlite-store.ts); its own tests and the benchmarks use it directly.
 */
export class ArticleStore {
  readonly db: Db;
  /** Articles by the order they were first stored in: what delivery walks. */
  readonly positions: Positions;
  private readonly suggestTitles: (typed: string, limit: number) => Suggestion[];
  private readonly stmts;
  private readonly fts: FtsWriter;

  constructor(db: Db) {
    this.db = db;
    this.fts = ftsWriter(db);
    this.positions = positions(db);
    this.suggestTitles = titleSuggester(db);
    this.stmts = {
      articleById: db.prepare<[string], ArticleRow>('SELECT * FROM articles WHERE id = ?'),
      commentsOf: db.prepare<[number], CommentRow>('SELECT * FROM comments WHERE article_rowid = ? ORDER BY position'),
      insertArticle: db.prepare<[ArticleColumns & { updated_at: string }]>(
        `INSERT INTO articles (id, title, url, source, author, published_at, language, blocks, body_text, declared_comment_count, comments_url, categories, ingested_at, updated_at)
         VALUES (@id, @title, @url, @source, @author, @published_at, @language, @blocks, @body_text, @declared_comment_count, @comments_url, @categories, @ingested_at, @updated_at)`,
      ),
      updateArticle: db.prepare<[ArticleColumns & { rowid: number; updated_at: string }]>(
        `UPDATE articles SET title = @title, url = @url, source = @source, author = @author, published_at = @published_at,
           language = @language, blocks = @blocks, body_text = @body_text, declared_comment_count = @declared_comment_count, comments_url = @comments_url,
           categories = @categories, updated_at = @updated_at
         WHERE rowid = @rowid`,
      ),
      insertComment: db.prepare<[CommentColumns & { article_rowid: number; position: number }]>(
        `INSERT INTO comments (article_rowid, id, position, number, author, author_id, posted_at, rating, paragraphs, quotes, reply_to, text, url, edited_at, deleted)
         VALUES (@article_rowid, @id, @position, @number, @author, @author_id, @posted_at, @rating, @paragraphs, @quotes, @reply_to, @text, @url, @edited_at, @deleted)`,
      ),
      updateComment: db.prepare<[CommentColumns & { rowid: number }]>(
        `UPDATE comments SET number = @number, author = @author, author_id = @author_id, posted_at = @posted_at, rating = @rating,
           paragraphs = @paragraphs, quotes = @quotes, reply_to = @reply_to, text = @text, url = @url, edited_at = @edited_at, deleted = @deleted
         WHERE rowid = @rowid`,
      ),
      deleteArticle: db.prepare<[number]>('DELETE FROM articles WHERE rowid = ?'),
      touch: db.prepare<[string, number]>('UPDATE articles SET updated_at = ? WHERE rowid = ?'),
      deleteComment: db.prepare<[number]>('DELETE FROM comments WHERE rowid = ?'),
      summaries: db.prepare<[number, number], ArticleSummary>(
        `SELECT a.id, a.title, a.url, a.source, a.published_at AS publishedAt, a.ingested_at AS ingestedAt,
           (SELECT count(*) FROM comments c WHERE c.article_rowid = a.rowid) AS comments,
           a.declared_comment_count AS declaredCommentCount
         FROM articles a ORDER BY coalesce(a.published_at, a.ingested_at) DESC, a.rowid DESC LIMIT ? OFFSET ?`,
      ),
      articlesAfter: db.prepare<[number, number], ArticleRow>('SELECT * FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?'),
      idsWithPrefix: db.prepare<[{ prefix: string; limit: number }], { id: string }>(
        "SELECT id FROM articles WHERE id >= @prefix AND id < @prefix || 'g' ORDER BY id LIMIT @limit",
      ),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM articles'),
      restoreArticle: db.prepare<[ArticleColumns & { rowid: number; updated_at: string }]>(
        `INSERT INTO articles (rowid, id, title, url, source, author, published_at, language, blocks, body_text, declared_comment_count, comments_url, categories, ingested_at, updated_at)
         VALUES (@rowid, @id, @title, @url, @source, @author, @published_at, @language, @blocks, @body_text, @declared_comment_count, @comments_url, @categories, @ingested_at, @updated_at)`,
      ),
      countComments: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM comments'),
      copyNote: db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?'),
      setCopyNote: db.prepare<[string, string]>('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      clearCopyNote: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
    };
  }

  /**
   * Opens (and migrates) the database file at `path`. `readOnly`, for reading commands, opens an
   * existing file read-only, but upgrades it first when it is from an older Paperboy and may be
   * written here (db.ts), so the first command after installing a new Paperboy answers.
   */
  static open(path: string, options: OpenOptions = {}): ArticleStore {
    return new ArticleStore(openDatabase(path, options));
  }

  close(): void {
    this.db.close();
  }

  /**
   * Stores an article. The same article again (same id, derived from URL or source and title)
   * is updated in place: fields the new copy lacks keep their stored values, comments are merged
   * by id (new ones appended, changed ones updated, none dropped).
   */
  upsert(article: Article, now: Date = new Date()): UpsertStatus {
    return this.db.transaction(() => this.upsertInTransaction(article, now.toISOString())).immediate();
  }

  // Write transactions start IMMEDIATE: one that begins by reading and then writes cannot wait for
  // another process's lock (SQLite answers SQLITE_BUSY at once), while BEGIN IMMEDIATE waits out
  // the busy timeout.

  /** Stores many articles in one transaction: the fast path for bulk ingest. */
  upsertMany(articles: readonly Article[], now: Date = new Date()): UpsertStatus[] {
    const at = now.toISOString();
    return this.db.transaction(() => articles.map((a) => this.upsertInTransaction(a, at))).immediate();
  }

  /**
   * Stores many articles given as their rows (articleRows), in one transaction: what upsertMany
   * does with the article they were made from, with the rows of a new article inserted as they
   * are. The ingest worker makes them while it parses (ingestFiles).
   */
  upsertRows(articles: readonly ArticleRows[], now: Date = new Date()): UpsertStatus[] {
    const at = now.toISOString();
    return this.db.transaction(() => articles.map((rows) => this.upsertRowsInTransaction(rows, at))).immediate();
  }

  private upsertInTransaction(article: Article, now: string): UpsertStatus {
    const old = this.stmts.articleById.get(article.id);
    if (!old) {
      this.insertArticle(articleRows(article), now);
      return 'added';
    }
    return this.mergeInTransaction(old, article, now);
  }

  private upsertRowsInTransaction(rows: ArticleRows, now: string): UpsertStatus {
    const old = this.stmts.articleById.get(rows.article.id);
    if (!old) {
      this.insertArticle(rows, now);
      return 'added';
    }
    // A stored copy merges as the article itself would (rare in a bulk ingest, so not worth a merge of its own on rows).
    return this.mergeInTransaction(old, articleFromRows(rows), now);
  }

  private insertArticle(rows: ArticleRows, now: string): void {
    const cols = rows.article;
    const rowid = Number(this.stmts.insertArticle.run({ ...cols, updated_at: now }).lastInsertRowid);
    this.fts.addArticle(rowid, cols.title, cols.body_text);
    rows.comments.forEach((c, position) => this.insertComment(rowid, c, position));
  }

  private mergeInTransaction(old: ArticleRow, article: Article, now: string): UpsertStatus {
    const { merged, changed: articleChanged } = mergeArticle(old, article);
    let changed = articleChanged;
    if (changed) {
      this.stmts.updateArticle.run({ ...merged, rowid: old.rowid, updated_at: now });
      if (merged.title !== old.title || merged.body_text !== old.body_text) {
        this.fts.removeArticle(old.rowid, old.title, old.body_text);
        this.fts.addArticle(old.rowid, merged.title, merged.body_text);
      }
    }
    if (this.mergeComments(old.rowid, article.comments)) {
      // New or changed comments count as a change to the article: delivery looks for them by this time.
      if (!changed) this.stmts.touch.run(now, old.rowid);
      changed = true;
    }
    return changed ? 'updated' : 'unchanged';
  }

  /** Returns whether any comment was added or changed. */
  private mergeComments(articleRowid: number, comments: readonly Comment[]): boolean {
    if (comments.length === 0) return false;
    const writes = commentWrites(this.stmts.commentsOf.all(articleRowid), comments);
    for (const w of writes) {
      if (w.kind === 'insert') {
        this.insertComment(articleRowid, w.cols, w.position);
        continue;
      }
      this.stmts.updateComment.run({ ...w.cols, rowid: w.old.rowid });
      if (w.cols.text !== w.old.text) {
        this.fts.removeComment(w.old.rowid, w.old.text);
        this.fts.addComment(w.old.rowid, w.cols.text);
      }
    }
    return writes.length > 0;
  }

  private insertComment(articleRowid: number, cols: CommentColumns, position: number): void {
    const rowid = Number(this.stmts.insertComment.run({ ...cols, article_rowid: articleRowid, position }).lastInsertRowid);
    this.fts.addComment(rowid, cols.text);
  }

  get(id: string): Article | null {
    const row = this.stmts.articleById.get(id);
    return row ? toArticle(row, this.stmts.commentsOf.all(row.rowid)) : null;
  }

  /** Deletes an article with its comments. */
  delete(id: string): boolean {
    return this.db
      .transaction(() => {
        const row = this.stmts.articleById.get(id);
        if (!row) return false;
        for (const c of this.stmts.commentsOf.all(row.rowid)) this.fts.removeComment(c.rowid, c.text);
        this.fts.removeArticle(row.rowid, row.title, row.body_text);
        // The comments go with it (ON DELETE CASCADE).
        this.stmts.deleteArticle.run(row.rowid);
        return true;
      })
      .immediate();
  }

  deleteComment(articleId: string, commentId: string): boolean {
    return this.db
      .transaction(() => {
        const row = this.stmts.articleById.get(articleId);
        const c = row && this.stmts.commentsOf.all(row.rowid).find((r) => r.id === commentId);
        if (!c) return false;
        this.fts.removeComment(c.rowid, c.text);
        this.stmts.deleteComment.run(c.rowid);
        return true;
      })
      .immediate();
  }

  /** Newest first (published time, else ingest time). */
  list(options: { limit?: number; offset?: number } = {}): ArticleSummary[] {
    return this.stmts.summaries.all(options.limit ?? -1, options.offset ?? 0);
  }

  /** Ids starting with `prefix` (hex), at most `limit`. */
  idsWithPrefix(prefix: string, limit: number): string[] {
    return this.stmts.idsWithPrefix.all({ prefix: prefix.toLowerCase(), limit }).map((r) => r.id);
  }

  count(): number {
    return this.stmts.count.get()?.n ?? 0;
  }

  /** Every article with its comments, oldest stored first, one at a time (memory stays flat). */
  *all(): Generator<Article> {
    // Read in pages: better-sqlite3 allows no other query on the connection while an iterator is
    // open, and comments need one per article.
    let after = 0;
    for (;;) {
      const rows = this.stmts.articlesAfter.all(after, 200);
      if (rows.length === 0) return;
      for (const row of rows) yield toArticle(row, this.stmts.commentsOf.all(row.rowid));
      after = rows[rows.length - 1]!.rowid;
    }
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    return search(this.db, query, options);
  }

  /** Up to `limit` titles matching what was typed so far (newest articles when nothing was typed). */
  suggest(typed: string, limit: number): Suggestion[] {
    return this.suggestTitles(typed, limit);
  }

  /** Articles stored after `position` with their positions and change times, in position order (StoreCopier). */
  *allStored(position = 0): Generator<StoredArticle> {
    let after = position;
    for (;;) {
      const rows = this.stmts.articlesAfter.all(after, 200);
      if (rows.length === 0) return;
      for (const row of rows) yield { article: toArticle(row, this.stmts.commentsOf.all(row.rowid)), position: row.rowid, updatedAt: row.updated_at };
      after = rows[rows.length - 1]!.rowid;
    }
  }

  /**
   * Writes articles as they were stored, positions (rowids) and times included, in one transaction
   * (StoreCopier). Comments keep their order. A rowid or id already here fails the whole batch.
   */
  restore(records: readonly StoredArticle[]): void {
    this.db
      .transaction(() => {
        for (const { article, position, updatedAt } of records) {
          const cols = articleColumns(article);
          this.stmts.restoreArticle.run({ ...cols, rowid: position, updated_at: updatedAt });
          this.fts.addArticle(position, cols.title, cols.body_text);
          article.comments.forEach((c, i) => this.insertComment(position, commentColumns(c), i));
        }
      })
      .immediate();
  }

  countComments(): number {
    return this.stmts.countComments.get()?.n ?? 0;
  }

  /** The note `paperboy copy` keeps here while it copies into this file (a row of kv outside keyv's namespaces). */
  copyNote(): string | null {
    return this.stmts.copyNote.get(COPY_NOTE)?.value ?? null;
  }

  setCopyNote(note: string | null): void {
    if (note === null) this.stmts.clearCopyNote.run(COPY_NOTE);
    else this.stmts.setCopyNote.run(COPY_NOTE, note);
  }
}
