/**
 * The bot's state in the article database: one repository per kind of record, built where the bot,
 * the CLI or the playground is put together. Short-lived state with an expiry (button state,
 * cooldowns) stays in keyv (kv.ts).
 */
import type { Logger } from '../../core/log.ts';
import type { Db } from './connection.ts';
import { type DeliveryProgressRepository, SqliteDeliveryProgressRepository } from './delivery-progress.ts';
import { type DiscussionRepository, SqliteDiscussionRepository } from './discussions.ts';
import { type FeedRepository, SqliteFeedRepository } from './feeds.ts';
import { type LeaseRepository, SqliteLeaseRepository } from './leases.ts';
import { asPromise } from './state-schemas.ts';
import { SqliteSubscriptionRepository, type SubscriptionRepository } from './subscriptions.ts';
import { SqliteThreadRepository, type ThreadRepository } from './threads.ts';

export interface BotState {
  readonly subscriptions: SubscriptionRepository;
  readonly feeds: FeedRepository;
  /** Discussions followed at their source (Reddit, Hacker News, Discourse, comment feeds). */
  readonly discussions: DiscussionRepository;
  readonly progress: DeliveryProgressRepository;
  readonly threads: ThreadRepository;
  /** Claims that expire, so that several processes share the scheduled work (leases.ts). */
  readonly leases: LeaseRepository;
  /** Per-server settings: the channel that hears about feed health. */
  readonly guildSettings: GuildSettingsRepository;
}

/** A server's own settings; a server that set none has no row. */
export interface GuildSettings {
  readonly guildId: string;
  /** Where notices about failing, paused and recovered feeds go (/feed health-channel); null: nowhere. */
  readonly healthChannelId: string | null;
  readonly updatedAt: string;
}

export interface GuildSettingsRepository {
  get(guildId: string): Promise<GuildSettings | null>;
  /** Sets (or with null, clears) the server's health channel. */
  setHealthChannel(guildId: string, channelId: string | null, at: string): Promise<void>;
  /** Every server that has a health channel, in guild order. */
  healthChannels(): Promise<GuildSettings[]>;
}

interface GuildSettingsRow {
  guild_id: string;
  health_channel_id: string | null;
  updated_at: string;
}

/** The row as the domain sees it; shared with the PostgreSQL repository, whose table has the same columns. */
export function guildSettingsFromRow(r: GuildSettingsRow): GuildSettings {
  return { guildId: r.guild_id, healthChannelId: r.health_channel_id, updatedAt: r.updated_at };
}

class SqliteGuildSettingsRepository implements GuildSettingsRepository {
  constructor(private readonly db: Db) {}

  get(guildId: string): Promise<GuildSettings | null> {
    return asPromise(() => {
      const row = this.db.prepare<[string], GuildSettingsRow>('SELECT * FROM guild_settings WHERE guild_id = ?').get(guildId);
      return row ? guildSettingsFromRow(row) : null;
    });
  }

  setHealthChannel(guildId: string, channelId: string | null, at: string): Promise<void> {
    return asPromise(() => {
      this.db
        .prepare<[string, string | null, string]>(
          `INSERT INTO guild_settings (guild_id, health_channel_id, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (guild_id) DO UPDATE SET health_channel_id = excluded.health_channel_id, updated_at = excluded.updated_at`,
        )
        .run(guildId, channelId, at);
    });
  }

  healthChannels(): Promise<GuildSettings[]> {
    return asPromise(() =>
      this.db
        .prepare<[], GuildSettingsRow>('SELECT * FROM guild_settings WHERE health_channel_id IS NOT NULL ORDER BY guild_id')
        .all()
        .map(guildSettingsFromRow),
    );
  }
}

/** A record the migration from keyv could not use, kept as it was. */
export interface RejectedRecord {
  /** Its keyv key, namespace first (`subscriptions:GUILD:CHANNEL`). */
  readonly key: string;
  readonly value: string;
  readonly reason: string;
  readonly rejectedAt: string;
}

/** The records the migration from keyv set aside in `state_rejected`. */
export function rejectedState(db: Db): RejectedRecord[] {
  return db.prepare<[], RejectedRecord>('SELECT kv_key AS key, value, reason, rejected_at AS rejectedAt FROM state_rejected ORDER BY kv_key').all();
}

/**
 * The repositories over `db`. With `log`, each record the migration set aside is named in a warning,
 * at every start until it is fixed or deleted: the bot goes on without it, but not silently.
 */
export function openBotState(db: Db, log?: Logger): BotState {
  if (log) {
    for (const r of rejectedState(db)) {
      log.warn(
        { key: r.key, reason: r.reason, at: r.rejectedAt },
        'a record of the bot’s state from an older Paperboy could not be used and is kept in the state_rejected table; the bot goes on without it',
      );
    }
  }
  return {
    subscriptions: new SqliteSubscriptionRepository(db),
    feeds: new SqliteFeedRepository(db),
    discussions: new SqliteDiscussionRepository(db),
    progress: new SqliteDeliveryProgressRepository(db),
    threads: new SqliteThreadRepository(db),
    leases: new SqliteLeaseRepository(db),
    guildSettings: new SqliteGuildSettingsRepository(db),
  };
}

/**
 * Forgets what the bot knows about one Discord's channels and threads (subscriptions, delivery
 * progress, article threads): for the playground, whose Discord lived in memory and is gone. Feeds
 * stay.
 */
export function clearDiscordState(db: Db): void {
  db.transaction(() => {
    for (const table of ['subscriptions', 'delivery_progress', 'article_threads']) db.exec(`DELETE FROM ${table}`);
  }).immediate();
}
