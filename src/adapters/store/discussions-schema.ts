/**
 * The followed discussions' table (issue 16), for both backends: SQLite's migration 9 and
 * PostgreSQL's version 6. One row per discussion, keyed by its canonical address; the same columns
 * on both, so that one row type (discussions.ts) serves both repositories.
 *
 * `comment_ids` (a JSON array) holds the ids the last syncs saw at the source: a later complete
 * fetch that no longer holds one of them marks that comment deleted. `owns_article` says whether the
 * sync stored the discussion's own article (then its title and text follow the source too) rather
 * than merging comments into an article stored from elsewhere.
 */
const table = `CREATE TABLE discussions (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    article_id TEXT,
    owns_article INTEGER NOT NULL DEFAULT 0 CHECK (owns_article IN (0, 1)),
    added_at TEXT NOT NULL,
    added_by TEXT,
    etag TEXT,
    last_modified TEXT,
    last_polled_at TEXT,
    last_ok_at TEXT,
    comments INTEGER NOT NULL DEFAULT 0,
    missing INTEGER NOT NULL DEFAULT 0,
    comment_ids TEXT NOT NULL DEFAULT '[]',
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    retry_at TEXT,
    paused TEXT
  );
  CREATE INDEX discussions_article ON discussions (article_id);`;

export const sqliteDiscussionTables = table;
export const postgresDiscussionTables = table;
