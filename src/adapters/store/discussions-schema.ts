/**
 * The followed discussions' table (issue 16), for both backends: SQLite's migration and
 * PostgreSQL's. Until it is written, each is a statement that changes nothing.
 */
export const sqliteDiscussionTables = `SELECT 1;`;
export const postgresDiscussionTables = `SELECT 1;`;
