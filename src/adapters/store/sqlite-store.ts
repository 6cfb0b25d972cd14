/**
 * The SQLite store behind the async interface (contract.ts). better-sqlite3 answers synchronously,
 * so each call here runs the engine's statement and resolves with its answer; an error rejects.
 * `engine` is the synchronous ArticleStore itself, for what only SQLite has (its file, the bot's
 * state tables in the same file).
 */
import type { Article } from '../../core/model.ts';
import type { ArticleSummary, Store, StoreCopier, StoredArticle, StorePositions, UpsertStatus } from './contract.ts';
import type { Db, OpenOptions } from './db.ts';
import type { Positioned } from './positions.ts';
import type { SearchOptions, SearchResult } from './search.ts';
import { ArticleStore } from './store.ts';
import type { Suggestion } from './suggest.ts';

/** `run`'s answer as a promise; what it throws rejects it (a Promise executor that throws rejects). */
function settle<T>(run: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(run()));
}

export class SqliteStore implements Store, StoreCopier {
  readonly backend = 'sqlite' as const;
  readonly positions: StorePositions;

  constructor(readonly engine: ArticleStore) {
    const p = engine.positions;
    this.positions = {
      last: () => settle(() => p.last()),
      after: (position, limit): Promise<Positioned[]> => settle(() => p.after(position, limit)),
      before: (position, limit): Promise<Positioned[]> => settle(() => p.before(position, limit)),
      updatedSince: (since, position, limit) => settle(() => p.updatedSince(since, position, limit)),
    };
  }

  /** Opens (and migrates) the database file at `path` (ArticleStore.open). */
  static open(path: string, options: OpenOptions = {}): SqliteStore {
    return new SqliteStore(ArticleStore.open(path, options));
  }

  /** The SQLite connection, where the bot's state and keyv live beside the articles. */
  get db(): Db {
    return this.engine.db;
  }

  upsert(article: Article, now?: Date): Promise<UpsertStatus> {
    return settle(() => this.engine.upsert(article, now));
  }

  upsertMany(articles: readonly Article[], now?: Date): Promise<UpsertStatus[]> {
    return settle(() => this.engine.upsertMany(articles, now));
  }

  get(id: string): Promise<Article | null> {
    return settle(() => this.engine.get(id));
  }

  delete(id: string): Promise<boolean> {
    return settle(() => this.engine.delete(id));
  }

  deleteComment(articleId: string, commentId: string): Promise<boolean> {
    return settle(() => this.engine.deleteComment(articleId, commentId));
  }

  list(options: { limit?: number; offset?: number } = {}): Promise<ArticleSummary[]> {
    return settle(() => this.engine.list(options));
  }

  idsWithPrefix(prefix: string, limit: number): Promise<string[]> {
    return settle(() => this.engine.idsWithPrefix(prefix, limit));
  }

  count(): Promise<number> {
    return settle(() => this.engine.count());
  }

  // Nothing to await: better-sqlite3 reads each row synchronously as the caller's loop asks for it.
  // eslint-disable-next-line @typescript-eslint/require-await
  async *all(): AsyncGenerator<Article> {
    yield* this.engine.all();
  }

  search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    return settle(() => this.engine.search(query, options));
  }

  suggest(typed: string, limit: number): Promise<Suggestion[]> {
    return settle(() => this.engine.suggest(typed, limit));
  }

  close(): Promise<void> {
    return settle(() => this.engine.close());
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async *allStored(after = 0): AsyncGenerator<StoredArticle> {
    yield* this.engine.allStored(after);
  }

  restore(records: readonly StoredArticle[]): Promise<void> {
    return settle(() => this.engine.restore(records));
  }

  countComments(): Promise<number> {
    return settle(() => this.engine.countComments());
  }

  copyNote(): Promise<string | null> {
    return settle(() => this.engine.copyNote());
  }

  setCopyNote(note: string | null): Promise<void> {
    return settle(() => this.engine.setCopyNote(note));
  }
}
