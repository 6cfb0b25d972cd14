/**
 * Feed categories of an article (issue 17's filters; SQLite migration 13, PostgreSQL 11): a JSON
 * array of strings, NULL when the feed gave none (rows.ts writes and reads it). Filters read them
 * from the article, never in SQL, so the column needs no index.
 */
export const sqliteCategories = `ALTER TABLE articles ADD COLUMN categories TEXT;`;
export const postgresCategories = `ALTER TABLE articles ADD COLUMN categories TEXT;`;
