/**
 * Schema version 5: the bot's state moves from keyv records in `kv` into tables of its own. Every
 * record of the four namespaces is copied into its table and removed from `kv`; one that does not
 * fit (damaged, hand-edited, or a shape this code does not know) goes to `state_rejected` with the
 * reason, where `openBotState` reports it at every start until someone deals with it.
 *
 * Runs inside the IMMEDIATE transaction of the migration (db.ts): all of it lands, or none.
 */
import type { z } from 'zod';
import { errorMessage } from '../../core/errors.ts';
import type { Db } from './connection.ts';
import { subscriptionWriter } from './subscriptions.ts';
import { feedWriter } from './feeds.ts';
import { threadWriter } from './threads.ts';
import { progressWriter } from './delivery-progress.ts';
import { ArticleThreadSchema, DeliveryProgressSchema, describeIssues, FeedStateSchema, SubscriptionSchema } from './state-schemas.ts';

export const stateTables = `
  CREATE TABLE subscriptions (
    guild_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'forum')),
    channel_name TEXT NOT NULL,
    source TEXT,
    keywords TEXT,
    backfill_kind TEXT NOT NULL CHECK (backfill_kind IN ('none', 'all', 'latest')),
    backfill_count INTEGER CHECK ((backfill_kind = 'latest') = (backfill_count IS NOT NULL)),
    cursor INTEGER NOT NULL,
    checked_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    paused_reason TEXT,
    paused_at TEXT CHECK ((paused_reason IS NULL) = (paused_at IS NULL)),
    posted INTEGER NOT NULL,
    last_posted_at TEXT,
    last_run_at TEXT,
    last_error TEXT,
    -- Lists owned by the subscription and always read and written whole: JSON arrays, NULL when absent.
    set_aside TEXT CHECK (set_aside IS NULL OR json_type(set_aside) = 'array'),
    set_aside_dropped INTEGER,
    unfinished TEXT CHECK (unfinished IS NULL OR json_type(unfinished) = 'array'),
    revision INTEGER,
    PRIMARY KEY (guild_id, channel_id)
  ) WITHOUT ROWID;

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
  ) WITHOUT ROWID;

  CREATE TABLE delivery_progress (
    channel_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    post_id TEXT,
    thread_id TEXT,
    post_hash TEXT,
    body_hash TEXT NOT NULL,
    -- The comment steps posted, as a JSON array of step keys.
    done TEXT NOT NULL CHECK (json_type(done) = 'array'),
    last_id TEXT,
    attempted_at INTEGER,
    attempt_refused INTEGER NOT NULL CHECK (attempt_refused IN (0, 1)),
    complete INTEGER NOT NULL CHECK (complete IN (0, 1)),
    reposts INTEGER,
    PRIMARY KEY (channel_id, article_id)
  ) WITHOUT ROWID;

  CREATE TABLE article_threads (
    thread_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    guild_id TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    last_message_id TEXT
  ) WITHOUT ROWID;

  -- Records the migration could not use, kept as they were with the reason.
  CREATE TABLE state_rejected (
    kv_key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    rejected_at TEXT NOT NULL
  ) WITHOUT ROWID;
`;

/**
 * keyv 5's stored form, read as @keyv/serialize does: `{"value": …, "expires": ms}`, with a string
 * that began with ':' stored with one more. Copied rather than imported: this migration reads what
 * release 0.1 wrote, whatever a later keyv does.
 */
function keyvRecord(text: string): { value: unknown; expires: number | null } {
  const parsed = JSON.parse(text, (_, v: unknown) => (typeof v === 'string' && v.startsWith(':') ? v.slice(1) : v)) as unknown;
  if (typeof parsed !== 'object' || parsed === null || !('value' in parsed)) throw new Error('not a keyv record');
  const expires = 'expires' in parsed && typeof parsed.expires === 'number' ? parsed.expires : null;
  return { value: parsed.value, expires };
}

interface Namespace<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  /** Stores a valid record found under `key` (after the namespace); returns why it cannot be, or null. */
  readonly store: (value: T, key: string) => string | null;
}

/** Stores `value` when it names the key it was stored under (keyv found it only by that key). */
function under<T>(name: (value: T) => string, write: (value: T) => void): (value: T, key: string) => string | null {
  return (value, key) => {
    if (name(value) !== key) return `stored under ${key}, but names ${name(value)}`;
    write(value);
    return null;
  };
}

/** Moves one namespace's records out of `kv`. */
function move<T>(db: Db, ns: Namespace<T>, now: number): void {
  const prefix = `${ns.name}:`;
  const rows = db
    .prepare<[string, string], { key: string; value: string }>('SELECT key, value FROM kv WHERE key >= ? AND key < ? || char(1114111) ORDER BY key')
    .all(prefix, prefix);
  const reject = db.prepare<[string, string, string, string]>('INSERT OR REPLACE INTO state_rejected (kv_key, value, reason, rejected_at) VALUES (?, ?, ?, ?)');
  const remove = db.prepare<[string]>('DELETE FROM kv WHERE key = ?');
  for (const row of rows) {
    const reason = copy(ns, row.key.slice(prefix.length), row.value, now);
    if (reason !== null) reject.run(row.key, row.value, reason, new Date(now).toISOString());
    remove.run(row.key);
  }
}

/** Copies one record into its table; returns why it could not be, or null. */
function copy<T>(ns: Namespace<T>, key: string, text: string, now: number): string | null {
  let record;
  try {
    record = keyvRecord(text);
  } catch (error) {
    return `not a keyv record: ${errorMessage(error)}`;
  }
  if (record.expires !== null && record.expires < now) return 'expired (keyv no longer returned it)';
  const parsed = ns.schema.safeParse(record.value);
  return parsed.success ? ns.store(parsed.data, key) : describeIssues(parsed.error);
}

/** Copies the four namespaces' keyv records into the tables `stateTables` made. */
export function moveStateToTables(db: Db): void {
  const now = Date.now();
  const progress = progressWriter(db);
  move(db, { name: 'subscriptions', schema: SubscriptionSchema, store: under((s) => `${s.guildId}:${s.channelId}`, subscriptionWriter(db)) }, now);
  move(db, { name: 'feeds', schema: FeedStateSchema, store: under((f) => f.url, feedWriter(db)) }, now);
  move(db, { name: 'threads', schema: ArticleThreadSchema, store: under((t) => t.threadId, threadWriter(db)) }, now);
  // Keyed `channel:article`: a channel id (a snowflake) has no colon, an article id may.
  move(
    db,
    {
      name: 'delivery',
      schema: DeliveryProgressSchema,
      store: (p, key) => {
        const at = key.indexOf(':');
        if (at < 1 || at === key.length - 1) return `its key ${key} is not channel:article`;
        progress(key.slice(0, at), key.slice(at + 1), p);
        return null;
      },
    },
    now,
  );
}
