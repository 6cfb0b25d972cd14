/** The followed discussions in PostgreSQL's `discussions` table: the same rows as SQLite's. */
import {
  checkSameUrl,
  DISCUSSION_COLUMNS,
  type DiscussionRepository,
  type DiscussionRow,
  type DiscussionState,
  discussionFromRow,
  discussionPageLimit,
  discussionsByUrl,
  discussionToRow,
} from '../discussions.ts';
import { lockKey, type Pool, rowValues, transaction, upsertInto } from './pool.ts';

const TABLE = 'discussions';
const UPSERT = upsertInto(TABLE, DISCUSSION_COLUMNS, ['url']);
const SELECT = 'SELECT * FROM discussions WHERE url = $1';

export class PostgresDiscussionRepository implements DiscussionRepository {
  constructor(private readonly pool: Pool) {}

  async get(url: string): Promise<DiscussionState | null> {
    const { rows } = await this.pool.query<DiscussionRow>(SELECT, [url]);
    return rows[0] ? discussionFromRow(rows[0]) : null;
  }

  async put(discussion: DiscussionState): Promise<void> {
    await this.pool.query(UPSERT, rowValues(discussionToRow(discussion), DISCUSSION_COLUMNS));
  }

  /** Atomic as the feeds' update is (postgres/feeds.ts): the row, or its key when it has none, locked. */
  update(
    url: string,
    change: (current: DiscussionState | null) => DiscussionState | null,
  ): Promise<{ before: DiscussionState | null; after: DiscussionState | null }> {
    return transaction(this.pool, async (client) => {
      let { rows } = await client.query<DiscussionRow>(`${SELECT} FOR UPDATE`, [url]);
      if (!rows[0]) {
        await lockKey(client, TABLE, url);
        ({ rows } = await client.query<DiscussionRow>(`${SELECT} FOR UPDATE`, [url]));
      }
      const before = rows[0] ? discussionFromRow(rows[0]) : null;
      const after = change(before);
      checkSameUrl(url, after);
      if (after) await client.query(UPSERT, rowValues(discussionToRow(after), DISCUSSION_COLUMNS));
      return { before, after };
    });
  }

  async remove(url: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM discussions WHERE url = $1', [url]);
    return (rowCount ?? 0) > 0;
  }

  async list(): Promise<DiscussionState[]> {
    const { rows } = await this.pool.query<DiscussionRow>('SELECT * FROM discussions');
    return rows.map(discussionFromRow).sort(discussionsByUrl);
  }

  async ofArticle(articleId: string): Promise<DiscussionState[]> {
    const { rows } = await this.pool.query<DiscussionRow>('SELECT * FROM discussions WHERE article_id = $1', [articleId]);
    return rows.map(discussionFromRow).sort(discussionsByUrl);
  }

  async page(after: string | null, limit: number): Promise<DiscussionState[]> {
    // The primary key's own order (its collation, not byte order): each page is a range of its index.
    const n = discussionPageLimit(limit);
    const { rows } =
      after === null
        ? await this.pool.query<DiscussionRow>('SELECT * FROM discussions ORDER BY url LIMIT $1', [n])
        : await this.pool.query<DiscussionRow>('SELECT * FROM discussions WHERE url > $1 ORDER BY url LIMIT $2', [after, n]);
    return rows.map(discussionFromRow);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM discussions');
    return rows[0]?.n ?? 0;
  }
}
