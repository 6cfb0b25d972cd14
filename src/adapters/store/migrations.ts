/**
 * Versioned schema migrations, applied in order on open; `PRAGMA user_version` records how many ran.
 * Never edit a shipped migration: append a new one. A migration that moves data has a function in
 * `dataMoves` under its index too, run right after its SQL inside the same transaction.
 *
 * Full-text search uses external-content FTS5 tables over the articles and comments tables, kept
 * in step by the store's own writes (src/adapters/store/fts.ts). Not by triggers: an FTS5 insert made from a
 * trigger flushes FTS5's pending index data at every statement and measured four times slower.
 * The porter tokenizer stems English,
 * unicode61 splits every script (Cyrillic included) and remove_diacritics 2 folds accents.
 */
import { sqliteDeliveryMessages } from './delivery-messages-schema.ts';
import { sqliteDiscussionTables } from './discussions-schema.ts';
import { sqliteSubscriptionOptions } from './subscription-options-schema.ts';
import { subscriptionSettingsColumns } from './subscription-settings-schema.ts';
import { sqliteFeedHealth } from './feed-health-schema.ts';
import { sqliteCategories } from './categories-schema.ts';
import { sqlitePostWebhook } from './post-webhook-schema.ts';
import type { Db } from './connection.ts';
import { sqliteLeaseTable } from './leases.ts';
import { moveStateToTables, stateTables } from './state-migration.ts';

const tokenize = `tokenize = 'porter unicode61 remove_diacritics 2'`;

export const migrations: readonly string[] = [
  `
  CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT,
    source TEXT,
    author TEXT,
    published_at TEXT,
    language TEXT,
    blocks TEXT NOT NULL,
    body_text TEXT NOT NULL,
    declared_comment_count INTEGER,
    ingested_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX articles_source ON articles (source COLLATE NOCASE);
  CREATE INDEX articles_date ON articles (coalesce(published_at, ingested_at));

  CREATE TABLE comments (
    rowid INTEGER PRIMARY KEY,
    article_rowid INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    number INTEGER,
    author TEXT,
    author_id TEXT,
    posted_at TEXT,
    rating INTEGER,
    paragraphs TEXT NOT NULL,
    quotes TEXT NOT NULL,
    reply_to TEXT,
    text TEXT NOT NULL,
    UNIQUE (article_rowid, id)
  );

  CREATE VIRTUAL TABLE articles_fts USING fts5 (title, body_text, content = 'articles', content_rowid = 'rowid', ${tokenize});
  -- Titles alone, so that every title match can be found cheaply however common the word is in bodies.
  CREATE VIRTUAL TABLE titles_fts USING fts5 (title, content = 'articles', content_rowid = 'rowid', ${tokenize});
  CREATE VIRTUAL TABLE comments_fts USING fts5 (text, content = 'comments', content_rowid = 'rowid', ${tokenize});
  -- Title matches weigh five times body matches.
  INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');

  -- keyv's small state (settings, subscriptions, progress markers) lives in the same file.
  CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `,
  // Delivery finds articles whose comments or text changed since its last run.
  `CREATE INDEX articles_updated ON articles (updated_at);`,
  // Where a feed item's own discussion is.
  `ALTER TABLE articles ADD COLUMN comments_url TEXT;`,
  // The process that runs the bot on this file (src/adapters/store/lock.ts): one row per lock.
  `CREATE TABLE process_lock (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    pid INTEGER NOT NULL,
    hostname TEXT NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  ) WITHOUT ROWID;`,
  // The bot's state in tables of its own, moved there from keyv records (src/adapters/store/state-migration.ts).
  stateTables,
  // Leases: claims that expire, so that several processes share the scheduled work (src/adapters/store/leases.ts).
  sqliteLeaseTable,
  // Imported discussions: where each comment can be read at its source, its last edit, and deletion there.
  `ALTER TABLE comments ADD COLUMN url TEXT;
   ALTER TABLE comments ADD COLUMN edited_at TEXT;
   ALTER TABLE comments ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1));`,
  // The message delivery made for each comment, so that replies answer their parent's message.
  sqliteDeliveryMessages,
  // Discussions followed at their source (Reddit, Hacker News, Discourse, comment feeds).
  sqliteDiscussionTables,
  // Subscription options: following the discussions of the articles a subscription delivers.
  sqliteSubscriptionOptions,
  // Subscription settings (filter expression, template, mentions, destination, caps, digest) and run tally.
  subscriptionSettingsColumns,
  // Feed health: failing since, paused, notices; the health channel per server.
  sqliteFeedHealth,
  // Feed categories of each article, for filters.
  sqliteCategories,
  // Who made each post (the bot or its webhook), so it is edited the way it was made.
  sqlitePostWebhook,
];

/** Data moved by a migration, by the migration's index: run after its SQL, in its transaction. */
export const dataMoves: Readonly<Record<number, (db: Db) => void>> = { 4: moveStateToTables };
