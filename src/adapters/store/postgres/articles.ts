/**
 * The PostgreSQL article store: the same behaviour as SQLite's (../store.ts), its SQL inside it.
 * Articles go in whole and come out whole; re-ingesting an article updates it in place and merges
 * its comments by identity (test/store-backends.test.ts runs one suite on both).
 *
 * Writes take one transaction-scoped advisory lock (ARTICLE_WRITES) first, so that writers run one
 * after the other as they do on SQLite. Two things depend on it: two processes storing the same
 * new article at once make one row with both copies' comments, and positions become visible in
 * order (a position taken by a transaction still open could otherwise commit after a higher one
 * that delivery has already walked past, and be missed for good).
 */
import type { Article, Comment } from '../../../core/model.ts';
import { type ArticleSummary, COPY_NOTE, type Store, type StoreCopier, type StoredArticle, type StorePositions, type UpsertStatus } from '../contract.ts';
import { commentWrites, mergeArticle } from '../merge.ts';
import { type ArticleColumns, type ArticleRow, type CommentColumns, type CommentRow, articleColumns, commentColumns, toArticle } from '../rows.ts';
import type { SearchOptions, SearchResult } from '../search-common.ts';
import type { Suggestion } from '../suggest.ts';
import { configFor } from './languages.ts';
import { type Client, type Pool, type PoolOptions, transaction } from './pool.ts';
import { postgresPositions, sqlLimit } from './positions.ts';
import { search } from './search.ts';
import { openMigratedPool } from './state.ts';
import { suggest } from './suggest.ts';

const ARTICLE_NAMES = [
  'id',
  'title',
  'url',
  'source',
  'author',
  'published_at',
  'language',
  'blocks',
  'body_text',
  'declared_comment_count',
  'comments_url',
  'categories',
  'ingested_at',
] as const satisfies readonly (keyof ArticleColumns)[];
const COMMENT_NAMES = [
  'id',
  'number',
  'author',
  'author_id',
  'posted_at',
  'rating',
  'paragraphs',
  'quotes',
  'reply_to',
  'text',
  'url',
  'edited_at',
  'deleted',
] as const satisfies readonly (keyof CommentColumns)[];

/** Each column's SQL type, for the arrays restore() sends. */
const ARTICLE_TYPES: Record<(typeof ARTICLE_NAMES)[number], string> = {
  id: 'text',
  title: 'text',
  url: 'text',
  source: 'text',
  author: 'text',
  published_at: 'text',
  language: 'text',
  blocks: 'text',
  body_text: 'text',
  declared_comment_count: 'int',
  comments_url: 'text',
  categories: 'text',
  ingested_at: 'text',
};
const COMMENT_TYPES: Record<(typeof COMMENT_NAMES)[number], string> = {
  id: 'text',
  number: 'int',
  author: 'text',
  author_id: 'text',
  posted_at: 'text',
  rating: 'int',
  paragraphs: 'text',
  quotes: 'text',
  reply_to: 'text',
  text: 'text',
  url: 'text',
  edited_at: 'text',
  deleted: 'int',
};

/** The lock every article write takes first ('pbaw' in ASCII). */
export const ARTICLE_WRITES = 0x70626177;

/** The row columns as SQLite's rows name them: `position` read as `rowid`. */
const ARTICLE_SELECT = `SELECT position AS rowid, ${ARTICLE_NAMES.join(', ')}, updated_at FROM articles`;
const COMMENT_SELECT = `SELECT rowid, article_position AS article_rowid, position, ${COMMENT_NAMES.join(', ')} FROM comments`;
/** Articles `all()` and `allStored()` read at a time. */
const PAGE = 200;

type Queryable = Pick<Pool | Client, 'query'>;

export type PostgresStoreOptions = PoolOptions;

export class PostgresStore implements Store, StoreCopier {
  readonly backend = 'postgres' as const;
  readonly positions: StorePositions;

  constructor(readonly pool: Pool) {
    this.positions = postgresPositions(pool);
  }

  upsert(article: Article, now: Date = new Date()): Promise<UpsertStatus> {
    return this.upsertMany([article], now).then((s) => s[0] ?? 'unchanged');
  }

