/**
 * Feed health (issue 17): what each feed's failures have come to (failing since, the reason in plain
 * words and its kind, paused, the last notice decided and the one still being sent, as JSON), and each server's health channel (SQLite migration 12,
 * PostgreSQL 10). The same columns on both: the repositories share their row form.
 */
const feedColumns = `ALTER TABLE feeds ADD COLUMN failing_since TEXT;
  ALTER TABLE feeds ADD COLUMN problem TEXT;
  ALTER TABLE feeds ADD COLUMN paused_at TEXT;
  ALTER TABLE feeds ADD COLUMN paused_reason TEXT;
  ALTER TABLE feeds ADD COLUMN noticed TEXT CHECK (noticed IN ('failing', 'paused'));
  ALTER TABLE feeds ADD COLUMN problem_kind TEXT;
  ALTER TABLE feeds ADD COLUMN notice_pending TEXT;`;

export const sqliteFeedHealth = `${feedColumns}
  CREATE TABLE guild_settings (
    guild_id TEXT PRIMARY KEY,
    health_channel_id TEXT,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;`;

export const postgresFeedHealth = `${feedColumns}
  CREATE TABLE guild_settings (
    guild_id TEXT PRIMARY KEY,
    health_channel_id TEXT,
    updated_at TEXT NOT NULL
  );`;
