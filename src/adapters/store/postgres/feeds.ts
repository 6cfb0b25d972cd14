/** The feeds Paperboy polls, in PostgreSQL's `feeds` table: the same rows as SQLite's. */
import type { FeedState } from '../../../core/state.ts';
import { FEED_COLUMNS, type FeedRepository, type FeedRow, feedFromRow, feedToRow } from '../feeds.ts';
import { lockKey, type Pool, rowValues, transaction, upsertInto } from './pool.ts';

const TABLE = 'feeds';
const UPSERT = upsertInto(TABLE, FEED_COLUMNS, ['url']);
const SELECT = 'SELECT * FROM feeds WHERE url = $1';

export class PostgresFeedRepository implements FeedRepository {
  constructor(private readonly pool: Pool) {}

  async get(url: string): Promise<FeedState | null> {
    const { rows } = await this.pool.query<FeedRow>(SELECT, [url]);
    return rows[0] ? feedFromRow(rows[0]) : null;
  }

  async put(feed: FeedState): Promise<void> {
    await this.pool.query(UPSERT, rowValues(feedToRow(feed), FEED_COLUMNS));
  }

  /** Atomic as the subscriptions' update is (postgres/subscriptions.ts): the row, or its key when it has none, locked. */
  update(url: string, change: (current: FeedState | null) => FeedState | null): Promise<{ before: FeedState | null; after: FeedState | null }> {
    return transaction(this.pool, async (client) => {
      let { rows } = await client.query<FeedRow>(`${SELECT} FOR UPDATE`, [url]);
      if (!rows[0]) {
        await lockKey(client, TABLE, url);
        ({ rows } = await client.query<FeedRow>(`${SELECT} FOR UPDATE`, [url]));
      }
      const before = rows[0] ? feedFromRow(rows[0]) : null;
      const after = change(before);
      if (after && after.url !== url) throw new Error(`feeds: a change to ${url} returned the feed ${after.url}`);
      if (after) await client.query(UPSERT, rowValues(feedToRow(after), FEED_COLUMNS));
      return { before, after };
    });
  }

  async remove(url: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM feeds WHERE url = $1', [url]);
    return (rowCount ?? 0) > 0;
  }

  async list(): Promise<FeedState[]> {
    const { rows } = await this.pool.query<FeedRow>('SELECT * FROM feeds');
    return rows.map(feedFromRow).sort((a, b) => a.url.localeCompare(b.url));
  }
}