  /** Stores many articles in one transaction: the fast path for bulk ingest. */
  upsertMany(articles: readonly Article[], now: Date = new Date()): Promise<UpsertStatus[]> {
    if (articles.length === 0) return Promise.resolve([]);
    const at = now.toISOString();
    return transaction(this.pool, async (client) => {
      await lockArticleWrites(client);
      const configs = [...new Set(articles.map((a) => configFor(a.language)))];
      await client.query('INSERT INTO search_configs (config) SELECT unnest($1::regconfig[]) ON CONFLICT DO NOTHING', [configs]);
      const statuses: UpsertStatus[] = [];
      for (const a of articles) statuses.push(await this.upsertInTransaction(client, a, at));
      return statuses;
    });
  }

  private async upsertInTransaction(client: Client, article: Article, now: string): Promise<UpsertStatus> {
    const old = await articleById(client, article.id);
    if (!old) {
      const cols = articleColumns(article);
      const values = ARTICLE_NAMES.map((k) => cols[k]);
      const { rows } = await client.query<{ position: number }>(
        `INSERT INTO articles (${ARTICLE_NAMES.join(', ')}, updated_at, ts_config)
         VALUES (${ARTICLE_NAMES.map((_, i) => `$${i + 1}`).join(', ')}, $${ARTICLE_NAMES.length + 1}, $${ARTICLE_NAMES.length + 2}::regconfig)
         RETURNING position`,
        [...values, now, configFor(cols.language)],
      );
      const position = rows[0]!.position;
      const config = configFor(cols.language);
      for (const [i, c] of article.comments.entries()) await insertComment(client, position, commentColumns(c), i, config);
      return 'added';
    }
    const { merged, changed: articleChanged } = mergeArticle(old, article);
    const config = configFor(merged.language);
    let changed = articleChanged;
    if (changed) {
      const set = ARTICLE_NAMES.filter((k) => k !== 'id' && k !== 'ingested_at');
      await client.query(
        `UPDATE articles SET ${set.map((k, i) => `${k} = $${i + 1}`).join(', ')}, updated_at = $${set.length + 1}, ts_config = $${set.length + 2}::regconfig
         WHERE position = $${set.length + 3}`,
        [...set.map((k) => merged[k]), now, config, old.rowid],
      );
      if (merged.language !== old.language) {
        await client.query('UPDATE comments SET ts_config = $1::regconfig WHERE article_position = $2 AND ts_config <> $1::regconfig', [config, old.rowid]);
      }
    }
    if (await mergeComments(client, old.rowid, article.comments, config)) {
      // New or changed comments count as a change to the article: delivery looks for them by this time.
      if (!changed) await client.query('UPDATE articles SET updated_at = $1 WHERE position = $2', [now, old.rowid]);
      changed = true;
    }
    return changed ? 'updated' : 'unchanged';
  }

  async get(id: string): Promise<Article | null> {
    const row = await articleById(this.pool, id);
    return row ? toArticle(row, await commentsOf(this.pool, row.rowid)) : null;
  }

