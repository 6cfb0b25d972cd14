/**
 * PostgreSQL's schema, in numbered versions applied in order at open. Several processes may start
 * at once: each takes one advisory lock for the whole run, so one applies what is missing and the
 * others, let in after it, find nothing left to do. Each version runs in its own transaction with
 * the row that records it: all of it lands, or none.
 */
import { articleTables } from './articles-schema.ts';
import { postgresDeliveryMessages } from '../delivery-messages-schema.ts';
import { postgresDiscussionTables } from '../discussions-schema.ts';
import { postgresSubscriptionOptions } from '../subscription-options-schema.ts';
import { leaseTables } from './leases-schema.ts';
import { pairsMigration, sectionPairsMigration } from './search-pairs.ts';
import { searchTuning } from './search-tuning.ts';
import { subscriptionSettingsColumns } from '../subscription-settings-schema.ts';
import { postgresFeedHealth } from '../feed-health-schema.ts';
import { postgresCategories } from '../categories-schema.ts';
import { postgresPostWebhook } from '../post-webhook-schema.ts';
import type { Pool } from './pool.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The lock every Paperboy process takes to migrate: one number, the same in every process
 * ('pbmg' in ASCII), unlikely to be another application's.
 */
export const MIGRATION_LOCK = 0x70626d67;

/**
 * The four tables of the bot's state, with the columns and meaning of the SQLite ones
 * (state-migration.ts), so that both backends read and write the same rows. A JSON column is TEXT
 * with a check that it holds an array, as in SQLite.
 */
const stateTables = `
  CREATE TABLE subscriptions (
    guild_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'forum')),
    channel_name TEXT NOT NULL,
    source TEXT,
    keywords TEXT,
    backfill_kind TEXT NOT NULL CHECK (backfill_kind IN ('none', 'all', 'latest')),
    backfill_count INTEGER CHECK ((backfill_kind = 'latest') = (backfill_count IS NOT NULL)),
    cursor BIGINT NOT NULL,
    checked_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    paused_reason TEXT,
    paused_at TEXT CHECK ((paused_reason IS NULL) = (paused_at IS NULL)),
    posted BIGINT NOT NULL,
    last_posted_at TEXT,
    last_run_at TEXT,
    last_error TEXT,
    set_aside TEXT CHECK (set_aside IS NULL OR json_typeof(set_aside::json) = 'array'),
    set_aside_dropped INTEGER,
    unfinished TEXT CHECK (unfinished IS NULL OR json_typeof(unfinished::json) = 'array'),
    revision INTEGER,
    PRIMARY KEY (guild_id, channel_id)
  );

  CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    added_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_polled_at TEXT,
    last_ok_at TEXT,
    items INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    last_error TEXT,
    retry_at TEXT
  );

  CREATE TABLE delivery_progress (
    channel_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    post_id TEXT,
    thread_id TEXT,
    post_hash TEXT,
    body_hash TEXT NOT NULL,
    done TEXT NOT NULL CHECK (json_typeof(done::json) = 'array'),
    last_id TEXT,
    -- Milliseconds since the epoch; attempt_refused tells a refusal (NULL, 1) from an older record (NULL, 0).
    attempted_at BIGINT,
    attempt_refused INTEGER NOT NULL CHECK (attempt_refused IN (0, 1)),
    complete INTEGER NOT NULL CHECK (complete IN (0, 1)),
    reposts INTEGER,
    PRIMARY KEY (channel_id, article_id)
  );

  CREATE TABLE article_threads (
    thread_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    guild_id TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    last_message_id TEXT
  );
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'the bot’s state tables', sql: stateTables },
  { version: 2, name: 'articles and comments, with full-text search', sql: articleTables },
  { version: 3, name: 'leases and short-lived keys', sql: leaseTables },
  {
    version: 4,
    name: 'comments from imported discussions: source link, edit time, deletion',
    sql: `ALTER TABLE comments ADD COLUMN url TEXT;
      ALTER TABLE comments ADD COLUMN edited_at TEXT COLLATE "C";
      ALTER TABLE comments ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1));`,
  },
  { version: 5, name: 'the message delivery made for each comment', sql: postgresDeliveryMessages },
  { version: 6, name: 'discussions followed at their source', sql: postgresDiscussionTables },
  { version: 7, name: 'subscription options: following discussions', sql: postgresSubscriptionOptions },
  { version: 8, name: 'phrase search: an index of adjacent word pairs', sql: pairsMigration },
  { version: 9, name: 'subscription settings and run tally', sql: subscriptionSettingsColumns },
  { version: 10, name: 'feed health', sql: postgresFeedHealth },
  { version: 11, name: 'feed categories of articles', sql: postgresCategories },
  // Shipped as a placeholder: databases that ran it recorded it done, so its work is version 14.
  { version: 12, name: 'search tuning (placeholder)', sql: 'SELECT 1;' },
  { version: 13, name: 'who made each post: the bot or its webhook', sql: postgresPostWebhook },
  { version: 14, name: 'the newest articles’ search vectors, for the relevance window', sql: searchTuning },
  { version: 15, name: 'phrase search: word pairs within the title or the body', sql: sectionPairsMigration },
];

/**
 * A database a newer Paperboy has migrated holds tables this one does not know, or knows with
 * other columns: writing to it would break the newer one's data, so nothing runs. The caller names
 * the database (host and database, never the password), as SQLite's message names the file.
 */
function refuseNewer(done: ReadonlySet<number>, migrations: readonly Migration[]): void {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...done);
  if (newest > known)
    throw new Error(`postgres: this database was written by a newer Paperboy (schema version ${newest}; this one knows up to ${known}): upgrade Paperboy`);
}

/**
 * Brings the database up to the newest version, under the advisory lock. Returns the versions this
 * call applied (none when another process had already).
 */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // A session lock, held across the versions' transactions, released below (or when the connection ends).
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS paperboy_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM paperboy_migrations');
      const done = new Set(rows.map((r) => r.version));
      refuseNewer(done, migrations);
      const applied: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO paperboy_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`postgres: migration ${m.version} (${m.name}) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        applied.push(m.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A client that failed mid-migration is closed rather than reused: its lock and transaction end with it.
    client.release(broken);
  }
}
