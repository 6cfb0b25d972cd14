/**
 * Subscriptions in PostgreSQL's `subscriptions` table, the same rows as SQLite's. A change reads
 * the row with SELECT … FOR UPDATE inside one transaction, so a writer in another process waits for
 * it rather than writing over it; a change to a subscription not there yet takes a lock on its key
 * first, since there is no row to lock.
 */
import type { Subscription } from '../../../core/state.ts';
import { InvalidStateRow } from '../state-schemas.ts';
import {
  type InvalidSubscription,
  SUBSCRIPTION_COLUMNS,
  type SubscriptionChange,
  type SubscriptionKey,
  type SubscriptionList,
  type SubscriptionRepository,
  type SubscriptionRow,
  subscriptionFromRow,
  subscriptionRow,
} from '../subscriptions.ts';
import { type Client, lockKey, type Pool, rowValues, transaction, upsertInto } from './pool.ts';

const TABLE = 'subscriptions';
const UPSERT = upsertInto(TABLE, SUBSCRIPTION_COLUMNS, ['guild_id', 'channel_id']);
const SELECT = 'SELECT * FROM subscriptions WHERE guild_id = $1 AND channel_id = $2';

export class PostgresSubscriptionRepository implements SubscriptionRepository {
  constructor(private readonly pool: Pool) {}

  async get(key: SubscriptionKey): Promise<Subscription | null> {
    const { rows } = await this.pool.query<SubscriptionRow>(SELECT, [key.guildId, key.channelId]);
    return rows[0] ? subscriptionFromRow(rows[0]) : null;
  }

  async put(sub: Subscription): Promise<void> {
    await this.pool.query(UPSERT, rowValues(subscriptionRow(sub), SUBSCRIPTION_COLUMNS));
  }

  update(key: SubscriptionKey, change: (current: Subscription | null) => Subscription | null): Promise<SubscriptionChange> {
    return transaction(this.pool, async (client) => {
      const before = await lockedRead(client, key);
      const after = change(before);
      if (after && (after.guildId !== key.guildId || after.channelId !== key.channelId)) {
        throw new Error(`subscriptions: a change to ${key.guildId}/${key.channelId} returned the subscription of ${after.guildId}/${after.channelId}`);
      }
      if (after) await client.query(UPSERT, rowValues(subscriptionRow(after), SUBSCRIPTION_COLUMNS));
      return { before, after };
    });
  }

  async remove(key: SubscriptionKey): Promise<boolean> {
    // The channel's delivery progress stays: subscribing again must not post what was posted before.
    const { rowCount } = await this.pool.query('DELETE FROM subscriptions WHERE guild_id = $1 AND channel_id = $2', [key.guildId, key.channelId]);
    return (rowCount ?? 0) > 0;
  }

  async list(guildId?: string): Promise<SubscriptionList> {
    const { rows } =
      guildId === undefined
        ? await this.pool.query<SubscriptionRow>('SELECT * FROM subscriptions')
        : await this.pool.query<SubscriptionRow>('SELECT * FROM subscriptions WHERE guild_id = $1', [guildId]);
    // Sorted here as the SQLite repository sorts, so both backends list in one order.
    const byChannel = (a: SubscriptionKey, b: SubscriptionKey) => a.guildId.localeCompare(b.guildId) || a.channelId.localeCompare(b.channelId);
    const subscriptions: Subscription[] = [];
    const invalid: InvalidSubscription[] = [];
    for (const row of rows) {
      try {
        subscriptions.push(subscriptionFromRow(row));
      } catch (error) {
        if (!(error instanceof InvalidStateRow)) throw error;
        invalid.push({ guildId: row.guild_id, channelId: row.channel_id, error });
      }
    }
    return { subscriptions: subscriptions.sort(byChannel), invalid: invalid.sort(byChannel) };
  }
}

/** The subscription, its row locked for the transaction (or, when there is none, its key). */
async function lockedRead(client: Client, key: SubscriptionKey): Promise<Subscription | null> {
  const forUpdate = `${SELECT} FOR UPDATE`;
  let { rows } = await client.query<SubscriptionRow>(forUpdate, [key.guildId, key.channelId]);
  if (!rows[0]) {
    // Another change may be creating it: wait for that one, then read what it left.
    await lockKey(client, TABLE, `${key.guildId}/${key.channelId}`);
    ({ rows } = await client.query<SubscriptionRow>(forUpdate, [key.guildId, key.channelId]));
  }
  return rows[0] ? subscriptionFromRow(rows[0]) : null;
}
