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
