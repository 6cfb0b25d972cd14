/** The article tables in PostgreSQL (migration 2): filled in with the PostgreSQL store. */
export const articleTables = `SELECT 1`;
