/**
 * The bot's state in PostgreSQL: the repositories of BotState over one pool, the schema
 * brought up to date first. Short-lived state (button state, cooldowns) is not here: keyv keeps it.
 */
import { type BotState, type GuildSettings, type GuildSettingsRepository, guildSettingsFromRow } from '../state.ts';
import { PostgresDeliveryProgressRepository } from './delivery-progress.ts';
import { PostgresDiscussionRepository } from './discussions.ts';
import { PostgresFeedRepository } from './feeds.ts';
import { PostgresLeaseRepository } from './leases.ts';
import { migrate } from './migrations.ts';
import { describeUrl, openPool, type Pool, type PoolOptions } from './pool.ts';
import { PostgresSubscriptionRepository } from './subscriptions.ts';
import { PostgresThreadRepository } from './threads.ts';

export interface PostgresBotState extends BotState {
  readonly pool: Pool;
  /** Ends the pool's connections; waits for the queries under way. */
  close(): Promise<void>;
}

/**
 * Opens a pool on `url`, applies the migrations this database lacks (safe when several processes
 * open it at once), and returns the repositories. A database that cannot be reached or migrated is
 * an error naming its host and database, never its password.
 */
export async function openPostgresBotState(url: string, options: PoolOptions = {}): Promise<PostgresBotState> {
  const pool = await openMigratedPool(url, options);
  return { ...postgresBotState(pool), pool, close: () => pool.end() };
}

/**
 * A pool on `url` with the migrations this database lacks applied: how both the bot's state and the
 * article store (articles.ts) open PostgreSQL. Here rather than there because this module is loaded
 * either way, while the article store is imported only when PostgreSQL is used (bot-storage.ts).
 * An error names the host and database, never the password; the pool is closed first.
 */
export async function openMigratedPool(url: string, options: PoolOptions = {}): Promise<Pool> {
  const pool = openPool(url, options);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`PostgreSQL at ${describeUrl(url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return pool;
}

/**
 * The repositories over a pool someone else opened and migrated (the article store's, so that one
 * process holds one pool): closing the pool stays with its owner.
 */
export function postgresBotState(pool: Pool): BotState {
  return {
    subscriptions: new PostgresSubscriptionRepository(pool),
    feeds: new PostgresFeedRepository(pool),
    discussions: new PostgresDiscussionRepository(pool),
    progress: new PostgresDeliveryProgressRepository(pool),
    threads: new PostgresThreadRepository(pool),
    leases: new PostgresLeaseRepository(pool),
    guildSettings: new PostgresGuildSettingsRepository(pool),
  };
}

type GuildSettingsRow = Parameters<typeof guildSettingsFromRow>[0];

class PostgresGuildSettingsRepository implements GuildSettingsRepository {
  constructor(private readonly pool: Pool) {}

  async get(guildId: string): Promise<GuildSettings | null> {
    const { rows } = await this.pool.query<GuildSettingsRow>('SELECT * FROM guild_settings WHERE guild_id = $1', [guildId]);
    return rows[0] ? guildSettingsFromRow(rows[0]) : null;
  }

  async setHealthChannel(guildId: string, channelId: string | null, at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO guild_settings (guild_id, health_channel_id, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (guild_id) DO UPDATE SET health_channel_id = excluded.health_channel_id, updated_at = excluded.updated_at`,
      [guildId, channelId, at],
    );
  }

  async healthChannels(): Promise<GuildSettings[]> {
    const { rows } = await this.pool.query<GuildSettingsRow>('SELECT * FROM guild_settings WHERE health_channel_id IS NOT NULL ORDER BY guild_id');
    return rows.map(guildSettingsFromRow);
  }
}
