/**
 * Feed health (issue 17): placeholder migration, filled in by the feed-health work (SQLite
 * migration 12, PostgreSQL 10).
 */
export const sqliteFeedHealth = `SELECT 1;`;
export const postgresFeedHealth = `SELECT 1;`;