  /** Deletes an article with its comments (ON DELETE CASCADE). */
  delete(id: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await lockArticleWrites(client);
      const { rowCount } = await client.query('DELETE FROM articles WHERE id = $1', [id]);
      return (rowCount ?? 0) > 0;
    });
  }

  deleteComment(articleId: string, commentId: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await lockArticleWrites(client);
      const { rowCount } = await client.query('DELETE FROM comments WHERE article_position = (SELECT position FROM articles WHERE id = $1) AND id = $2', [
        articleId,
        commentId,
      ]);
      return (rowCount ?? 0) > 0;
    });
  }

  /** Newest first (published time, else ingest time). */
  async list(options: { limit?: number; offset?: number } = {}): Promise<ArticleSummary[]> {
    const limit = sqlLimit(options.limit ?? -1);
    const { rows } = await this.pool.query<ArticleSummary>(
      `SELECT a.id, a.title, a.url, a.source, a.published_at AS "publishedAt", a.ingested_at AS "ingestedAt",
         (SELECT count(*)::int FROM comments c WHERE c.article_position = a.position) AS comments,
         a.declared_comment_count AS "declaredCommentCount"
       FROM articles a ORDER BY coalesce(a.published_at, a.ingested_at) DESC, a.position DESC LIMIT $1 OFFSET $2`,
      [limit, Math.max(options.offset ?? 0, 0)],
    );
    return rows;
  }

  /** Ids starting with `prefix` (hex), at most `limit`. */
  async idsWithPrefix(prefix: string, limit: number): Promise<string[]> {
    const p = prefix.toLowerCase();
    const { rows } = await this.pool.query<{ id: string }>("SELECT id FROM articles WHERE id >= $1 AND id < $1 || 'g' ORDER BY id LIMIT $2", [
      p,
      sqlLimit(limit),
    ]);
    return rows.map((r) => r.id);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
    return rows[0]?.n ?? 0;
  }

  /** Every article with its comments, oldest stored first, a page at a time (memory stays flat). */
  async *all(): AsyncGenerator<Article> {
    for await (const { article } of this.allStored()) yield article;
  }

  search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    return search(this.pool, query, options);
  }

  /** Up to `limit` titles matching what was typed so far (newest articles when nothing was typed). */
  suggest(typed: string, limit: number): Promise<Suggestion[]> {
    return suggest(this.pool, typed, limit);
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  /** Articles stored after `position` with their positions and change times, in position order (StoreCopier). */
  async *allStored(position = 0): AsyncGenerator<StoredArticle> {
    // A page at a time, its comments in one query: memory stays flat, and no query per article.
    let after = position;
    for (;;) {
      const { rows } = await this.pool.query<ArticleRow>(`${ARTICLE_SELECT} WHERE position > $1 ORDER BY position LIMIT $2`, [after, PAGE]);
      if (rows.length === 0) return;
      const comments = await this.pool.query<CommentRow>(`${COMMENT_SELECT} WHERE article_position = ANY($1::bigint[]) ORDER BY article_position, position`, [
        rows.map((r) => r.rowid),
      ]);
      const byArticle = new Map<number, CommentRow[]>();
      for (const c of comments.rows) {
        const list = byArticle.get(c.article_rowid);
        if (list) list.push(c);
        else byArticle.set(c.article_rowid, [c]);
      }
      for (const row of rows) yield { article: toArticle(row, byArticle.get(row.rowid) ?? []), position: row.rowid, updatedAt: row.updated_at };
      after = rows[rows.length - 1]!.rowid;
    }
  }

  /**
   * Writes articles as they were stored, positions and times included, in one transaction
   * (StoreCopier). The identity then continues after the highest position written, so an article
   * stored later gets a higher one than every copied article.
   */
  async restore(records: readonly StoredArticle[]): Promise<void> {
    if (records.length === 0) return;
    await transaction(this.pool, async (client) => {
      await lockArticleWrites(client);
      const configs = [...new Set(records.map((r) => configFor(r.article.language)))];
      await client.query('INSERT INTO search_configs (config) SELECT unnest($1::regconfig[]) ON CONFLICT DO NOTHING', [configs]);
      // One statement per table for the whole batch, each column sent as an array: a row at a time
      // took a round trip per article and per comment.
      const articles = records.map(({ article, position, updatedAt }) => ({ cols: articleColumns(article), position, updatedAt }));
      await client.query(
        `INSERT INTO articles (position, ${ARTICLE_NAMES.join(', ')}, updated_at, ts_config) OVERRIDING SYSTEM VALUE
         SELECT * FROM unnest($1::bigint[], ${ARTICLE_NAMES.map((k, i) => `$${i + 2}::${ARTICLE_TYPES[k]}[]`).join(', ')}, $${ARTICLE_NAMES.length + 2}::text[], $${ARTICLE_NAMES.length + 3}::regconfig[])`,
        [
          articles.map((a) => a.position),
          ...ARTICLE_NAMES.map((k) => articles.map((a) => a.cols[k])),
          articles.map((a) => a.updatedAt),
          articles.map((a) => configFor(a.cols.language)),
        ],
      );
      const comments = records.flatMap(({ article, position }) =>
        article.comments.map((c, i) => ({ article: position, position: i, config: configFor(article.language), cols: commentColumns(c) })),
      );
      if (comments.length > 0) {
        await client.query(
          `INSERT INTO comments (article_position, position, ts_config, ${COMMENT_NAMES.join(', ')})
           SELECT * FROM unnest($1::bigint[], $2::int[], $3::regconfig[], ${COMMENT_NAMES.map((k, i) => `$${i + 4}::${COMMENT_TYPES[k]}[]`).join(', ')})`,
          [
            comments.map((c) => c.article),
            comments.map((c) => c.position),
            comments.map((c) => c.config),
            ...COMMENT_NAMES.map((k) => comments.map((c) => c.cols[k])),
          ],
        );
      }
      const highest = Math.max(...records.map((r) => r.position));
      // Never lowered: positions once handed out are not handed out again.
      await client.query(
        `SELECT setval(pg_get_serial_sequence('articles', 'position'),
           GREATEST($1::bigint, coalesce(pg_sequence_last_value(pg_get_serial_sequence('articles', 'position')::regclass), 0)))`,
        [highest],
      );
    });
  }

  async countComments(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM comments');
    return rows[0]?.n ?? 0;
  }

  /** The note `paperboy copy` keeps here while it copies into this database (a kv row outside keyv's namespaces). */
  async copyNote(): Promise<string | null> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM kv WHERE key = $1', [COPY_NOTE]);
    return rows[0]?.value ?? null;
  }

  async setCopyNote(note: string | null): Promise<void> {
    if (note === null) await this.pool.query('DELETE FROM kv WHERE key = $1', [COPY_NOTE]);
    else
      await this.pool.query('INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = NULL', [
        COPY_NOTE,
        note,
      ]);
  }
}

