/**
 * Feed categories of an article (issue 17's filters): placeholder migration, filled in by the
 * filter work (SQLite migration 13, PostgreSQL 11).
 */
export const sqliteCategories = `SELECT 1;`;
export const postgresCategories = `SELECT 1;`;