/** Takes ARTICLE_WRITES for the rest of the transaction: article writers go one at a time (see the top of this file). */
async function lockArticleWrites(client: Client): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [ARTICLE_WRITES]);
}

async function articleById(db: Queryable, id: string): Promise<ArticleRow | undefined> {
  const { rows } = await db.query<ArticleRow>(`${ARTICLE_SELECT} WHERE id = $1`, [id]);
  return rows[0];
}

async function commentsOf(db: Queryable, position: number): Promise<CommentRow[]> {
  const { rows } = await db.query<CommentRow>(`${COMMENT_SELECT} WHERE article_position = $1 ORDER BY position`, [position]);
  return rows;
}

async function insertComment(client: Client, article: number, cols: CommentColumns, position: number, config: string): Promise<void> {
  await client.query(
    `INSERT INTO comments (article_position, position, ts_config, ${COMMENT_NAMES.join(', ')})
     VALUES ($1, $2, $3::regconfig, ${COMMENT_NAMES.map((_, i) => `$${i + 4}`).join(', ')})`,
    [article, position, config, ...COMMENT_NAMES.map((k) => cols[k])],
  );
}

/** Returns whether any comment was added or changed: new ones go after the stored ones, none is dropped. */
async function mergeComments(client: Client, article: number, comments: readonly Comment[], config: string): Promise<boolean> {
  if (comments.length === 0) return false;
  const writes = commentWrites(await commentsOf(client, article), comments);
  for (const w of writes) {
    if (w.kind === 'insert') {
      await insertComment(client, article, w.cols, w.position, config);
      continue;
    }
    await client.query(
      `UPDATE comments SET ${COMMENT_NAMES.filter((k) => k !== 'id')
        .map((k, i) => `${k} = $${i + 3}`)
        .join(', ')} WHERE article_position = $1 AND id = $2`,
      [article, w.cols.id, ...COMMENT_NAMES.filter((k) => k !== 'id').map((k) => w.cols[k])],
    );
  }
  return writes.length > 0;
}

/**
 * Opens a pool on `url` (`max` connections), applies the migrations this database lacks (safe
 * when several processes open it at once) and returns the store; `.pool` is there for the bot's
 * state to share. An error names the host and database, never the password.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  return new PostgresStore(await openMigratedPool(url, options));
}
